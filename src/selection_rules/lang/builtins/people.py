"""People and posts: a candidate or a post of the case, by id."""

from __future__ import annotations

from selection_rules.i18n import Text
from selection_rules.lang.context import context_of
from selection_rules.lang.types import Env, Function, Missing
from selection_rules.model import case as casefile


def candidate(env: Env, cid: str) -> casefile.Candidate:
    # By id, indexed once per case (replay keeps one context per case).
    ctx = context_of(env)
    by_id = ctx.candidates
    if by_id is None:
        case: casefile.Case = env["case"]
        by_id = ctx.candidates = {c.id: c for c in case.candidates}
    found = by_id.get(cid)
    if found is None:
        raise Missing(f"candidate({cid!r})")
    return found


def post(env: Env, pid: str) -> casefile.Post:
    case: casefile.Case = env["case"]
    for p in case.posts:
        if p.id == pid:
            return p
    raise Missing(f"post({pid!r})")


FUNCTIONS: dict[str, Function] = {
    "candidate": Function(candidate, (1, 1), lambda a: casefile.Candidate,
                          Text("按编号取人选", "the candidate with this id")),
    "post": Function(post, (1, 1), lambda a: casefile.Post,
                     Text("按编号取职位", "the post with this id")),
}
