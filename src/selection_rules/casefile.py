"""The selection case file: the 全程纪实 record of one selection, as pydantic models.

The vocabulary is the record's, not any procedure's: a motion, meetings, recommendations,
inspections, votes, publicity and the appointment. A procedure decides which event types
exist and what they must contain; this module only fixes what each kind of record holds,
and checks what is impossible whatever the procedure (present > entitled, a tally above
the valid ballots, a name that is not a candidate).
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from selection_rules.i18n import Text
from selection_rules.values import parse_number


def _exact(raw: object) -> Fraction:
    try:
        return Fraction(parse_number(raw))
    except ValueError as exc:  # pydantic turns ValueError into a located error
        raise ValueError(str(exc)) from None


Exact = Annotated[Fraction, BeforeValidator(_exact)]
NonNeg = Annotated[int, Field(ge=0)]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Post(Record):
    id: str = Field(description="Post id used by events, e.g. P1")
    title: str = Field(description="职位名称, e.g. 县交通运输局局长")
    level: str | None = Field(
        None, description="职级/类别, e.g. county_department_head, county_party_secretary"
    )
    reason: Literal["vacancy", "adjustment", "new"] | None = Field(
        None, description="出缺 (vacancy), 调整 (adjustment) or a new post"
    )


class Candidate(Record):
    id: str = Field(description="Candidate id used by events, e.g. C01")
    name: str = Field(description="姓名")
    unit: str | None = Field(None, description="工作单位及职务")
    birth_date: dt.date | None = None
    attributes: dict[str, str | int | bool | Exact | dt.date | None] = Field(
        default_factory=dict,
        description="Procedure-specific facts, e.g. township_experience: true",
    )


class Motion(Record):
    """动议: who moved the selection, when, for which post and why."""

    by: str = Field(description="动议提出者 (person or body)")
    reason: Literal["vacancy", "adjustment", "new"] = Field(
        description="出缺 vacancy / 调整 adjustment / 新设 new"
    )
    ad_hoc: bool = Field(False, description="临时动议: raised outside the agenda")
    note: str | None = None


class Meeting(Record):
    """A meeting: body, members entitled (应到) and present (实到), speaking order."""

    body: str = Field(description="e.g. standing_committee 常委会, plenary 全委会, cadre_meeting")
    entitled: NonNeg = Field(description="应到会成员数 (members who should attend)")
    present: NonNeg = Field(description="实到会成员数 (members present)")
    main_leader: str | None = Field(None, description="主要负责人 (the top leader)")
    speaking_order: list[str] = Field(
        default_factory=list, description="Members in the order they stated their opinions"
    )
    agenda_item: bool = Field(True, description="False for an ad hoc motion (临时动议)")

    @model_validator(mode="after")
    def _present_within_entitled(self) -> Meeting:
        if self.present > self.entitled:
            raise ValueError(
                f"present ({self.present}) exceeds entitled ({self.entitled}); "
                f"实到 ({self.present}) 多于应到 ({self.entitled})"
            )
        return self


class Tally(Record):
    """Votes for one candidate: 同意 / 不同意 / 弃权."""

    agree: NonNeg = Field(description="同意 / votes for")
    disagree: NonNeg = Field(0, description="不同意 / votes against")
    abstain: NonNeg = Field(0, description="弃权 / abstentions")


class Ballot(Record):
    """A recommendation or a vote: who could vote, ballots issued, valid, and tallies."""

    kind: Literal["secret", "signed", "open"] = Field(
        description="无记名 secret / 署名 signed / 公开 open (show of hands, roll call)"
    )
    entitled: NonNeg | None = Field(None, description="应参加人数 (people entitled to vote)")
    participants: NonNeg | None = Field(None, description="实参加人数 (people who took part)")
    issued: NonNeg | None = Field(None, description="发出票数")
    returned: NonNeg | None = Field(None, description="收回票数 (ballots cast)")
    valid: NonNeg | None = Field(None, description="有效票数")
    invalid: NonNeg | None = Field(None, description="无效票数")
    abstaining: NonNeg | None = Field(None, description="弃权票数 (whole ballots abstaining)")
    signed_by: list[str] = Field(
        default_factory=list, description="For a signed ballot: the voters named on it"
    )
    tallies: dict[str, Tally] = Field(
        default_factory=dict, description="Candidate id -> votes for that candidate"
    )

    @model_validator(mode="after")
    def _arithmetic(self) -> Ballot:
        def over(a: int | None, b: int | None) -> bool:
            return a is not None and b is not None and a > b

        pairs = [
            ("participants", "entitled"),
            ("returned", "issued"),
            ("valid", "returned"),
            ("valid", "issued"),
            ("valid", "participants"),
        ]
        for small, big in pairs:
            if over(getattr(self, small), getattr(self, big)):
                raise ValueError(
                    f"{small} ({getattr(self, small)}) exceeds {big} ({getattr(self, big)}); "
                    f"{small} 不能多于 {big}"
                )
        if self.returned is not None and self.valid is not None and self.invalid is not None:
            if self.valid + self.invalid != self.returned:
                raise ValueError(
                    f"valid ({self.valid}) + invalid ({self.invalid}) != returned "
                    f"({self.returned}); 有效票与无效票之和不等于收回票"
                )
        if self.valid is not None:
            for cid, t in self.tallies.items():
                if t.agree + t.disagree + t.abstain > self.valid:
                    raise ValueError(
                        f"votes for {cid} ({t.agree}+{t.disagree}+{t.abstain}) exceed the "
                        f"{self.valid} valid ballots; {cid} 的票数之和多于有效票"
                    )
        return self


class Inspection(Record):
    """考察: whom and what the inspection team covered, and what it wrote up."""

    people_interviewed: NonNeg | None = Field(None, description="谈话人数")
    interviewee_kinds: list[str] = Field(default_factory=list, description="谈话对象类别")
    materials_checked: list[str] = Field(default_factory=list, description="查阅资料类别")
    aspects_visited: list[str] = Field(default_factory=list, description="走访方面")
    shortcomings: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Candidate id -> shortcomings written up, each with a concrete example",
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
    start: dt.date
    end: dt.date
    reports: list[Report] = Field(default_factory=list)

    @model_validator(mode="after")
    def _ordered(self) -> Publicity:
        if self.end < self.start:
            raise ValueError(f"end ({self.end}) is before start ({self.start}); 公示结束早于开始")
        return self


class Signature(Record):
    """A document and who signed it (全程纪实: each stage signed by those responsible)."""

    kind: str = Field(description="e.g. recommendation_letter 推荐材料, record 纪实表")
    signed_by: list[str] = Field(default_factory=list)
    date: dt.date | None = None


class Event(Record):
    """One step of the record. Which sections it needs is the procedure's business."""

    type: str = Field(description="Event type, one of the procedure's steps")
    date: dt.date
    posts: list[str] = Field(
        default_factory=list, description="Post ids this step is for; empty: not post-specific"
    )
    candidates: list[str] = Field(
        default_factory=list, description="The candidates this step considers (its input list)"
    )
    result: list[str] = Field(
        default_factory=list, description="The list this step produces (pool, nominees, chosen)"
    )
    motion: Motion | None = None
    meeting: Meeting | None = None
    ballot: Ballot | None = None
    inspection: Inspection | None = None
    publicity: Publicity | None = None
    speeches: list[str] = Field(default_factory=list, description="Candidates who spoke (演讲)")
    introductions: list[str] = Field(
        default_factory=list, description="Candidates introduced one by one (逐一介绍)"
    )
    scores: dict[str, Exact] = Field(
        default_factory=dict, description="Candidate id -> score (e.g. interview)"
    )
    documents: list[Signature] = Field(default_factory=list)
    note: str | None = None


