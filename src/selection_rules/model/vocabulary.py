"""The values a clerk types: each code with its Chinese and English labels and aliases.

A case, record or procedure file holds many enumerated values (a meeting's body, a
ballot's kind, a document's kind, a post's level …). Each is declared here ONCE, as a
`Term` of a `Vocabulary`: the code the rules compare with (`standing_committee`), its
labels (常委会 / standing committee) and the other ways people write it (常委会议). A
field typed with a vocabulary accepts any of them and holds the code, so every rule sees
`standing_committee` whether the file says `standing_committee`, `常委会` or `Standing
Committee`; an unknown value is a located error that suggests the nearest values in both
languages. Messages show the label in the report's language (`Code.term`).

To type a new field with an existing vocabulary, annotate it — one annotation:

    body: Annotated[str, BODY]                      # one value
    checked: Distinct[Annotated[str, BACKGROUND]]   # a list of them
    training: dict[Annotated[str, TRAINING_STAGE], dt.date]   # as keys

A field whose type must stay a Literal (a discriminator, `Severity`) normalizes instead:
`Annotated[Literal[...], BeforeValidator(VOCAB.normalize)]` (aliases become the code; the
Literal still refuses the rest). A procedure parameter whose values are codes says
`terms: NAME` (engine/procedure.py reads them through the vocabulary, so a message shows
their labels). docs/values.md is generated from here (authoring/values_doc.py).

A new vocabulary is a `Vocabulary(name, label, terms)` added to `VOCABULARIES` below (the
JSON Schemas and docs/values.md list it from there). An *open* vocabulary (`open=True`)
keeps a value it does not know, as written (free text with some known values); a closed
one refuses it. A procedure or rule set adds its own terms under `terms:` (see
ProcedureSpec.terms), e.g. a county's own meeting body or the steps of its flow; they
are in force while a case naming it is read (`declared`).
"""

# No `from __future__ import annotations`: pydantic reads the annotations at class time.

from selection_rules.i18n import Text

# How terms are read and named (model/terms.py), used here and by the models through
# this module.
from selection_rules.model.terms import _DECLARED as _DECLARED
from selection_rules.model.terms import Code as Code
from selection_rules.model.terms import Term as Term
from selection_rules.model.terms import Vocabulary as Vocabulary
from selection_rules.model.terms import _key as _key
from selection_rules.model.terms import declared as declared
from selection_rules.model.terms import terms

BODY = Vocabulary("body", Text("会议主体", "meeting body"), terms(
    ("plenary", "全委会", "plenary", "全体会议|全委会议|党委全体会议|全会|全委会全体会议"),
    ("standing_committee", "常委会", "standing committee",
     "常委会议|常务委员会|常委会会议|县委常委会|县委常委会议"),
    ("secretaries_meeting", "书记专题会", "secretaries' meeting",
     "书记办公会|书记碰头会|书记专题会议"),
    ("cadre_meeting", "干部大会", "cadre meeting", "领导干部大会|干部会议"),
    ("party_group_meeting", "党组会", "party group meeting", "党组会议|党组(扩大)会议"),
    ("party_committee_meeting", "党委会", "party committee meeting", "党委会议|党委(扩大)会议"),
    ("organization_department", "组织部部务会", "organization department meeting",
     "组织部|部务会|部务会议|组织部部务会议"),
))

BALLOT_KIND = Vocabulary("ballot_kind", Text("投票方式", "ballot kind"), terms(
    ("secret", "无记名", "secret ballot", "无记名投票|无记名票|秘密投票|secret"),
    ("signed", "署名", "signed ballot", "署名投票|记名|记名投票|实名|signed"),
    ("open", "公开表决", "open vote (show of hands, roll call)",
     "举手|举手表决|口头表决|公开|唱名表决|show of hands"),
))

