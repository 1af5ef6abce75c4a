"""Records that are not a selection flow: the annual assessment file, the cadre roster and
the supervision log, as pydantic models.

A selection case (model/case.py) is a sequence of events replayed through a procedure. The
records here are registers: lists of units, people and dated entries that rule sets read
as a whole, once, "as of" the record's date. Each file says what it is at the top
(`record: assessment | roster | supervision`) and which rule sets to apply
(`rule_sets: [...]`); a rule set says which kind it reads (`applies_to:`), so a rule set
given the wrong kind of file is refused before anything is checked.

Registers are flat lists that refer to each other by id (a talk names its team or
leader; a move names its cadre), as the paper registers do, so that every entry has a
path of its own (`talks[3].approved`) for a violation to point at. As in case.py,
this module fixes only what each record holds and what is impossible whatever the rules
(an id defined twice, a talk about nobody); what the record *should* show is the rules'.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from selection_rules.i18n import Text
from selection_rules.model.case import Exact, Record, unique_ids
from selection_rules.model.defaults import new_dict, new_list
from selection_rules.model.item_lists import Distinct
from selection_rules.model.vocabulary import (
    COMPLAINT_FINDING,
    COMPLAINT_SOURCE,
    LEADER_GRADE,
    MOVE_KIND,
    RECORD_KIND,
    SUPERVISED_LEVEL,
    UNIT_GRADE,
)

# The kinds and their labels are in engine/kinds.py, which a selection run imports
# without building these models.

# 年度目标责任考核 grades of a unit (XY-3 names 优秀, 一般, 较差; 良好 is the customary
# second grade of the four-grade scale) and 公务员年度考核 grades of a leader.
UnitGrade = Annotated[str, UNIT_GRADE]
LeaderGrade = Annotated[str, LEADER_GRADE]


class RecordFile(Record):
    """What every record file says at its top."""

    schema_: str | None = Field(None, alias="$schema")
    id: str = Field(description="Record id, e.g. xianyang-2023")
    unit: str = Field(description="The body that keeps the record, e.g. 咸阳市委组织部")
    rule_sets: Distinct[str] = Field(
        min_length=1, description="Rule sets to apply; each must read this kind of record"
    )
    note: str | None = None

    def day(self) -> dt.date:
        """The date the record is judged as of (dated rules and parameters resolve by it)."""
        raise NotImplementedError


# ---------------------------------------------------------------------------- assessment


class Team(Record):
    """A unit's leadership team (领导班子) as assessed, ranked and rated for the year."""

    id: str = Field(description="Team id used by talks and rankings, e.g. T01")
    name: str = Field(description="单位名称, e.g. 某镇党委政府, 县交通运输局")
    group: str | None = Field(None, description="考核类别, e.g. 乡镇 / 县直部门")
    main_leader: str | None = Field(
        None, description="主要负责人 (党委书记/党组书记): a leader id"
    )
    government_leader: str | None = Field(
        None, description="行政主要负责人 (乡镇长/局长), where not the same person: a leader id"
    )
    rating: UnitGrade | None = Field(None, description="年度考核等次: 优秀/良好/一般/较差")
    vetoed: Distinct[str] = Field(
        default_factory=new_list,
        description="一票否决 areas the unit failed this year, e.g. 计生, 综治, 安全生产, 党风廉政",
    )
    rewarded: bool | None = Field(None, description="班子和成员受到奖励")
    tasks_completed: bool | None = Field(None, description="完成年度工作任务")
    key_management: bool | None = Field(None, description="列为重点管理")


class Leader(Record):
    """A leader (领导干部) of a team, with the year's rating and what followed it."""

    id: str = Field(description="Leader id used by teams and talks, e.g. L01")
    name: str = Field(description="姓名")
    post: str | None = Field(None, description="职务")
    team: str | None = Field(None, description="The team id the leader belongs to")
    rating: LeaderGrade | None = Field(None, description="年度考核等次: 优秀/称职/基本称职/不称职")
    promoted: bool = Field(False, description="提拔或重用 on the strength of this year's results")
    demoted: bool | None = Field(None, description="降职使用")


class Complaint(Record):
    """A report (举报) a talk arose from, its verification and the feedback on both (XY-4)."""

    number: str | None = Field(None, description="举报件编号")
    received: dt.date | None = Field(None, description="受理日期")
    source: Annotated[str, COMPLAINT_SOURCE] | None = Field(
        None, description="举报方式: 来信、来访、来电、网络举报或其他")
    verified: dt.date | None = Field(None, description="查核完成日期")
    finding: Annotated[str, COMPLAINT_FINDING] | None = Field(
        None, description="查核结论: 属实、部分属实或不属实")
    feedback: dt.date | None = Field(None, description="对举报及查核情况进行反馈的日期")
    feedback_to: str | None = Field(None, description="反馈对象, e.g. 约谈对象 / 实名举报人")
    feedback_by: str | None = Field(None, description="反馈人")


