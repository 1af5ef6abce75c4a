"""The registers a clerk keeps beside the assessment file, as pydantic models.

Four kinds, each the paper register behind one requirement of the seeds:

- `scoring` (互联网积分管理台账, YT-2): the township teams and "five ones" aid forces in
  the half-yearly online scoring, each with the dates it was scored, the points and who
  entered and signed them off;
- `rectification` (党组织书记抓党建述职评议整改督查台账, HZ-11): each party secretary
  debriefed, the rectification plan, when the problems were all closed, and every
  special inspection of the rectification with who did it and who signed;
- `assessment_scope` (综合目标管理考核范围及责任书登记, QS-10): the units in the scope of
  the comprehensive target assessment by category, when each signed its
  target-responsibility letter and who signed, and the section-level cadres with whether
  each is in the year's assessment;
- `score_sheets` (考核评分登记, QS-11): who scored which unit, the leaders each scorer is
  in charge of or liaises with, the signatures at each level, and the joint review of
  the results.

As records.py does, this module fixes what each register holds and what is impossible
whatever the rules (an id defined twice, a sheet about a unit nobody defined, a register
judged as of a day before it starts); what the register *should* show is the rules'.
Enumerated values are read through model/vocabulary.py: a file may write the code
(`township_team`) or its Chinese (乡镇领导班子), and the rules see the code.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from selection_rules.i18n import Text
from selection_rules.model.case import Exact, NonNeg, Record, unique_ids
from selection_rules.model.defaults import new_list
from selection_rules.model.item_lists import Distinct
from selection_rules.model.records import (
    RECORD_MODELS,
    LeaderGrade,
    Loc,
    RecordFile,
    reference_problems,
)
from selection_rules.model.vocabulary import (
    ORGAN_KIND,
    RECORD_KIND,
    REVIEW_BODY,
    SCOPE_CATEGORY,
    SCORED_KIND,
    SCORING_METHOD,
    SECTION_LEVEL,
)


class _Dated(RecordFile):
    """A register kept from `start` to `as_of`."""

    start: dt.date = Field(description="台账起算日")
    as_of: dt.date = Field(description="台账截止日期 (the register is judged as of this date)")

    @model_validator(mode="after")
    def _ordered(self) -> _Dated:
        if self.as_of < self.start:
            raise ValueError(
                f"as_of ({self.as_of}) is before start ({self.start}); 截止日期早于起算日")
        return self

    def day(self) -> dt.date:
        return self.as_of


class _Yearly(RecordFile):
    """A register of one assessment year: `start` and `as_of` default to its first and
    last day."""

    year: int = Field(ge=1949, le=2100, description="考核年度")
    start: dt.date | None = Field(None, description="考核年度起始日; default: 1 January of `year`")
    as_of: dt.date | None = Field(
        None, description="Judged as of this date; default: 31 December of `year`")

    @model_validator(mode="before")
    @classmethod
    def _year_bounds(cls, data: Any) -> Any:
        # Only a year a date can have: another is left to the field's bounds to report.
        if isinstance(data, dict) and isinstance(data.get("year"), int) \
                and dt.MINYEAR <= data["year"] <= dt.MAXYEAR:
            year = data["year"]
            # `start: null` is the default too: a rule reads the year's start, never None.
            return {**data, "start": data.get("start") or dt.date(year, 1, 1),
                    "as_of": data.get("as_of") or dt.date(year, 12, 31)}
        return data

    def day(self) -> dt.date:
        return self.as_of or dt.date(self.year, 12, 31)


# ---------------------------------------------------------------------------- scoring


class Scoring(Record):
    """One online scoring (互联网积分) of a team or aid force."""

    date: dt.date = Field(description="积分日期 (the date the points were entered online)")
    points: Exact | None = Field(None, description="积分 (exact)")
    entered_by: str | None = Field(None, description="录入人")
    reviewed_by: str | None = Field(None, description="审核签字人")


class ScoredSubject(Record):
    """A township leadership team or a "five ones" aid force in the scoring."""

    id: str = Field(description="Subject id, e.g. T01")
    name: str = Field(description="名称, e.g. 富驿镇领导班子")
    kind: Annotated[str, SCORED_KIND] = Field(
        description="乡镇领导班子或“五个一”帮扶力量")
    township: str | None = Field(None, description="所在乡镇")
    since: dt.date | None = Field(
        None, description="纳入积分管理日期 (default: the register's start)")
    scores: list[Scoring] = Field(default_factory=new_list, description="积分记录")


class ScoringRegister(_Dated):
    """互联网积分管理台账: who is scored, and when, from `start` to `as_of`."""

    record: Annotated[Literal["scoring"], BeforeValidator(RECORD_KIND.normalize)]
    subjects: list[ScoredSubject] = Field(default_factory=new_list)


# ---------------------------------------------------------------------------- rectification


class RectificationCheck(Record):
    """A special inspection (专项督促检查) of a secretary's rectification."""

    date: dt.date = Field(description="督查日期")
    by: str | None = Field(None, description="督查组或督查人")
    findings: str | None = Field(None, description="督查情况")
    signed_by: Distinct[str] = Field(default_factory=new_list, description="签字人")