REASON = Vocabulary("reason", Text("动议缘由", "reason"), terms(
    ("vacancy", "出缺", "vacancy", "空缺|职位空缺|缺额"),
    ("adjustment", "调整", "adjustment", "工作需要调整|需要调整|调整配备"),
    ("new", "新设", "new post", "新设职位|新增职位|新增"),
))

AUDIENCE = Vocabulary("audience", Text("公示范围", "publicity audience"), terms(
    ("society", "面向社会", "the public", "社会|社会公示|向社会公示|公开"),
    ("internal", "单位内部", "within the unit", "内部|内部公示|单位内"),
))

BACKGROUND = Vocabulary("background_item", Text("核查项目", "item checked"), terms(
    ("age", "年龄", "age", "出生日期"),
    ("party_age", "党龄", "party standing", "入党时间"),
    ("work_age", "工龄", "years of work", "参加工作时间"),
    ("education", "学历", "education", "学历学位"),
    ("experience", "经历", "work history", "工作经历|履历"),
    ("identity", "身份", "cadre identity", "干部身份"),
))

PROBLEM_SOURCE = Vocabulary("problem_source", Text("问题来源", "problem source"), terms(
    ("inspection_tour", "巡视", "inspection tour", "巡察|巡视巡察"),
    ("discipline", "纪检", "discipline inspection", "纪检监察|纪委监委"),
    ("legal", "政法", "legal organs", "政法机关|公检法"),
    ("online_opinion", "网络舆情", "online opinion", "舆情|网络"),
    ("petition", "信访", "petition", "信访举报|举报"),
))

OUTCOME = Vocabulary("outcome", Text("核实结论", "outcome"), terms(
    ("cleared", "已澄清", "cleared", "不实|澄清|查否|予以澄清"),
    ("substantiated", "属实", "substantiated", "查实|基本属实|部分属实"),
))

POST_LEVEL = Vocabulary("post_level", Text("职位类别", "post level"), terms(
    ("city_party_secretary", "市委书记", "city party secretary", "市（地、州、盟）委书记"),
    ("mayor", "市长", "mayor", "市政府正职"),
    ("county_party_secretary", "县委书记", "county party secretary", "县（市、区）委书记|区委书记"),
    ("county_head", "县长", "county head", "县（市、区）长|区长|县政府正职"),
    ("county_level_head", "其他正县级领导职务", "other county-head-level post", "正县级|正县职"),
    ("city_department_head", "市直部门正职", "city department head", "市级部门正职"),
    ("city_department_deputy", "市直部门副职", "city department deputy", "市级部门副职"),
    ("county_department_head", "县级部门正职", "county department head",
     "县直部门正职|县级部门主要负责人|局长"),
    ("county_department_deputy", "县级部门副职", "county department deputy",
     "县直部门副职|副局长"),
    ("internal_body_leader", "内设机构领导职务", "head of an internal body",
     "内设机构负责人|内设机构领导"),
    ("government_institution_leader", "政府直属事业单位领导职务",
     "leader of a government institution", "事业单位领导职务|事业单位领导"),
    ("township_party_secretary", "乡镇党委书记", "township party secretary", "乡镇书记|镇党委书记"),
    ("township_head", "乡镇长", "township head", "乡长|镇长"),
))

DOCUMENT_KIND = Vocabulary("document_kind", Text("文书类别", "document kind"), terms(
    ("recommendation_letter", "书面推荐材料", "written recommendation",
     "推荐材料|推荐信|署名推荐材料"),
    ("leader_recommendation", "领导署名推荐材料", "leader's signed recommendation",
     "领导署名推荐|领导推荐"),
    ("record", "纪实表", "record of the step", "全程纪实表|纪实材料"),
    ("appointment_notice", "任职通知", "appointment notice", "任职文件|任免通知|任职决定"),
    ("tie_break", "并列情况及确定办法", "tie-break record", "并列处理记录|并列确定办法"),
), open=True)