class Talk(Record):
    """An admonishment talk (约谈) with a team or a leader, and its paper trail.

    Dates are those of the record: the proposal (约谈建议), the approval by the head of
    the organization department, the advance notice (约谈预告), the talk itself, and
    what follows it (the team's party committee meeting; for a leader, informing the
    unit's head and the written report).
    """

    id: str | None = Field(None, description="Register number, e.g. 2023-07")
    team: str | None = Field(None, description="The team talked to (a team id)")
    leader: str | None = Field(None, description="The leader talked to (a leader id)")
    date: dt.date = Field(description="约谈日期")
    reasons: Distinct[str] = Field(default_factory=new_list, description="约谈事由")
    proposed_by: str | None = Field(
        None, description="提出约谈建议的机构, e.g. 干部工作机构 / 干部监督机构"
    )
    proposed: dt.date | None = Field(None, description="约谈建议日期")
    approved_by: str | None = Field(None, description="同意人, e.g. 组织部主要负责人")
    approved: dt.date | None = Field(None, description="同意日期")
    announced: dt.date | None = Field(None, description="约谈预告日期")
    conducted_by: str | None = Field(
        None, description="约谈人, e.g. 组织部主要负责人 / 分管负责人"
    )
    recorded: bool | None = Field(None, description="全程纪实: the talk is fully recorded")
    meeting: dt.date | None = Field(
        None, description="Team talk: date of the 党委(党组)会 that heard the talk's findings"
    )
    unit_head_informed: dt.date | None = Field(
        None, description="Leader talk: date the unit's 党委(党组)主要负责人 was informed"
    )
    report: dt.date | None = Field(
        None, description="Leader talk: date of the written report (书面材料) on the correction"
    )
    complaint: Complaint | None = Field(
        None, description="涉及举报的: the report behind the talk, its verification and feedback"
    )

    @model_validator(mode="after")
    def _one_subject(self) -> Talk:
        if (self.team is None) == (self.leader is None):
            raise ValueError(
                "a talk names either `team` or `leader`, not both and not neither; "
                "约谈对象应为领导班子（team）或领导干部（leader）之一"
            )
        return self


class Ranking(Record):
    """One ranking of the year's comprehensive assessment, best first."""

    group: str = Field(description="考核类别, e.g. 乡镇 / 县直部门")
    order: Distinct[str] = Field(min_length=1, description="Team ids, first place first")


class AssessmentFile(RecordFile):
    """年度考核档案: teams, leaders, the year's talks, ratings, rankings and vetoes."""

    record: Annotated[Literal["assessment"], BeforeValidator(RECORD_KIND.normalize)]
    year: int = Field(ge=1949, le=2100, description="考核年度")
    # Never None once read: the validator below fills in the year's end.
    as_of: dt.date | None = Field(
        None, description="Judged as of this date; default: 31 December of `year`"
    )
    teams: list[Team] = Field(default_factory=new_list)
    leaders: list[Leader] = Field(default_factory=new_list)
    talks: list[Talk] = Field(default_factory=new_list, description="约谈登记 (the talks register)")
    rankings: list[Ranking] = Field(default_factory=new_list)

    @model_validator(mode="before")
    @classmethod
    def _year_end(cls, data: Any) -> Any:
        # Only a year a date can have: another is left to the field's bounds to report.
        if isinstance(data, dict) and "as_of" not in data and isinstance(data.get("year"), int) \
                and dt.MINYEAR <= data["year"] <= dt.MAXYEAR:
            return {**data, "as_of": dt.date(data["year"], 12, 31)}
        return data

    def day(self) -> dt.date:
        return self.as_of or dt.date(self.year, 12, 31)


# ---------------------------------------------------------------------------- roster


class Cadre(Record):
    """One cadre on the roster: post, dates, township service and pay."""

    id: str = Field(description="Cadre id used by moves, e.g. C01")
    name: str = Field(description="姓名")
    unit: str | None = Field(None, description="工作单位")
    post: str = Field(description="现任职务/岗位")
    level: str | None = Field(None, description="职务层次/职级, e.g. 正科级, 副科级, 一级科员")
    leader: bool = Field(False, description="担任领导职务")
    in_post_since: dt.date | None = Field(None, description="任现职（同一岗位）时间")
    township: bool = Field(False, description="在乡镇机关工作")
    civil_servant: bool = Field(True, description="公务员 (not 事业单位工作人员)")
    recruited: dt.date | None = Field(
        None, description="新录用到乡镇机关的日期 (a new township recruit; empty otherwise)"
    )
    pay: Exact | None = Field(None, description="经济待遇 (monthly, yuan; exact)")


class Move(Record):
    """A secondment (借调) or transfer (调离) out of a cadre's organ."""

    cadre: str = Field(description="The cadre id")
    kind: Annotated[str, MOVE_KIND] = Field(description="借调 secondment / 调离 transfer")
    date: dt.date = Field(description="借调或调离日期")
    to: str | None = Field(None, description="去向单位")


