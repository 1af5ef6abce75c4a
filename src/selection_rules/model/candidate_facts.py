"""A candidate's facts from the 干部任免审批表 (LRMX): start of work, education, the posts
held with their dates and ranks, appraisals, training — what the regulation's
eligibility conditions (选拔任用条件, EL-1 … EL-6) are checked against.

The shape is the one the LRMX importer writes; a case file may also state it directly.
Every field may be left out: a rule that needs a fact the file does not give reports it
as missing data, naming the fact, and never passes for want of it.
"""

# No `from __future__ import annotations`: see model/case.py.

import datetime as dt
from typing import Annotated, Literal, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from selection_rules.model.defaults import new_dict
from selection_rules.model.vocabulary import EDUCATION, RANK

# Literal (the rules order them by RANKS), written by any name of model/vocabulary.py.
Rank = Annotated[Literal["staff", "deputy_section", "section", "deputy_division", "division",
                         "deputy_bureau", "bureau"], BeforeValidator(RANK.normalize)]
# Lowest first: a promotion's number of levels is the difference of two places here.
RANKS: tuple[str, ...] = ("staff", "deputy_section", "section", "deputy_division", "division",
                          "deputy_bureau", "bureau")
RANK_DOC = ("职务层次: 科员 staff, 副科级 deputy_section, 正科级 section, 副处级/副县级 "
            "deputy_division, 正处级/正县级 division, 副厅级 deputy_bureau, 正厅级 bureau")

Education = Annotated[Literal["secondary", "college", "bachelor", "master", "doctorate"],
                      BeforeValidator(EDUCATION.normalize)]
# Lowest first.
EDUCATIONS: tuple[str, ...] = ("secondary", "college", "bachelor", "master", "doctorate")


class _Fact(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              defer_build=True)


class CareerEntry(_Fact):
    """One line of the 简历: a post held from one date to another (no `to`: held now)."""

    from_: dt.date = Field(alias="from", description="任职起始日期")
    to: dt.date | None = Field(None, description="任职截止日期; 空: 现任")
    title: str = Field(min_length=1, description="单位及职务, e.g. 某县某局副局长")
    rank: Rank | None = Field(None, description=RANK_DOC)
    grassroots: bool | None = Field(
        None, description="基层工作经历: 县级以下党政机关、乡镇（街道）、村（社区）、"
        "企事业单位基层等 (true) 或非基层 (false); 空: 未注明")
    exceptional: bool = Field(False, description="破格提拔任此职 (promoted to it exceptionally)")
    probation_until: dt.date | None = Field(
        None, description="任职试用期截止日期 (the probation of this post ends that day)")

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.to is not None and self.to < self.from_:
            raise ValueError(f"to ({self.to}) is before from ({self.from_}); "
                             "任职截止日期早于起始日期")
        return self


class Training(_Fact):
    """A training course completed (党校、行政学院、干部学院等培训)."""

    completed: dt.date = Field(description="结业日期")
    title: str | None = Field(None, description="培训班名称, e.g. 县委党校中青年干部培训班")


# The grades of the civil-service annual appraisal, as the 审批表 writes them.
Appraisal = Literal["优秀", "称职", "基本称职", "不称职"]


class CandidateFacts(_Fact):
    """干部任免审批表的事实: what the eligibility conditions are checked against."""

    work_start: dt.date | None = Field(None, description="参加工作时间")
    party_join: dt.date | None = Field(None, description="入党时间")
    education: Education | None = Field(
        None, description="最高学历: 中专及以下 secondary, 大学专科 college, 大学本科 bachelor, "
        "硕士研究生 master, 博士研究生 doctorate")
    career: list[CareerEntry] | None = Field(
        None, description="简历: 各任职经历及起止日期、职务层次、是否基层; 空: 未提供简历")
    appraisals: dict[int, Appraisal] = Field(
        default_factory=new_dict, description="近年年度考核结果: 年度 -> 优秀/称职/基本称职/不称职")
    proposed_post: str | None = Field(None, description="拟任职务")
    training: list[Training] | None = Field(
        None, description="培训经历: 结业日期及培训班; 空: 未提供培训记录, []: 未参加培训")