OPINION_KIND = Vocabulary("opinion_kind", Text("征求意见对象", "person consulted"), terms(
    ("county_committee_leader_in_charge", "县委分管领导", "county committee leader in charge", ""),
    ("county_government_leader_in_charge", "县政府分管领导",
     "county government leader in charge", ""),
    ("npc_liaison_leader", "人大联系领导", "people's congress liaison leader", "县人大联系领导"),
    ("cppcc_liaison_leader", "政协联系领导", "CPPCC liaison leader", "县政协联系领导"),
    ("department_main_leader", "部门主要领导", "department's main leader", "部门主要负责人"),
), open=True)

TALK_KIND = Vocabulary("talk_kind", Text("谈话类别", "kind of talk"), terms(
    ("appointment", "任职谈话", "appointment talk", "任前谈话"),
    ("clean_government", "廉政教育谈话", "clean-government talk", "廉政谈话|任前廉政谈话"),
), open=True)

APPROVAL_KIND = Vocabulary("approval_kind", Text("批复事项", "what is approved"), terms(
    ("exceptional_promotion", "破格提拔", "exceptional promotion", "破格"),
), open=True)

TRAINING_STAGE = Vocabulary("training_stage", Text("后备干部培养环节", "training stage"), terms(
    ("unit_recommendation", "单位推荐", "unit recommendation", ""),
    ("unified_exam", "统一考试", "unified exam", "统考"),
    ("organizational_inspection", "组织考察", "organizational inspection", ""),
    ("centralized_training", "集中培训", "centralized training", ""),
    ("practical_training", "实践锻炼", "practical training", ""),
), open=True)

SCREENING_CONDITION = Vocabulary(
    "screening_condition", Text("不予研究的情形", "no-discussion condition"), terms(
        ("no_democratic_recommendation", "未经民主推荐", "not democratically recommended",
         "没有经过民主推荐"),
        ("not_inspected", "未经考察", "not inspected", "没有经过考察"),
        ("divided_opinions", "意见分歧较大", "opinions sharply divided", "分歧较大"),
        ("unverified_report", "反映问题未查清", "a report not yet cleared",
         "有反映问题未查清|问题未查清"),
    ))

MOVE_KIND = Vocabulary("move_kind", Text("借调或调离", "kind of move"), terms(
    ("secondment", "借调", "secondment", ""),
    ("transfer", "调离", "transfer", "调动|调出"),
))

SUPERVISED_LEVEL = Vocabulary("supervised_level", Text("单位层级", "unit level"), terms(
    ("county", "县区", "county", "县|区|县（区）|县（市、区）"),
    ("city_department", "市直部门", "city department", "市级部门|市直单位"),
))

UNIT_GRADE = Vocabulary("unit_grade", Text("班子考核等次", "team rating"), terms(
    ("优秀", "优秀", "excellent", ""),
    ("良好", "良好", "good", ""),
    ("一般", "一般", "fair", "average"),
    ("较差", "较差", "poor", "差"),
))

LEADER_GRADE = Vocabulary("leader_grade", Text("干部考核等次", "leader rating"), terms(
    ("优秀", "优秀", "excellent", ""),
    ("称职", "称职", "competent", ""),
    ("基本称职", "基本称职", "basically competent", ""),
    ("不称职", "不称职", "incompetent", ""),
))

# A candidate's facts (model/candidate_facts.py) and the post's rank, as the 干部任免审批表
# writes them; lowest first (candidate_facts.RANKS and EDUCATIONS keep the order).
RANK = Vocabulary("rank", Text("职务层次", "rank"), terms(
    ("staff", "科员", "staff member", "科员级|办事员"),
    ("deputy_section", "副科级", "deputy section level", "副科|副科级领导职务|乡科级副职"),
    ("section", "正科级", "section level", "正科|正科级领导职务|乡科级正职"),
    ("deputy_division", "副处级（副县级）", "deputy division (county) level",
     "副处级|副县级|副处|副县|县处级副职"),
    ("division", "正处级（正县级）", "division (county) level",
     "正处级|正县级|正处|正县|县处级正职"),
    ("deputy_bureau", "副厅级", "deputy bureau level", "副厅|副局级|厅局级副职"),
    ("bureau", "正厅级", "bureau level", "正厅|正局级|厅局级正职"),
))

