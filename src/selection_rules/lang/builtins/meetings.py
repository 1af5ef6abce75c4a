"""A meeting's record of each member's stance on each appointment (逐一表决)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from selection_rules.i18n import Text
from selection_rules.lang.types import Env, Function, ListOf
from selection_rules.model import case as casefile


class Stances(BaseModel):
    """One appointment decided by an open vote: how many members present the record gives
    a stance for, how many of them agree, and the count's votes for."""

    # Made with model_construct only: its schema (the whole Event's) is built on first
    # validation, never at import, where it cost a fiftieth of `validate`'s start-up.
    model_config = ConfigDict(frozen=True, defer_build=True)

    id: str  # the candidate
    event: casefile.Event
    present: int
    recorded: int
    agreeing: int
    counted: int | None


def open_votes(env: Env, events: Any) -> list[Stances]:
    """Each appointment (a candidate in the result) of these events decided by an open
    vote at a recorded meeting: a secret ballot records no one's stance."""
    out = []
    for ev in events:
        if ev.ballot is None or ev.ballot.kind != "open" or ev.meeting is None:
            continue
        for cid in ev.result:
            stances = ev.meeting.member_votes.get(cid, {})
            tally = ev.ballot.tallies.get(cid)
            out.append(Stances.model_construct(
                id=cid, event=ev, present=ev.meeting.present, recorded=len(stances),
                agreeing=sum(1 for s in stances.values() if s == "agree"),
                counted=tally.agree if tally is not None else None))
    return out


def reconsiderations(env: Env, events: Any) -> list[casefile.Event]:
    """The events among these whose meeting takes up an earlier decision again (复议)."""
    return [ev for ev in events
            if ev.meeting is not None and ev.meeting.reconsideration is not None]


FUNCTIONS: dict[str, Function] = {
    "reconsiderations": Function(reconsiderations, (1, 1), lambda a: ListOf(casefile.Event),
                                 Text("这些事件中会议为复议的", "the events among these whose "
                                      "meeting reconsiders an earlier decision")),
    "open_votes": Function(open_votes, (1, 1), lambda a: ListOf(Stances), Text(
        "这些事件中以公开方式表决的每项任免：到会成员、记录了表态的成员、记为同意的成员、计票的同意票",
        "each appointment of these events decided by an open vote: members present, members "
        "whose stance is recorded, members recorded as agreeing, the votes for counted")),
}