class Secretary(Record):
    """A party organization's secretary, debriefed on party building, and the follow-up."""

    id: str = Field(description="Secretary id, e.g. S01")
    name: str = Field(description="姓名")
    organization: str = Field(description="党组织名称, e.g. 某镇党委")
    debriefed: dt.date = Field(description="述职评议日期 (the problems are listed from here)")
    plan: dt.date | None = Field(None, description="整改方案制定日期")
    problems: NonNeg | None = Field(None, description="问题清单所列问题数")
    closed: dt.date | None = Field(
        None, description="问题全部销号日期 (no more inspections are due after it)")
    inspections: list[RectificationCheck] = Field(
        default_factory=new_list, description="整改落实情况专项督促检查")


class RectificationRegister(RecordFile):
    """党组织书记抓党建述职评议整改督查台账, as of a date."""

    record: Annotated[Literal["rectification"], BeforeValidator(RECORD_KIND.normalize)]
    as_of: dt.date = Field(description="台账截止日期")
    secretaries: list[Secretary] = Field(default_factory=new_list)

    def day(self) -> dt.date:
        return self.as_of


# ---------------------------------------------------------------------------- assessment scope


class ScopeUnit(Record):
    """A unit in the comprehensive target assessment, and its responsibility letter."""

    id: str = Field(description="Unit id, e.g. U01")
    name: str = Field(description="单位名称")
    category: Annotated[str, SCOPE_CATEGORY] = Field(
        description="乡镇党委、政府、县直党群部门、政府部门或省市垂直管理单位")
    letter: dt.date | None = Field(None, description="目标管理责任书签订日期")
    signed_by: Distinct[str] = Field(
        default_factory=new_list, description="责任书签字人 (县委、县政府主要领导和单位负责人)")


class SectionCadre(Record):
    """A section-level cadre (or one with section-level treatment) and the year's assessment."""

    id: str = Field(description="Cadre id, e.g. K01")
    name: str = Field(description="姓名")
    unit: str | None = Field(None, description="工作单位")
    level: Annotated[str, SECTION_LEVEL] = Field(
        description="科级正职、科级副职或享受科级待遇")
    organ: Annotated[str, ORGAN_KIND] | None = Field(None, description="行政机关或事业单位")
    assessed: bool | None = Field(None, description="纳入年度考核")
    rating: LeaderGrade | None = Field(None, description="年度考核等次: 优秀/称职/基本称职/不称职")


class AssessmentScope(_Yearly):
    """综合目标管理考核范围及责任书登记, with the year's section-level cadres."""

    record: Annotated[Literal["assessment_scope"], BeforeValidator(RECORD_KIND.normalize)]
    scope: list[ScopeUnit] = Field(default_factory=new_list, description="考核范围内的单位")
    cadres: list[SectionCadre] = Field(
        default_factory=new_list, description="科级干部和享受科级待遇的干部")


# ---------------------------------------------------------------------------- score sheets


class Scorer(Record):
    """Who scores: a county leader or a member of an assessment group."""

    id: str = Field(description="Scorer id, e.g. L01")
    name: str = Field(description="姓名")
    post: str | None = Field(None, description="职务")
    in_charge_of: Distinct[str] = Field(
        default_factory=new_list, description="分管或联系的单位 (unit ids)")


