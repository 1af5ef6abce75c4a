"""The selection case file: the 全程纪实 record of one selection, as pydantic models.

The vocabulary is the record's, not any procedure's: a motion, meetings, recommendations,
inspections, votes, publicity and the appointment. A procedure decides which event types
exist and what they must contain; this module only fixes what each kind of record holds,
and checks what is impossible whatever the procedure (present > entitled, a tally above
the valid ballots, a name that is not a candidate).
"""

# No `from __future__ import annotations`: pydantic would then evaluate every field's
# annotation from its text when the class is made, which is start-up time of the CLI.

import datetime as dt
from typing import Annotated, Self

from pydantic import Field, model_validator

from selection_rules import limits
from selection_rules.i18n import Text
from selection_rules.model.base import Exact, NonNeg, Record
from selection_rules.model.candidate_facts import RANK_DOC, CandidateFacts, Rank
from selection_rules.model.defaults import new_dict, new_list
from selection_rules.model.item_lists import Distinct, Repeats
from selection_rules.model.meetings import Ballot, Meeting, Motion, Reconsideration, Stance, Tally
from selection_rules.model.references import Loc, reference_problems, unique_ids
from selection_rules.model.vocabulary import (
    APPROVAL_KIND,
    AUDIENCE,
    BACKGROUND,
    DOCUMENT_KIND,
    OPINION_KIND,
    OUTCOME,
    POST_LEVEL,
    PROBLEM_SOURCE,
    REASON,
    SCREENING_CONDITION,
    STEP,
    TALK_KIND,
    TRAINING_STAGE,
    Code,
)

# Defined beside the case in model/base.py, meetings.py and references.py; read from here
# as parts of the case, as they always were (`casefile.Ballot`).
__all__ = ["Ballot", "Exact", "Loc", "Meeting", "Motion", "NonNeg", "Reconsideration", "Record",
           "Stance", "Tally", "reference_problems", "unique_ids"]



class Post(Record):
    id: str = Field(description="Post id used by events, e.g. P1")
    title: str = Field(description="职位名称, e.g. 县交通运输局局长")
    level: Annotated[str, POST_LEVEL] | None = Field(
        None, description="职级/类别, e.g. county_department_head, county_party_secretary"
    )
    reason: Annotated[str, REASON] | None = Field(
        None, description="出缺 (vacancy), 调整 (adjustment) or a new post"
    )
    rank: Rank | None = Field(None, description="The post's rank (EL-1 … EL-6). " + RANK_DOC)


class Approval(Record):
    """批复: an approval a step needs from another body, e.g. 破格提拔 by the higher
    organization department, with its date."""

    kind: Annotated[str, APPROVAL_KIND] = Field(
        description="What is approved, e.g. exceptional_promotion 破格提拔")
    by: str = Field(description="批复机关, e.g. 市委组织部 (the higher organization department)")
    date: dt.date = Field(description="批复日期")
    approved: bool = Field(True, description="同意 (true) / 不同意 (false)")
    note: str | None = None


ProblemSource = Annotated[str, PROBLEM_SOURCE]


class ProblemRecord(Record):
    """问题信息档案: a problem recorded about a cadre (Hanzhong), and its verification."""

    source: ProblemSource = Field(
        description="巡视 inspection_tour / 纪检 discipline / 政法 legal / "
        "网络舆情 online_opinion / 信访 petition"
    )
    recorded: dt.date = Field(description="记录在案日期")
    summary: str | None = Field(None, description="反映的问题")
    verified: dt.date | None = Field(None, description="核实清楚的日期; null: not yet verified")
    outcome: Annotated[str, OUTCOME] | None = Field(
        None, description="核实结论: 不实/已澄清 cleared, 属实 substantiated"
    )

    @model_validator(mode="after")
    def _verified_after_recorded(self) -> Self:
        if self.verified is not None and self.verified < self.recorded:
            raise ValueError(f"verified ({self.verified}) is before recorded ({self.recorded}); "
                             f"核实日期早于记录日期")
        if (self.verified is None) != (self.outcome is None):
            raise ValueError("`verified` and `outcome` go together; 核实日期与核实结论须同时填写")
        return self


BackgroundItem = Annotated[str, BACKGROUND]


class Verification(Record):
    """核查: the check of 三龄两历一身份 (age, party standing, years of work; education,
    work history; cadre identity) and of the personal-matters report (个人有关事项报告)."""

    date: dt.date = Field(description="核查日期")
    checked: Distinct[BackgroundItem] = Field(
        default_factory=new_list,
        description="核查项目: 年龄 age, 党龄 party_age, 工龄 work_age, 学历 education, "
        "经历 experience, 身份 identity",
    )
    personal_matters_report: bool = Field(
        False, description="个人重大事项报告（个人有关事项报告）已核查 "
        "(the personal-matters report was checked)"
    )
    doubts: Distinct[str] = Field(
        default_factory=new_list, description="尚未排除的疑点 (doubts not cleared)"
    )