EDUCATION = Vocabulary("education", Text("最高学历", "highest education"), terms(
    ("secondary", "中专及以下", "secondary school or below", "中专|高中|初中|中等专科|中技"),
    ("college", "大学专科", "junior college", "大专|专科"),
    ("bachelor", "大学本科", "bachelor's degree", "本科|大学|大本"),
    ("master", "硕士研究生", "master's degree", "硕士|研究生"),
    ("doctorate", "博士研究生", "doctorate", "博士"),
))

STANCE = Vocabulary("stance", Text("表决意见", "stance"), terms(
    ("agree", "同意", "agree", "赞成"),
    ("disagree", "不同意", "disagree", "反对"),
    ("defer", "缓议", "defer", "暂缓|缓议表决"),
))

RECORD_KIND = Vocabulary("record_kind", Text("记录类型", "record kind"), terms(
    ("assessment", "年度考核档案", "annual assessment file", "考核档案|年度考核"),
    ("roster", "干部名册", "cadre roster", "名册"),
    ("supervision", "选人用人专项监督检查台账", "special-supervision log",
     "监督台账|专项监督检查台账"),
    ("scoring", "互联网积分管理台账", "online points register",
     "积分管理台账|互联网积分台账|积分台账"),
    ("rectification", "述职评议整改督查台账", "rectification inspection register",
     "党组织书记抓党建述职评议整改督查台账|整改督查台账"),
    ("assessment_scope", "考核范围及责任书登记", "assessment scope and letters register",
     "综合目标管理考核范围及责任书登记|考核范围登记"),
    ("score_sheets", "考核评分登记", "assessment score sheets", "评分登记|考核评分表"),
))

# The registers' values (model/registers.py) and the talks' complaints (model/records.py).
SCORED_KIND = Vocabulary("scored_kind", Text("积分对象类别", "kind of scored subject"), terms(
    ("township_team", "乡镇领导班子", "township leadership team",
     "乡镇班子|镇领导班子|乡领导班子|乡镇党政领导班子"),
    ("aid_force", "“五个一”帮扶力量", "'five ones' aid force",
     "帮扶力量|五个一帮扶力量|\"五个一\"帮扶力量|五个一"),
))

SCOPE_CATEGORY = Vocabulary("scope_category", Text("考核单位类别", "unit category"), terms(
    ("township", "乡镇", "township party committee and government",
     "乡镇党委、政府|乡镇党委政府|乡镇党委和政府"),
    ("party_department", "党群部门", "party or mass-organization department",
     "县直党群部门|党群"),
    ("government_department", "政府部门", "government department",
     "县政府部门|政府工作部门|县直政府部门"),
    ("vertical_unit", "垂直管理单位", "vertically managed unit",
     "省市垂直管理单位|垂管单位|垂直单位"),
))

SECTION_LEVEL = Vocabulary("section_level", Text("科级层次", "section level"), terms(
    ("section_head", "科级正职", "section head", "正科级|正科|正科级领导职务"),
    ("deputy_section", "科级副职", "deputy section head", "副科级|副科|副科级领导职务"),
    ("section_treatment", "享受科级待遇", "section-level treatment",
     "科级非领导|科级非领导职务|享受科级待遇的干部|科级待遇"),
))

ORGAN_KIND = Vocabulary("organ_kind", Text("单位性质", "kind of organ"), terms(
    ("administrative", "行政机关", "administrative organ", "行政单位|行政|机关"),
    ("public_institution", "事业单位", "public institution", "事业"),
))

