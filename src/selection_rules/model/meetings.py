"""A case's meetings and votes: the motion, the meeting (who attended, who spoke in
which order, each member's stance, a reconsideration) and the ballot with its tallies."""

# No `from __future__ import annotations`: see model/case.py.

import datetime as dt
from typing import Annotated, Literal, Self

from pydantic import BeforeValidator, Field, model_validator

from selection_rules.i18n import Text
from selection_rules.model.base import NonNeg, Record
from selection_rules.model.defaults import new_dict, new_list
from selection_rules.model.item_lists import Distinct, Repeats
from selection_rules.model.vocabulary import (
    BALLOT_KIND,
    BODY,
    REASON,
    STANCE,
)


class Motion(Record):
    """动议: who moved the selection, when, for which post and why."""

    by: str = Field(description="动议提出者 (person or body)")
    reason: Annotated[str, REASON] = Field(
        description="出缺 vacancy / 调整 adjustment / 新设 new"
    )
    ad_hoc: bool = Field(False, description="临时动议: raised outside the agenda")
    note: str | None = None


Stance = Annotated[Literal["agree", "disagree", "defer"], BeforeValidator(STANCE.normalize)]


class Reconsideration(Record):
    """复议: a decision taken up again, and how many of the body's members agreed to it."""

    decided_on: dt.date = Field(description="原决定的日期 (the decision reconsidered)")
    about: Distinct[str] = Field(
        default_factory=new_list, description="复议涉及的人选 (candidate ids)")
    members: NonNeg = Field(description="党委（党组）成员数 (members of the body)")
    agreed: NonNeg = Field(description="同意复议的成员数 (members who agreed to reconsider)")
    reason: str | None = Field(None, description="复议事由")

    @model_validator(mode="after")
    def _agreed_within_members(self) -> Self:
        if self.agreed > self.members:
            raise ValueError(f"agreed ({self.agreed}) exceeds members ({self.members}); "
                             f"同意复议的成员多于成员数")
        return self


class Meeting(Record):
    """A meeting: body, members entitled (应到) and present (实到), speaking order."""

    body: Annotated[str, BODY] = Field(
        description="e.g. standing_committee 常委会, plenary 全委会, cadre_meeting")
    entitled: NonNeg = Field(description="应到会成员数 (members who should attend)")
    present: NonNeg = Field(description="实到会成员数 (members present)")
    main_leader: str | None = Field(None, description="主要负责人 (the top leader)")
    speaking_order: Annotated[list[str], Repeats(
        "an order: a member who speaks twice is listed twice")] = Field(
        default_factory=new_list, description="Members in the order they stated their opinions"
    )
    agenda_item: bool = Field(True, description="False for an ad hoc motion (临时动议)")
    member_votes: dict[str, dict[str, Stance]] = Field(
        default_factory=new_dict,
        description="逐一表决的记录: candidate id -> member -> 同意 agree / 不同意 disagree / "
        "缓议 defer (each member's stance on each appointment, in an open vote)",
    )
    reconsideration: Reconsideration | None = Field(
        None, description="复议: this meeting takes up an earlier decision again")

    @model_validator(mode="after")
    def _present_within_entitled(self) -> Self:
        if self.present > self.entitled:
            raise ValueError(
                f"present ({self.present}) exceeds entitled ({self.entitled}); "
                f"实到 ({self.present}) 多于应到 ({self.entitled})"
            )
        for cid, stances in self.member_votes.items():
            if len(stances) > self.present:
                raise ValueError(
                    f"member_votes of {cid} name {len(stances)} members, more than the "
                    f"{self.present} present; {cid} 的表态成员 ({len(stances)}) 多于实到成员")
        return self


class Tally(Record):
    """Votes for one candidate: 同意 / 不同意 / 弃权."""

    agree: NonNeg = Field(description="同意 / votes for")
    disagree: NonNeg = Field(0, description="不同意 / votes against")
    abstain: NonNeg = Field(0, description="弃权 / abstentions")


# The ballot's figures as a clerk names them, for a message that compares two of them.
_BALLOT_FIGURES = {
    "entitled": Text("应参加人数", "the people entitled to vote"),
    "participants": Text("实参加人数", "the people who took part"),
    "issued": Text("发出票数", "the ballots issued"),
    "returned": Text("收回票数", "the ballots returned"),
    "valid": Text("有效票数", "the valid ballots"),
}


class Ballot(Record):
    """A recommendation or a vote: who could vote, ballots issued, valid, and tallies."""

    kind: Annotated[str, BALLOT_KIND] = Field(
        description="无记名 secret / 署名 signed / 公开 open (show of hands, roll call)"
    )
    entitled: NonNeg | None = Field(None, description="应参加人数 (people entitled to vote)")
    participants: NonNeg | None = Field(None, description="实参加人数 (people who took part)")
    issued: NonNeg | None = Field(None, description="发出票数")
    returned: NonNeg | None = Field(None, description="收回票数 (ballots cast)")
    valid: NonNeg | None = Field(None, description="有效票数")
    invalid: NonNeg | None = Field(None, description="无效票数")
    abstaining: NonNeg | None = Field(None, description="弃权票数 (whole ballots abstaining)")
    signed_by: Distinct[str] = Field(
        default_factory=new_list, description="For a signed ballot: the voters named on it"
    )
    tallies: dict[str, Tally] = Field(
        default_factory=new_dict, description="Candidate id -> votes for that candidate"
    )

    @model_validator(mode="after")
    def _arithmetic(self) -> Self:
        # Most ballots give a few figures and break no bound: checked in one expression
        # (every figure is an int or None), and worded below only when one fails.
        entitled, participants, issued = self.entitled, self.participants, self.issued
        returned, valid, invalid = self.returned, self.valid, self.invalid
        if not (
            (participants is not None and entitled is not None and participants > entitled)
            or (returned is not None and issued is not None and returned > issued)
            or (valid is not None and (
                (returned is not None and (valid > returned or (
                    invalid is not None and valid + invalid != returned)))
                or (issued is not None and valid > issued)
                or (participants is not None and valid > participants)
                or (self.tallies and any(t.agree + t.disagree + t.abstain > valid
                                         for t in self.tallies.values()))))
        ):
            return self

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
                a, b = _BALLOT_FIGURES[small], _BALLOT_FIGURES[big]
                n, m = getattr(self, small), getattr(self, big)
                raise ValueError(Text(f"{a.zh} {n} 不能多于{b.zh} {m}",
                                      f"{a.en} ({n}) exceed {b.en} ({m})"))
        if (self.returned is not None and self.valid is not None and self.invalid is not None
                and self.valid + self.invalid != self.returned):
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