class Candidate(Record):
    id: str = Field(description="Candidate id used by events, e.g. C01")
    name: str = Field(description="姓名")
    unit: str | None = Field(None, description="工作单位及职务")
    birth_date: dt.date | None = None
    attributes: dict[str, str | int | bool | Exact | dt.date | None] = Field(
        default_factory=new_dict,
        description="Procedure-specific facts, e.g. township_experience: true",
    )
    exceptional_promotion: bool = Field(False, description="破格提拔 (exceptional promotion)")
    approvals: list[Approval] = Field(
        default_factory=new_list, description="批复, e.g. the higher organization department's "
        "approval of an exceptional promotion"
    )
    problem_records: list[ProblemRecord] = Field(
        default_factory=new_list, description="问题信息档案 (problems on record, with verification)"
    )
    verification: Verification | None = Field(
        None, description="三龄两历一身份及个人重大事项报告核查 (Hanzhong HZ-3)"
    )
    reserve_training: dict[Annotated[str, TRAINING_STAGE], dt.date] = Field(
        default_factory=new_dict,
        description="后备干部培养记录: stage passed -> date, e.g. unified_exam: 2021-05-10 "
        "(清水“五段式”: unit_recommendation, unified_exam, organizational_inspection, "
        "centralized_training, practical_training)",
    )
    facts: CandidateFacts | None = Field(
        None, description="干部任免审批表的事实 (start of work, education, posts held, "
        "training), as the LRMX import writes them: the eligibility rules read them",
    )


class Shortcoming(Record):
    """A shortcoming written up by the inspection, with the concrete example it rests on."""

    point: str = Field(description="不足之处")
    example: str | None = Field(None, description="具体事例 (以事例呈现)")


_ByKind = Annotated[list[str], Repeats("one entry per item covered: several may be of one kind")]


class Inspection(Record):
    """考察: whom and what the inspection team covered, and what it wrote up."""

    people_interviewed: NonNeg | None = Field(None, description="谈话人数")
    # One entry per interview, material or visit, by kind: a kind may recur, and the rules
    # count distinct kinds (QS-4).
    interviewee_kinds: _ByKind = Field(default_factory=new_list, description="谈话对象类别")
    materials_checked: _ByKind = Field(default_factory=new_list, description="查阅资料类别")
    aspects_visited: _ByKind = Field(default_factory=new_list, description="走访方面")
    shortcomings: dict[str, list[Shortcoming | str]] = Field(
        default_factory=new_dict,
        description="Candidate id -> shortcomings written up: {point, example}, or a plain "
        "text that states both (its example is then not recorded separately)",
    )


class Report(Record):
    """A report (举报/反映) received during publicity, and how it was verified."""

    received: dt.date
    about: str = Field(description="Candidate id")
    verified: bool | None = Field(None, description="查实 (true), 不实 (false), pending (null)")
    affects_appointment: bool | None = Field(None, description="影响任职")
    note: str | None = None


class Publicity(Record):
    """任前公示: where, from when to when, and the reports received."""

    channel: str | None = Field(None, description="e.g. 县政府网站, 公示栏")
    audience: Annotated[str, AUDIENCE] | None = Field(
        None, description="面向社会 society (the public) / 单位内部 internal (within the unit)"
    )
    start: dt.date
    end: dt.date
    reports: list[Report] = Field(default_factory=new_list)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end < self.start:
            raise ValueError(f"end ({self.end}) is before start ({self.start}); 公示结束早于开始")
        return self


class Signature(Record):
    """A document and who signed it (全程纪实: each stage signed by those responsible)."""

    kind: Annotated[str, DOCUMENT_KIND] = Field(
        description="e.g. recommendation_letter 推荐材料, record 纪实表")
    signed_by: Distinct[str] = Field(default_factory=new_list)
    date: dt.date | None = None
    about: Distinct[str] = Field(
        default_factory=new_list,
        description="Candidate ids the document concerns (e.g. whom a 领导署名推荐 recommends); "
        "empty: the step as a whole",
    )
    archived: bool = Field(False, description="归档保存 (filed in the archive)")


class Opinion(Record):
    """One opinion sought on the nominees (征求意见), from one person."""

    kind: Annotated[str, OPINION_KIND] = Field(
        description="Whose opinion, by position, e.g. county_committee_leader_in_charge "
        "县委分管领导, npc_liaison_leader 人大联系领导, department_main_leader 部门主要领导"
    )
    by: str = Field(min_length=1, description="The person consulted (name and post)")
    date: dt.date | None = None
    view: str | None = Field(None, description="The opinion given, e.g. 同意")