SCORING_METHOD = Vocabulary("scoring_method", Text("评分方式", "scoring method"), terms(
    ("report", "听汇报", "hearing a report", "述职报告|汇报|听取汇报|工作汇报"),
    ("democratic_test", "民主测评", "democratic appraisal", "测评"),
    ("democratic_review", "民主评议", "democratic review", "评议"),
    ("interview", "个别谈话", "individual talks", "谈话|个别谈话了解"),
    ("site_visit", "实地察看", "site visit", "实地查看|实地考察|现场查看"),
))


# The county standing committee is the meeting body of the same name: one term, so its
# labels and aliases cannot drift apart.
REVIEW_BODY = Vocabulary("review_body", Text("联审会议", "reviewing meeting"), (
    Term("joint_meeting", "四大组织联席会议", "joint meeting of the four leading bodies",
         ("联席会议", "四大班子联席会议", "四大组织联席会")),
    *(t for t in BODY.terms if t.code == "standing_committee"),
))

COMPLAINT_SOURCE = Vocabulary("complaint_source", Text("举报方式", "how the report came in"),
                              terms(
    ("letter", "来信", "letter", "信件|来信举报|信函"),
    ("visit", "来访", "visit", "来访举报|上访"),
    ("phone", "来电", "phone call", "电话|电话举报|来电举报"),
    ("online", "网络举报", "online report", "网络|网上举报|网上"),
    ("other", "其他", "other", "其它"),
))

# Not OUTCOME: a finding of a report is three-valued, and 部分属实 is a finding of its own.
COMPLAINT_FINDING = Vocabulary("complaint_finding", Text("查核结论", "finding"), terms(
    ("substantiated", "属实", "substantiated", "查实|基本属实"),
    ("partly_substantiated", "部分属实", "partly substantiated", "部分查实"),
    ("unsubstantiated", "不属实", "unsubstantiated", "不实|失实|查否"),
))

SEVERITY = Vocabulary("severity", Text("严重程度", "severity"), terms(
    ("error", "错误", "error", "严重"),
    ("warning", "警告", "warning", ""),
    ("info", "提示", "info", "信息"),
))

# The steps of the case's procedure (Event.type): declared by the procedure as it is
# read (their labels are the steps'); open, since replay reports an unknown event itself.
STEP = Vocabulary("step", Text("步骤", "step"), (), open=True)

VOCABULARIES: dict[str, Vocabulary] = {v.name: v for v in (
    BODY, BALLOT_KIND, REASON, AUDIENCE, BACKGROUND, PROBLEM_SOURCE, OUTCOME, POST_LEVEL,
    DOCUMENT_KIND, OPINION_KIND, TALK_KIND, APPROVAL_KIND, TRAINING_STAGE,
    SCREENING_CONDITION, MOVE_KIND, SUPERVISED_LEVEL, UNIT_GRADE, LEADER_GRADE, RANK,
    EDUCATION, STANCE, RECORD_KIND, SCORED_KIND, SCOPE_CATEGORY, SECTION_LEVEL, ORGAN_KIND,
    SCORING_METHOD, REVIEW_BODY, COMPLAINT_SOURCE, COMPLAINT_FINDING, SEVERITY, STEP,
)}


_LABELS: dict[str, set[tuple[str, str]]] = {}


def _builtin_labels() -> dict[str, set[tuple[str, str]]]:
    if not _LABELS:
        for vocabulary in VOCABULARIES.values():
            for term in vocabulary.terms:
                _LABELS.setdefault(term.code, set()).add((term.zh, term.en))
    return _LABELS


def label_of(value: str) -> Text | None:
    """The label of a bare code (a procedure parameter's value, a built-in's result)
    where exactly one term of any vocabulary, built-in or declared, has that code."""
    if isinstance(value, Code):
        return value.term.label()
    # The built-in terms by code, indexed once (a message asks for each value it shows);
    # declared terms are few, and change with the case being read.
    found = set(_builtin_labels().get(value, ()))
    for declared_terms in _DECLARED.get().values():
        found.update((t.zh, t.en) for t in declared_terms if t.code == value)
    if len(found) == 1:
        zh, en = found.pop()
        return Text(zh, en)
    return None