class AssessedUnit(Record):
    id: str = Field(description="Unit id used by score sheets, e.g. U01")
    name: str = Field(description="单位名称")


class Signatures(Record):
    """评定分值逐级把关签名: one name per level."""

    scorer: str | None = Field(None, description="评分人签名")
    group_leader: str | None = Field(None, description="考核组组长审核签名")
    office: str | None = Field(None, description="考核办负责人复核签名")


class ScoreSheet(Record):
    """One score sheet: who scored which unit, by which method, and who signed it."""

    id: str | None = Field(None, description="评分表编号")
    unit: str = Field(description="The unit scored (a unit id)")
    scorer: str = Field(description="评分人 (a scorer id)")
    method: Annotated[str, SCORING_METHOD] | None = Field(
        None, description="听汇报、民主测评、民主评议、个别谈话或实地察看")
    score: Exact | None = Field(None, description="分值 (exact)")
    date: dt.date | None = Field(None, description="评分日期")
    signed: Signatures = Field(default_factory=Signatures, description="逐级签名")


class JointReview(Record):
    """A meeting that reviewed the assessment's results."""

    kind: Annotated[str, REVIEW_BODY] = Field(description="四大组织联席会议或县委常委会议")
    date: dt.date = Field(description="会议日期")
    minutes: str | None = Field(None, description="会议纪要编号")


class ScoreSheets(_Yearly):
    """考核评分登记: units, scorers, score sheets, and the joint review of the results."""

    record: Annotated[Literal["score_sheets"], BeforeValidator(RECORD_KIND.normalize)]
    units: list[AssessedUnit] = Field(default_factory=new_list)
    scorers: list[Scorer] = Field(default_factory=new_list)
    sheets: list[ScoreSheet] = Field(default_factory=new_list, description="评分表")
    reviews: list[JointReview] = Field(default_factory=new_list, description="考核结果联审")
    published: dt.date | None = Field(None, description="考核结果公布日期")


REGISTER_MODELS: dict[str, type[RecordFile]] = {
    "scoring": ScoringRegister,
    "rectification": RectificationRegister,
    "assessment_scope": AssessmentScope,
    "score_sheets": ScoreSheets,
}

# Every record kind's model: records.py's and these.
ALL_RECORD_MODELS: dict[str, type[RecordFile]] = {**RECORD_MODELS, **REGISTER_MODELS}


def all_reference_problems(record: RecordFile) -> list[tuple[Loc, Text]]:
    """records.py's reference problems, and those of the registers here."""
    problems = reference_problems(record)
    if isinstance(record, ScoringRegister):
        unique_ids([s.id for s in record.subjects], "subjects", problems)
    elif isinstance(record, RectificationRegister):
        unique_ids([s.id for s in record.secretaries], "secretaries", problems)
    elif isinstance(record, AssessmentScope):
        unique_ids([u.id for u in record.scope], "scope", problems)
        unique_ids([c.id for c in record.cadres], "cadres", problems)
    elif isinstance(record, ScoreSheets):
        units = unique_ids([u.id for u in record.units], "units", problems)
        scorers = unique_ids([s.id for s in record.scorers], "scorers", problems)
        unique_ids([s.id for s in record.sheets], "sheets", problems)
        for i, s in enumerate(record.scorers):
            for j, ref in enumerate(s.in_charge_of):
                if ref not in units:
                    problems.append((("scorers", i, "in_charge_of", j),
                                     _unknown("单位", "unit", ref, units)))
        for i, sheet in enumerate(record.sheets):
            if sheet.unit not in units:
                problems.append((("sheets", i, "unit"),
                                 _unknown("单位", "unit", sheet.unit, units)))
            if sheet.scorer not in scorers:
                problems.append((("sheets", i, "scorer"),
                                 _unknown("评分人", "scorer", sheet.scorer, scorers)))
    return problems


def _unknown(zh: str, en: str, name: str, known: set[str]) -> Text:
    listed = ", ".join(sorted(known)) or "—"
    return Text(f"{zh} {name!r} 未在本文件中定义（已定义：{listed}）",
                f"unknown {en} {name!r} (defined: {listed})")