class Roster(RecordFile):
    """干部名册: cadres as of a date, their moves, and the county organs' pay by grade."""

    record: Annotated[Literal["roster"], BeforeValidator(RECORD_KIND.normalize)]
    as_of: dt.date = Field(description="名册截止日期")
    cadres: list[Cadre] = Field(default_factory=new_list)
    moves: list[Move] = Field(default_factory=new_list, description="借调、调动登记")
    county_pay: dict[str, Exact] = Field(
        default_factory=new_dict,
        description="县级机关同职级公务员经济待遇 by level (the same words as `level`)",
    )

    def day(self) -> dt.date:
        return self.as_of


# ---------------------------------------------------------------------------- supervision


class SupervisedUnit(Record):
    """A county or city department and the dates of its special supervision."""

    id: str = Field(description="Unit id, e.g. U01")
    name: str = Field(description="单位名称")
    level: Annotated[str, SUPERVISED_LEVEL] = Field(
        description="县区 (county) or 市直部门 (city_department)"
    )
    inspections: Distinct[dt.date] = Field(
        default_factory=new_list, description="选人用人专项监督检查的日期"
    )


class SupervisionLog(RecordFile):
    """选人用人专项监督检查台账: which unit was inspected when, from `start` to `as_of`."""

    record: Annotated[Literal["supervision"], BeforeValidator(RECORD_KIND.normalize)]
    start: dt.date = Field(description="轮回起算日 (the rotation is counted from this date)")
    as_of: dt.date = Field(description="台账截止日期")
    units: list[SupervisedUnit] = Field(default_factory=new_list)

    @model_validator(mode="after")
    def _ordered(self) -> SupervisionLog:
        if self.as_of < self.start:
            raise ValueError(
                f"as_of ({self.as_of}) is before start ({self.start}); 截止日期早于起算日"
            )
        return self

    def day(self) -> dt.date:
        return self.as_of


RECORD_MODELS: dict[str, type[RecordFile]] = {
    "assessment": AssessmentFile,
    "roster": Roster,
    "supervision": SupervisionLog,
}


# ---------------------------------------------------------------------------- references

Loc = tuple[str | int, ...]


def reference_problems(record: RecordFile) -> list[tuple[Loc, Text]]:
    """Ids defined twice or used without being defined, each with the path where it stands."""
    problems: list[tuple[Loc, Text]] = []
    if isinstance(record, AssessmentFile):
        teams = unique_ids([t.id for t in record.teams], "teams", problems)
        leaders = unique_ids([x.id for x in record.leaders], "leaders", problems)
        # A talk entered twice under its register number would count twice against the
        # year's rating caps (XY-3).
        unique_ids([t.id for t in record.talks], "talks", problems)
        for i, t in enumerate(record.teams):
            for name in ("main_leader", "government_leader"):
                ref = getattr(t, name)
                if ref is not None and ref not in leaders:
                    problems.append((("teams", i, name), _unknown("leader", ref, leaders)))
        for i, x in enumerate(record.leaders):
            if x.team is not None and x.team not in teams:
                problems.append((("leaders", i, "team"), _unknown("team", x.team, teams)))
        for i, talk in enumerate(record.talks):
            if talk.team is not None and talk.team not in teams:
                problems.append((("talks", i, "team"), _unknown("team", talk.team, teams)))
            if talk.leader is not None and talk.leader not in leaders:
                problems.append(
                    (("talks", i, "leader"), _unknown("leader", talk.leader, leaders)))
        ranked: set[str] = set()
        for i, r in enumerate(record.rankings):
            for j, tid in enumerate(r.order):
                if tid not in teams:
                    problems.append((("rankings", i, "order", j), _unknown("team", tid, teams)))
                elif tid in ranked:
                    problems.append((("rankings", i, "order", j), Text(
                        f"班子 {tid!r} 在排名中出现不止一次",
                        f"team {tid!r} is ranked more than once")))
                ranked.add(tid)
    elif isinstance(record, Roster):
        cadres = unique_ids([c.id for c in record.cadres], "cadres", problems)
        for i, m in enumerate(record.moves):
            if m.cadre not in cadres:
                problems.append((("moves", i, "cadre"), _unknown("cadre", m.cadre, cadres)))
    elif isinstance(record, SupervisionLog):
        unique_ids([u.id for u in record.units], "units", problems)
    return problems


_WHAT = {"team": "领导班子", "leader": "领导干部", "cadre": "干部"}


def _unknown(kind: str, name: str, known: set[str]) -> Text:
    listed = ", ".join(sorted(known)) or "—"
    return Text(
        f"{_WHAT[kind]} {name!r} 未在本文件中定义（已定义：{listed}）",
        f"unknown {kind} {name!r} (defined: {listed})",
    )
