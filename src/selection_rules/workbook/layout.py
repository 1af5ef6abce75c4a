"""The tables of a case workbook: which sheet holds which part of a case, column by column.

One layout serves the reader (workbook → case data), the writer (case data → workbook,
for the template and the example twins) and the CSV form (the same tables one after the
other in one file). A column names the place in the case it fills (a path below the row's
object) and how its cell is read (`Kind`).

Every row of an event's table names its event by 序号, the number in the 各环节 sheet's
first column, so a clerk can add a vote's figures without counting rows; likewise every
row of a candidate's facts (简历, 培训, 年度考核, as the 干部任免审批表 keeps them) names its
candidate by 人选编号, the 编号 of the candidate's row in 人选.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from selection_rules.i18n import Text

Kind = Literal["text", "int", "number", "date", "bool", "choice", "ids", "texts", "auto"]

# How a table's rows land in the case (see read.py):
#   top     — rows of `label | value`, the case's own fields
#   list    — each row one item of a list at the top (posts, candidates)
#   events  — each row one event
#   section — each row the one `section` object of the event it names
#   item    — each row one item appended to the list `section` of its event
#   keyed   — each row the entry of the mapping `section` for the key in column `key`
#   keyed_list — each row one item of the list the mapping `section` holds for its key
#   person_item  — each row one item appended to the list `section` of the candidate it
#                  names by 人选编号 (a line of the 简历, a training course)
#   person_keyed — each row the entry, for the key in column `key`, of the mapping
#                  `section` of the candidate it names (a year's appraisal)
#   other   — rows of `path | value`: whatever the other tables do not hold
Shape = Literal["top", "list", "events", "section", "item", "keyed", "keyed_list",
                "person_item", "person_keyed", "other"]


@dataclass(frozen=True)
class Column:
    zh: str  # the header a clerk reads and writes
    path: tuple[str, ...]  # below the row's object; () for a keyed table's value column
    kind: Kind
    en: str  # the English name, also accepted as the header
    # A choice whose model type lists codes (a Literal, as ranks and education are): the
    # vocabulary of model/vocabulary.py the reader checks the cell against, so a wrong
    # value is refused at its cell with the nearest values, as a vocabulary field's is.
    terms: str | None = None

    @property
    def key(self) -> str:
        return ".".join(self.path) or self.en


@dataclass(frozen=True)
class Table:
    sheet: str
    shape: Shape
    title: Text
    columns: tuple[Column, ...]
    section: tuple[str, ...] = ()  # where the rows go below an event (or the top)
    key: Column | None = None  # keyed tables: the column holding the key


SEQ = Column("序号", ("seq",), "int", "no")
EVENT = Column("环节序号", ("event",), "int", "event no")
# The candidate a row of 简历, 培训 or 年度考核 belongs to: the 编号 of a row of 人选.
CANDIDATE = Column("人选编号", ("candidate",), "text", "candidate")


def c(zh: str, path: str, kind: Kind, en: str | None = None, terms: str | None = None
      ) -> Column:
    parts = tuple(path.split(".")) if path else ()
    return Column(zh, parts, kind, en or path, terms)


TABLES: tuple[Table, ...] = (
    Table("基本信息", "top", Text("案卷的基本信息", "the case itself"), (
        c("案卷编号", "case", "text"),
        c("程序", "procedure", "text"),
        c("附加规则集", "rule_sets", "texts"),
        c("选任单位", "unit", "text"),
        c("决定日期", "decision_date", "date"),
        c("纪实截止日期", "as_of", "date"),
    )),
    Table("职位", "list", Text("拟任职位", "the posts"), (
        c("编号", "id", "text"),
        c("职位名称", "title", "text"),
        c("职级", "level", "text"),
        c("出缺原因", "reason", "choice"),
        c("职务层次", "rank", "choice", terms="rank"),
    ), section=("posts",)),
    Table("人选", "list", Text("人选名单", "the candidates"), (
        c("编号", "id", "text"),
        c("姓名", "name", "text"),
        c("工作单位及职务", "unit", "text"),
        c("出生日期", "birth_date", "date"),
        c("破格提拔", "exceptional_promotion", "bool"),
        # The candidate's facts as the 干部任免审批表 gives them (model/candidate_facts.py):
        # the eligibility rules read them; the lists are the three sheets below.
        c("参加工作时间", "facts.work_start", "date", "work_start"),
        c("入党时间", "facts.party_join", "date", "party_join"),
        c("最高学历", "facts.education", "choice", "education", "education"),
        c("拟任职务", "facts.proposed_post", "text", "proposed_post"),
    ), section=("candidates",)),
    Table("简历", "person_item", Text("简历（每段任职经历一行）", "posts held, one a row"), (
        CANDIDATE,
        c("起始日期", "from", "date"),
        c("截止日期", "to", "date"),
        c("单位及职务", "title", "text"),
        c("职务层次", "rank", "choice", terms="rank"),
        c("基层", "grassroots", "bool"),
        c("破格", "exceptional", "bool"),
        c("试用期截止日期", "probation_until", "date"),
    ), section=("facts", "career")),
    Table("培训", "person_item", Text("培训经历", "training completed"), (
        CANDIDATE,
        c("结业日期", "completed", "date"),
        c("培训班名称", "title", "text"),
    ), section=("facts", "training")),
    # A year is a key, and keys are text, as in YAML.
    Table("年度考核", "person_keyed", Text("年度考核结果", "annual appraisals"), (
        CANDIDATE,
        c("等次", "", "choice", "grade"),
    ), section=("facts", "appraisals"), key=c("年度", "", "text", "year")),
    Table("各环节", "events", Text("各环节（按发生先后）", "the steps, in the order held"), (
        SEQ,
        c("环节", "type", "choice"),
        c("日期", "date", "date"),
        c("职位", "posts", "ids"),
        c("单位", "unit", "text"),
        c("考虑的人选", "candidates", "ids"),
        c("产生的名单", "result", "ids"),
        c("演讲人选", "speeches", "ids"),
        c("逐一介绍人选", "introductions", "ids"),
        c("动议提出者", "motion.by", "text"),
        c("动议原因", "motion.reason", "choice"),
        c("临时动议", "motion.ad_hoc", "bool"),
        c("动议说明", "motion.note", "text"),
        c("试用期开始", "probation.start", "date"),
        c("试用期结束", "probation.end", "date"),
        c("备注", "note", "text"),
    ), section=("events",)),
    Table("会议", "section", Text("会议", "meetings"), (
        EVENT,
        c("会议", "body", "choice"),
        c("应到人数", "entitled", "int"),
        c("实到人数", "present", "int"),
        c("主要负责人", "main_leader", "text"),
        c("表态顺序", "speaking_order", "texts"),
        c("列入议题", "agenda_item", "bool"),
    ), section=("meeting",)),
    Table("投票", "section", Text("推荐票、表决票总数", "ballots: totals"), (
        EVENT,
        c("投票方式", "kind", "choice"),
        c("应参加人数", "entitled", "int"),
        c("实参加人数", "participants", "int"),
        c("发出票数", "issued", "int"),
        c("收回票数", "returned", "int"),
        c("有效票数", "valid", "int"),
        c("无效票数", "invalid", "int"),
        c("弃权票数", "abstaining", "int"),
        c("署名人", "signed_by", "texts"),
    ), section=("ballot",)),
    Table("票数统计", "keyed", Text("推荐票、表决票统计（每人一行）", "votes per candidate"), (
        EVENT,
        c("同意", "agree", "int"),
        c("不同意", "disagree", "int"),
        c("弃权", "abstain", "int"),
    ), section=("ballot", "tallies"), key=c("人选", "", "text", "candidate")),
    Table("评分", "keyed", Text("评分（每人一行）", "scores"), (
        EVENT,
        c("得分", "", "number", "score"),
    ), section=("scores",), key=c("人选", "", "text", "candidate")),
    Table("名额", "keyed", Text("名额分配", "quotas"), (
        EVENT,
        c("名额", "", "int", "quota"),
    ), section=("quotas",), key=c("单位", "", "text", "unit")),
    Table("考察", "section", Text("考察", "inspections"), (
        EVENT,
        c("谈话人数", "people_interviewed", "int"),
        c("谈话对象类别", "interviewee_kinds", "texts"),
        c("查阅资料", "materials_checked", "texts"),
        c("走访方面", "aspects_visited", "texts"),
    ), section=("inspection",)),
    Table("考察不足", "keyed_list", Text("考察发现的不足", "shortcomings written up"), (
        EVENT,
        c("不足之处", "point", "text"),
        c("具体事例", "example", "text"),
    ), section=("inspection", "shortcomings"), key=c("人选", "", "text", "candidate")),
    Table("公示", "section", Text("任前公示", "publicity"), (
        EVENT,
        c("公示渠道", "channel", "text"),
        c("公示范围", "audience", "choice"),
        c("开始日期", "start", "date"),
        c("结束日期", "end", "date"),
    ), section=("publicity",)),
    Table("公示期间举报", "item", Text("公示期间收到的举报", "reports received"), (
        EVENT,
        c("收到日期", "received", "date"),
        c("反映对象", "about", "text"),
        c("是否查实", "verified", "bool"),
        c("影响任职", "affects_appointment", "bool"),
        c("说明", "note", "text"),
    ), section=("publicity", "reports")),
    Table("文件", "item", Text("文件及签字", "documents and signatures"), (
        EVENT,
        c("文件类型", "kind", "text"),
        c("签署人", "signed_by", "texts"),
        c("日期", "date", "date"),
        c("涉及人选", "about", "ids"),
        c("已归档", "archived", "bool"),
    ), section=("documents",)),
    Table("其他", "other", Text("其他事项（路径与值）", "anything else (path and value)"), (
        c("路径", "path", "text"),
        c("值", "value", "auto"),
    )),
)

BY_SHEET = {t.sheet: t for t in TABLES}
# A candidate's procedure-specific facts (attributes) are columns of 人选 headed `属性:名称`.
ATTRIBUTE_PREFIXES = ("属性:", "属性：", "attributes.")
ATTRIBUTE_HEADER = "属性:"
# Sheets a workbook may hold that are not read: the template's guide.
GUIDE_SHEET = "说明"


def event_field_names() -> dict[str, str]:
    """An event's field (`publicity.audience`) → the header a clerk knows it by (公示范围)."""
    out: dict[str, str] = {}
    for table in TABLES:
        if table.shape == "events":
            base: tuple[str, ...] = ()
        elif table.shape in ("section", "item", "keyed", "keyed_list"):
            base = table.section
        else:
            continue
        for col in table.columns:
            if col is not EVENT and col is not SEQ:
                out.setdefault(".".join((*base, *col.path)), col.zh)
    return out
