"""A meeting's record of each member's stance on each appointment (逐一表决)."""

from __future__ import annotations

from typing import Any

from selection_rules.i18n import Text
from selection_rules.lang.types import Env, Function, ListOf


def stances(env: Env, meeting: Any, cid: Any) -> list[str]:
    """The members whose stance on the candidate the meeting records (none recorded: [])."""
    return list(meeting.member_votes.get(cid, {}))


def stance_count(env: Env, meeting: Any, cid: Any, stance: Any) -> int:
    return sum(1 for s in meeting.member_votes.get(cid, {}).values() if s == stance)


FUNCTIONS: dict[str, Function] = {
    "stances": Function(stances, (2, 2), lambda a: ListOf(str), Text(
        "会议记录中对该人选表态的成员", "the members whose stance on the candidate is recorded")),
    "stance_count": Function(stance_count, (3, 3), lambda a: int, Text(
        "对该人选持此表态（同意、不同意、缓议）的成员数",
        "members recorded with this stance (agree, disagree, defer) on the candidate")),
}