class Talk(Record):
    """A talk held with an appointee, e.g. 任职谈话 or 廉政教育谈话."""

    kind: Annotated[str, TALK_KIND] = Field(
        description="e.g. appointment 任职谈话, clean_government 廉政教育谈话")
    about: str = Field(description="Candidate id: the cadre talked to")
    by: str | None = Field(None, description="Who held the talk")
    date: dt.date | None = None


class Screening(Record):
    """Pre-discussion screening of one candidate against the conditions under which the
    committee does not discuss an appointment (e.g. 清水“四个不研究”)."""

    checked: Distinct[Annotated[str, SCREENING_CONDITION]] = Field(
        default_factory=new_list, description="Conditions examined for this candidate"
    )
    held: Distinct[Annotated[str, SCREENING_CONDITION]] = Field(
        default_factory=new_list, description="Conditions found to hold (each bars the discussion)"
    )

    @model_validator(mode="after")
    def _held_were_checked(self) -> Self:
        unchecked = [c for c in self.held if c not in self.checked]
        if unchecked:
            zh = "、".join(c.term.zh if isinstance(c, Code) else c for c in unchecked)
            en = ", ".join(c.term.en if isinstance(c, Code) else c for c in unchecked)
            raise ValueError(Text(f"成立的情形（{zh}）未列入已审查的情形",
                                  f"conditions found to hold ({en}) are not among those checked"))
        return self


class Probation(Record):
    """任职试用期: set at the appointment, assessed when it ends (试用期满考核)."""

    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end <= self.start:
            raise ValueError(
                f"end ({self.end}) is not after start ({self.start}); 试用期结束不晚于开始"
            )
        return self


class Event(Record):
    """One step of the record. Which sections it needs is the procedure's business."""

    type: Annotated[str, STEP] = Field(description="Event type, one of the procedure's steps")
    date: dt.date
    posts: Distinct[str] = Field(
        default_factory=new_list, description="Post ids this step is for; empty: not post-specific"
    )
    unit: str | None = Field(
        None, description="The unit whose step this is, where several units each take it "
        "(e.g. 荣县: each district/county recommends its own candidates)"
    )
    quotas: dict[str, NonNeg] = Field(
        default_factory=new_dict,
        description="名额分配: unit -> the number of people it may recommend or report",
    )
    candidates: Distinct[str] = Field(
        default_factory=new_list, description="The candidates this step considers (its input list)"
    )
    result: Distinct[str] = Field(
        default_factory=new_list, description="The list this step produces (pool, nominees, chosen)"
    )
    motion: Motion | None = None
    meeting: Meeting | None = None
    ballot: Ballot | None = None
    inspection: Inspection | None = None
    publicity: Publicity | None = None
    speeches: Distinct[str] = Field(
        default_factory=new_list, description="Candidates who spoke (演讲)"
    )
    introductions: Distinct[str] = Field(
        default_factory=new_list, description="Candidates introduced one by one (逐一介绍)"
    )
    scores: dict[str, Exact] = Field(
        default_factory=new_dict, description="Candidate id -> score (e.g. interview)"
    )
    documents: list[Signature] = Field(default_factory=new_list)
    opinions: list[Opinion] = Field(
        default_factory=new_list,
        description="Opinions sought on the nominees (征求意见), one per person",
    )
    first_nominators: dict[str, Annotated[str, Field(min_length=1)]] = Field(
        default_factory=new_dict,
        description="Candidate id -> who first proposed the candidate (首提人, 首提问责)",
    )
    screening: dict[str, Screening] = Field(
        default_factory=new_dict,
        description="Candidate id -> conditions checked before the discussion, and those that held",
    )
    talks: list[Talk] = Field(
        default_factory=new_list, description="Talks held with appointees (任职谈话, 廉政教育谈话)"
    )
    probation: Probation | None = Field(None, description="试用期 set by the appointment")
    note: str | None = None


class Case(Record):
    """A selection case file."""

    schema_: str | None = Field(None, alias="$schema")
    case: str = Field(description="Case id")
    procedure: str = Field(description="Procedure id, e.g. pengshan-five-votes")
    rule_sets: Distinct[str] = Field(
        default_factory=new_list, description="Additional rule sets applied on top of the procedure"
    )
    unit: str = Field(description="The unit (党委/党组) that selects")
    decision_date: dt.date | None = Field(
        None, description="Date of the decision; default: the date of the decision step"
    )
    as_of: dt.date | None = Field(
        None, description="Date the record was last brought up to date (纪实截止日期): steps "
        "due by then (e.g. the end-of-probation assessment) must be on record"
    )
    posts: list[Post] = Field(min_length=1)
    candidates: list[Candidate] = Field(default_factory=new_list)
    events: list[Event] = Field(default_factory=new_list, max_length=limits.MAX_EVENTS)

    def post(self, post_id: str) -> Post:
        return next(p for p in self.posts if p.id == post_id)

    def candidate(self, cand_id: str) -> Candidate:
        return next(c for c in self.candidates if c.id == cand_id)