class Case(Record):
    """A selection case file."""

    schema_: str | None = Field(None, alias="$schema")
    case: str = Field(description="Case id")
    procedure: str = Field(description="Procedure id, e.g. pengshan-five-votes")
    rule_sets: list[str] = Field(
        default_factory=list, description="Additional rule sets applied on top of the procedure"
    )
    unit: str = Field(description="The unit (党委/党组) that selects")
    decision_date: dt.date | None = Field(
        None, description="Date of the decision; default: the date of the decision step"
    )
    posts: list[Post] = Field(min_length=1)
    candidates: list[Candidate] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)

    def post(self, post_id: str) -> Post:
        return next(p for p in self.posts if p.id == post_id)

    def candidate(self, cand_id: str) -> Candidate:
        return next(c for c in self.candidates if c.id == cand_id)


Loc = tuple[str | int, ...]


def reference_problems(case: Case) -> list[tuple[Loc, Text]]:
    """Names that are defined twice or not at all, each with the path where it stands.

    These are input errors, not violations: nothing can be checked about a candidate the
    case file does not describe.
    """
    problems: list[tuple[Loc, Text]] = []
    post_ids = _ids([p.id for p in case.posts], "posts", problems)
    cand_ids = _ids([c.id for c in case.candidates], "candidates", problems)
    for i, ev in enumerate(case.events):
        for j, pid in enumerate(ev.posts):
            if pid not in post_ids:
                problems.append((("events", i, "posts", j), _unknown("post", pid, post_ids)))
        named: list[tuple[Loc, list[str] | dict[str, Any]]] = [
            (("candidates",), ev.candidates),
            (("result",), ev.result),
            (("speeches",), ev.speeches),
            (("introductions",), ev.introductions),
            (("scores",), ev.scores),
        ]
        if ev.ballot is not None:
            named.append((("ballot", "tallies"), ev.ballot.tallies))
        if ev.inspection is not None:
            named.append((("inspection", "shortcomings"), ev.inspection.shortcomings))
        for where, ids in named:
            for j, cid in enumerate(ids):
                if cid not in cand_ids:
                    key: str | int = cid if isinstance(ids, dict) else j
                    loc: Loc = ("events", i, *where, key)
                    problems.append((loc, _unknown("candidate", cid, cand_ids)))
        if ev.publicity is not None:
            for j, rep in enumerate(ev.publicity.reports):
                if rep.about not in cand_ids:
                    loc = ("events", i, "publicity", "reports", j, "about")
                    problems.append((loc, _unknown("candidate", rep.about, cand_ids)))
    return problems


def _ids(ids: list[str], where: str, problems: list[tuple[Loc, Text]]) -> set[str]:
    seen: set[str] = set()
    for i, name in enumerate(ids):
        if name in seen:
            problems.append(
                ((where, i, "id"), Text(f"编号 {name!r} 重复", f"duplicate id {name!r}"))
            )
        seen.add(name)
    return seen


def _unknown(kind: str, name: str, known: set[str]) -> Text:
    listed = ", ".join(sorted(known)) or "—"
    zh = {"post": "职位", "candidate": "人选"}[kind]
    return Text(
        f"{zh} {name!r} 未在案卷中定义（已定义：{listed}）",
        f"unknown {kind} {name!r} (defined: {listed})",
    )
