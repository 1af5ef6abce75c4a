"""Values and missing data in a message's words, in each language.

`words(x)` is a value as a reader of one language reads it: a code by its label
(`standing_committee` → 常委会 / standing committee), a yes/no as 是/否 or yes/no, a
span of time as 2年1天 or 2 y 1 d. `missing_words(what)` says which record a clerk would
look for when a check needs data the case lacks, from the expression text that needed it
(`last('appointment').probation` → 「任职通知」的试用期 / the probation of the
'Appointment notice' step), never the expression itself.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from fractions import Fraction

from selection_rules.i18n import Phrase, Text
from selection_rules.lang.types import Missing
from selection_rules.model.values import show
from selection_rules.model.vocabulary import Code, label_of

_SETS = (set, frozenset)
_SEQUENCES = (list, tuple, *_SETS)


def words(x: object) -> Text:
    """A value as each language shows it in a message."""
    if isinstance(x, bool):
        return Text("是", "yes") if x else Text("否", "no")
    if isinstance(x, Phrase):
        return x.text
    if isinstance(x, Code):
        return x.term.label()
    if isinstance(x, str):
        label = label_of(x)
        return label if label is not None else Text(x, x)
    text = getattr(x, "text", None)
    if callable(text) and not isinstance(x, Fraction):
        said = text()
        if isinstance(said, Text):
            return said
    if isinstance(x, _SEQUENCES):
        if not x:
            return Text("无", "none")
        items = sorted(x, key=str) if isinstance(x, _SETS) else list(x)
        parts = [words(i) for i in items]
        return Text("[" + "、".join(p.zh for p in parts) + "]",
                    "[" + ", ".join(p.en for p in parts) + "]")
    shown = show(x)
    return Text(shown, shown)


# What a clerk calls the parts of a case file and a record a rule reads.
FIELDS: dict[str, Text] = {
    "motion": Text("动议记录", "motion record"),
    "meeting": Text("会议记录", "meeting record"),
    "ballot": Text("投票记录", "ballot record"),
    "inspection": Text("考察记录", "inspection record"),
    "publicity": Text("公示记录", "publicity record"),
    "probation": Text("试用期", "probation"),
    "verification": Text("三龄两历一身份核查记录", "background verification record"),
    "documents": Text("文书", "documents"),
    "opinions": Text("征求意见记录", "record of opinions sought"),
    "talks": Text("谈话记录", "record of talks"),
    "screening": Text("研究前审查记录", "pre-discussion screening"),
    "first_nominators": Text("首提人记录", "first nominators"),
    "scores": Text("成绩", "scores"),
    "quotas": Text("名额分配", "quota allocation"),
    "result": Text("产生的名单", "resulting list"),
    "candidates": Text("人选名单", "list of candidates"),
    "speeches": Text("演讲记录", "speeches"),
    "introductions": Text("逐一介绍记录", "introductions"),
    "tallies": Text("每名人选的票数", "votes per candidate"),
    "agree": Text("同意票", "votes for"),
    "disagree": Text("不同意票", "votes against"),
    "abstain": Text("弃权票", "abstentions"),
    "valid": Text("有效票数", "number of valid ballots"),
    "invalid": Text("无效票数", "number of invalid ballots"),
    "issued": Text("发出票数", "number of ballots issued"),
    "returned": Text("收回票数", "number of ballots returned"),
    "participants": Text("实参加人数", "number who took part"),
    "entitled": Text("应到人数", "number entitled"),
    "present": Text("实到人数", "number present"),
    "abstaining": Text("弃权票数", "number of abstaining ballots"),
    "signed_by": Text("签名人", "signatories"),
    "main_leader": Text("主要负责人", "main leader"),
    "speaking_order": Text("表态顺序", "speaking order"),
    "agenda_item": Text("是否列入议程", "whether on the agenda"),
    "body": Text("会议主体", "meeting body"),
    "kind": Text("类别", "kind"),
    "reason": Text("缘由", "reason"),
    "ad_hoc": Text("是否临时动议", "whether ad hoc"),
    "audience": Text("公示范围", "publicity audience"),
    "start": Text("开始日期", "start date"),
    "end": Text("结束日期", "end date"),
    "date": Text("日期", "date"),
    "reports": Text("反映问题记录", "reports received"),
    "level": Text("职位类别", "post level"),
    "title": Text("职位名称", "post title"),
    "birth_date": Text("出生日期", "birth date"),
    "attributes": Text("人选属性", "candidate attributes"),
    "approvals": Text("批复", "approvals"),
    "problem_records": Text("问题信息档案", "problems on record"),
    "reserve_training": Text("后备干部培养记录", "reserve training record"),
    "exceptional_promotion": Text("破格提拔", "exceptional promotion"),
    "decision_date": Text("决定日期", "decision date"),
    "as_of": Text("纪实截止日期", "as-of date"),
    "people_interviewed": Text("谈话人数", "number interviewed"),
    "interviewee_kinds": Text("谈话对象类别", "kinds of people interviewed"),
    "materials_checked": Text("查阅资料类别", "kinds of material checked"),
    "aspects_visited": Text("走访方面", "aspects visited"),
    "shortcomings": Text("不足之处", "shortcomings"),
    "recorded": Text("记录日期", "date recorded"),
    "verified": Text("核实情况", "verification"),
    "outcome": Text("核实结论", "outcome"),
    "checked": Text("核查项目", "items checked"),
    "personal_matters_report": Text("个人有关事项报告核查", "personal-matters report check"),
    "rating": Text("考核等次", "rating"),
    "rewarded": Text("是否受奖励", "whether rewarded"),
    "tasks_completed": Text("是否完成年度工作任务", "whether the year's tasks were completed"),
    "key_management": Text("是否列为重点管理", "whether under close management"),
    "promoted": Text("是否提拔或重用", "whether promoted"),
    "demoted": Text("是否降职使用", "whether demoted"),
    "proposed": Text("约谈建议日期", "date proposed"),
    "approved": Text("同意日期", "date approved"),
    "approved_by": Text("同意人", "approved by"),
    "announced": Text("约谈预告日期", "date of the advance notice"),
    "unit_head_informed": Text("告知单位主要负责人的日期", "date the unit's head was informed"),
    "report": Text("书面材料报送日期", "date of the written report"),
    "in_post_since": Text("任现职时间", "in the post since"),
    "recruited": Text("录用日期", "date recruited"),
    "pay": Text("经济待遇", "pay"),
    "county_pay": Text("县级机关同职级经济待遇", "county-organ pay by grade"),
    "inspections": Text("专项监督检查日期", "dates of special supervision"),
    "team": Text("所在班子", "team"),
    "unit": Text("单位", "unit"),
}

_FUNCTIONS: dict[str, Text] = {
    "candidate": Text("该人选", "the candidate"),
    "post": Text("该职位", "the post"),
    "team": Text("该班子", "the team"),
    "leader": Text("该领导干部", "the leader"),
    "cadre": Text("该干部", "the cadre"),
}

_NAMES: dict[str, Text] = {
    "event": Text("本步骤", "this step"),
    "case": Text("案卷", "the case file"),
    "record": Text("本记录", "this record"),
}


def lacking(exc: Missing, steps: Mapping[str, Text]) -> Text:
    """What the case lacks, as a clerk would look for it: the words the exception
    carries, else those of the expression that needed the value, else a general phrase
    (never the expression itself)."""
    if exc.text is not None:
        return exc.text
    said = missing_words(exc.what, steps)
    return said if said is not None else Text("本规则所需的数据", "data this rule needs")


def missing_words(what: str, steps: Mapping[str, Text]) -> Text | None:
    """What the case lacks, in words, from the expression text that needed it; None
    where it cannot be said (the caller then says "a figure this rule needs")."""
    try:
        node = ast.parse(what.split(" = ")[0].split(" [")[0], mode="eval").body
    except SyntaxError:
        return None
    return _said(node, steps)


def _said(node: ast.expr, steps: Mapping[str, Text]) -> Text | None:
    if isinstance(node, ast.Name):
        return _NAMES.get(node.id)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        name = node.func.id
        if name in ("last", "events") and len(node.args) == 1 \
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            step = steps.get(node.args[0].value)
            if step is None:
                return Text("此前步骤", "an earlier step")
            return Text(f"{step.zh}步骤", f"the {step.en} step")
        return _FUNCTIONS.get(name)
    if isinstance(node, ast.Attribute):
        part = FIELDS.get(node.attr)
        if part is None:
            return None
        base = _said(node.value, steps)
        if base is None or (isinstance(node.value, ast.Name) and node.value.id == "event"):
            return Text(f"本步骤的{part.zh}", f"the {part.en} of this step") \
                if base is not None else part
        return Text(f"{base.zh}的{part.zh}", f"the {part.en} of {base.en}")
    if isinstance(node, ast.Subscript):
        base = _said(node.value, steps)
        if base is None:
            return None
        return Text(f"{base.zh}中该项", f"the entry in {base.en}")
    return None
