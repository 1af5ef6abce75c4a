"""Eligibility (选拔任用条件): a decided candidate's promotion, years of work, grass-roots
years, posts and years at a rank, education and training, read from the candidate's
facts (干部任免审批表).

Every duration is a `Span` counted by calendar anniversary up to the date of the
decision (lang/spans.py): a period from 2019-02-28 reaches one year on 2020-02-28, and
one from 29 February reaches its anniversary on 28 February of a common year. A post held
`from` A `to` B counts from A to the day after B (B is its last day); the post held at the
decision counts up to the decision's date. Several periods (grass-roots posts, posts at
one rank) are merged where they overlap and laid end to end from the first one's start,
so two years of them means as many days as two calendar years from that start.

A fact the file does not give raises Missing with words naming the fact and the
candidate, never a silent pass.
"""

from __future__ import annotations

import datetime as dt
from functools import total_ordering
from typing import Any

from pydantic import BaseModel, ConfigDict

from selection_rules.i18n import Text
from selection_rules.lang.context import context_of
from selection_rules.lang.spans import Span, add_years, span
from selection_rules.lang.types import Env, Function, ListOf
from selection_rules.lang.types import Missing as _Missing
from selection_rules.model import case as casefile
from selection_rules.model.candidate_facts import EDUCATIONS, RANKS, CandidateFacts, CareerEntry
from selection_rules.model.vocabulary import EDUCATION, RANK

# The labels of model/vocabulary.py, where each rank and level is declared once.
RANK_NAMES: dict[str, Text] = {t.code: t.label() for t in RANK.terms}
EDUCATION_NAMES: dict[str, Text] = {t.code: t.label() for t in EDUCATION.terms}


def _lacks(c: casefile.Candidate, zh: str, en: str) -> _Missing:
    # A check names the candidate first (its `subject:`): the words name the fact.
    return _Missing(f"{c.id}: {en}", Text(f"案卷未记录其{zh}",
                                          f"the case file does not record their {en}"))


def _facts(c: casefile.Candidate) -> CandidateFacts:
    if c.facts is None:
        raise _lacks(c, "干部任免审批表信息", "appointment-form facts")
    return c.facts


def _career(c: casefile.Candidate) -> list[CareerEntry]:
    career = _facts(c).career
    if not career:
        raise _lacks(c, "简历（任职经历及起止日期）", "career (posts held, with their dates)")
    return career


def _before(c: casefile.Candidate, day: dt.date) -> list[CareerEntry]:
    """The posts taken up before `day`, earliest first."""
    career = _career(c)
    return sorted((e for e in career if e.from_ < day), key=_started)


def _started(e: CareerEntry) -> dt.date:
    return e.from_


def _rank_of(c: casefile.Candidate, e: CareerEntry) -> str:
    if e.rank is None:
        raise _lacks(c, f"简历中 {e.from_.isoformat()} 起所任“{e.title}”的职务层次",
                     f"rank of the post '{e.title}' held from {e.from_.isoformat()}")
    return e.rank


def _end(e: CareerEntry, day: dt.date) -> dt.date:
    """Where a post's time stops counting: the day after its last day, or the decision."""
    if e.to is None or e.to >= day:  # (9999-12-31 has no day after it)
        return day
    return e.to + dt.timedelta(days=1)


def laid_end_to_end(periods: list[tuple[dt.date, dt.date]]) -> Span | None:
    """Periods [start, end) merged where they overlap and laid end to end from the first
    start: a Span as long as their days together. None if there are none."""
    if not periods:
        return None
    ordered = sorted(p for p in periods if p[1] > p[0])
    if not ordered:
        return span(periods[0][0], periods[0][0])
    days = 0
    run_start, run_end = ordered[0]
    for start, end in ordered[1:]:
        if start <= run_end:
            run_end = max(run_end, end)
            continue
        days += (run_end - run_start).days
        run_start, run_end = start, end
    days += (run_end - run_start).days
    first = ordered[0][0]
    return span(first, first + dt.timedelta(days=days))


class Promotion(BaseModel):
    """What a decision makes of a candidate: the post's rank against the rank held."""

    # Made by _promotion from values already checked, so with model_construct: no
    # validation per candidate, and no schema built at import (the fields type the
    # expressions that read it).
    model_config = ConfigDict(frozen=True, defer_build=True)

    date: dt.date
    post_rank: str
    from_rank: str
    levels: int
    exceptional: bool
    rank_reached: dt.date
    rank_reached_exceptionally: bool
    probation_until: dt.date | None


@total_ordering
class EducationLevel:
    """A level of education, ordered as the regulation reads 以上 (or above)."""

    __slots__ = ("code",)

    def __init__(self, code: str) -> None:
        self.code = code

    def _place(self, other: object) -> int | None:
        code = other.code if isinstance(other, EducationLevel) else other
        return EDUCATIONS.index(code) if isinstance(code, str) and code in EDUCATIONS else None

    def __eq__(self, other: object) -> bool:
        place = self._place(other)
        return place is not None and EDUCATIONS.index(self.code) == place

    def __lt__(self, other: object) -> bool:
        place = self._place(other)
        if place is None:
            return NotImplemented
        return EDUCATIONS.index(self.code) < place

    def __hash__(self) -> int:
        return hash(self.code)

    def __str__(self) -> str:
        return self.code

    def text(self) -> Text:
        """The level as each language names it (a message's words)."""
        return EDUCATION_NAMES[self.code]


_FIRST = "_first_decisions"
_PLACES = "_post_places"


def _decision(env: Env, c: casefile.Candidate, decisions: Any) -> casefile.Event | None:
    """The first decision whose result names the candidate: from a table of each
    candidate's first decision, made once per case and list of decisions (a scan of
    the decisions per candidate was quadratic in a case of many posts)."""
    kept = context_of(env).memo
    memo: dict[int, tuple[Any, dict[str, casefile.Event]]] | None = kept.get(_FIRST)
    if memo is None:
        memo = kept[_FIRST] = {}
    hit = memo.get(id(decisions))
    if hit is None or hit[0] is not decisions:
        first: dict[str, casefile.Event] = {}
        for ev in decisions:
            for cid in ev.result:
                first.setdefault(cid, ev)
        hit = memo[id(decisions)] = (decisions, first)
    return hit[1].get(c.id)


def _posts_of(env: Env, ev: casefile.Event) -> list[casefile.Post]:
    """The posts a decision is for, in the case's order (all of them where it names none),
    found by id rather than by a scan of every post."""
    case: casefile.Case = env["case"]
    if not ev.posts:
        return list(case.posts)
    kept = context_of(env).memo
    places: dict[str, int] | None = kept.get(_PLACES)
    if places is None:
        places = kept[_PLACES] = {p.id: i for i, p in enumerate(case.posts)}
    return [case.posts[i] for i in sorted(places[p] for p in ev.posts if p in places)]


def _post(env: Env, c: casefile.Candidate, ev: casefile.Event) -> casefile.Post:
    posts = _posts_of(env, ev)
    if len(posts) > 1:
        proposed = c.facts.proposed_post if c.facts is not None else None
        named = [p for p in posts if proposed is not None and p.title == proposed]
        if len(named) != 1:
            ids = "、".join(p.id for p in posts)
            raise _Missing(f"{c.id}: post", Text(
                f"同一决定涉及职位 {ids}，案卷未说明其拟任哪一职位"
                "（拟任职务应与职位名称一致）",
                f"one decision covers posts {ids.replace('、', ', ')} and the case file does "
                "not say which of them is theirs (the proposed post should match a post's "
                "title)"))
        posts = named
    return posts[0]


_MEMO = "_promotions"


def promotion(env: Env, c: casefile.Candidate, decisions: Any) -> Promotion | None:
    """The candidate's promotion at the first decision that names them; None if no
    decision names them. Kept for the case: each EL check reads it."""
    kept = context_of(env).memo
    memo: dict[tuple[str, int], tuple[Any, Promotion | _Missing | None]] | None = kept.get(
        _MEMO)
    if memo is None:
        memo = kept[_MEMO] = {}
    # steps_tagged() gives the case one list per tag, so the list's identity names it; the
    # memo keeps the list, so its id cannot pass to another while the entry lives.
    key = (c.id, id(decisions))
    hit = memo.get(key)
    if hit is None or hit[0] is not decisions:
        try:
            hit = memo[key] = (decisions, _promotion(env, c, decisions))
        except _Missing as exc:
            hit = memo[key] = (decisions, exc)
    found = hit[1]
    if isinstance(found, _Missing):
        raise found
    assert found is None or isinstance(found, Promotion)
    return found


def _post_rank(post: casefile.Post) -> str:
    if post.rank is None:
        raise _Missing(f"{post.id}: rank", Text(
            f"案卷未记录职位 {post.id}（{post.title}）的职务层次",
            f"the case file does not record the rank of post {post.id} ({post.title})"))
    return post.rank


def post_rank_of(env: Env, c: casefile.Candidate, decisions: Any) -> str | None:
    """The rank of the post the first decision naming the candidate is for (None: no
    decision names them). Needs no fact of the candidate's unless the decision covers
    several posts of different ranks."""
    ev = _decision(env, c, decisions)
    if ev is None:
        return None
    ranks = {_post_rank(p) for p in _posts_of(env, ev)}
    if len(ranks) == 1:
        return ranks.pop()
    return _post_rank(_post(env, c, ev))


def decision_ranks(env: Env, decisions: Any) -> list[str]:
    """The ranks of the posts these decisions are for (a post without one: Missing, named):
    whether a rule for some ranks applies to the case at all."""
    ranks: list[str] = []
    for ev in decisions:
        if not ev.result:
            continue
        for p in _posts_of(env, ev):
            rank = _post_rank(p)
            if rank not in ranks:
                ranks.append(rank)
    return ranks


def _promotion(env: Env, c: casefile.Candidate, decisions: Any) -> Promotion | None:
    ev = _decision(env, c, decisions)
    if ev is None:
        return None
    post = _post(env, c, ev)
    _post_rank(post)
    assert post.rank is not None
    held = _before(c, ev.date)
    if not held:
        raise _lacks(c, f"{ev.date.isoformat()} 之前的任职经历", f"posts held before "
                     f"{ev.date.isoformat()}")
    current = held[-1]
    rank = _rank_of(c, current)
    # Where the rank held was reached: the first post of the latest unbroken run at it.
    reached = current
    for e in reversed(held[:-1]):
        if _rank_of(c, e) != rank:
            break
        reached = e
    return Promotion.model_construct(
        date=ev.date, post_rank=post.rank, from_rank=rank,
        levels=RANKS.index(post.rank) - RANKS.index(rank), exceptional=c.exceptional_promotion,
        rank_reached=reached.from_, rank_reached_exceptionally=reached.exceptional,
        probation_until=current.probation_until)


def known(env: Env, c: casefile.Candidate, decisions: Any) -> bool:
    """Whether promotion() can be read (a rule's later checks: the first one reports what
    is missing)."""
    try:
        promotion(env, c, decisions)
    except _Missing:
        return False
    return True


def results_of(env: Env, events: Any) -> list[str]:
    return [cid for ev in events for cid in ev.result]


def decided(env: Env, events: Any) -> list[casefile.Candidate]:
    """The candidates these events' results name, once each, in the case's order: the
    people a decision chose, whom the eligibility rules hold to their conditions."""
    kept = context_of(env).memo
    memo: tuple[Any, list[casefile.Candidate]] | None = kept.get(_DECIDED)
    if memo is not None and memo[0] is events:
        return memo[1]
    named = {cid for ev in events for cid in ev.result}
    case: casefile.Case = env["case"]
    found = [c for c in case.candidates if c.id in named]
    kept[_DECIDED] = (events, found)
    return found


_DECIDED = "_decided"


def work_years(env: Env, c: casefile.Candidate, day: dt.date) -> Span:
    start = _facts(c).work_start
    if start is None:
        raise _lacks(c, "参加工作时间", "date of starting work")
    return span(start, day)


def grassroots_years(env: Env, c: casefile.Candidate, day: dt.date, needed: Any) -> Span:
    """The grass-roots time the career states, before `day`. A post whose entry does not
    say whether it was at the grass roots (the LRMX import states it only where the title
    says so) counts as unknown: where the stated time already reaches `needed` years the
    answer stands, and where it does not, the unstated posts are what is missing."""
    periods = []
    unstated = []
    for e in _before(c, day):
        if e.grassroots is None:
            unstated.append(e)
        elif e.grassroots:
            periods.append((e.from_, _end(e, day)))
    stated = laid_end_to_end(periods) or span(day, day)
    if unstated and stated < int(needed):
        posts = "、".join(f"{e.from_.isoformat()} 起的“{e.title}”" for e in unstated)
        posts_en = ", ".join(f"'{e.title}' from {e.from_.isoformat()}" for e in unstated)
        raise _Missing(f"{c.id}: grassroots", Text(
            f"简历注明的基层工作经历不足 {needed} 年，且未注明以下任职是否基层工作：{posts}",
            f"the career states less than {needed} years at the grass roots and does not "
            f"say whether these posts were: {posts_en}"))
    return stated


def posts_at(env: Env, c: casefile.Candidate, rank: str, day: dt.date) -> int:
    return sum(1 for e in _before(c, day) if _rank_of(c, e) == rank)


def years_at(env: Env, c: casefile.Candidate, rank: str, day: dt.date) -> Span:
    periods = [(e.from_, _end(e, day)) for e in _before(c, day) if _rank_of(c, e) == rank]
    return laid_end_to_end(periods) or span(day, day)


def rank_below(env: Env, rank: str) -> str | None:
    place = RANKS.index(rank) if rank in RANKS else 0
    return RANKS[place - 1] if place > 0 else None


def education(env: Env, c: casefile.Candidate) -> EducationLevel:
    code = _facts(c).education
    if code is None:
        raise _lacks(c, "最高学历", "highest education")
    return EducationLevel(code)


def trainings(env: Env, c: casefile.Candidate) -> list[dt.date]:
    done = _facts(c).training
    if done is None:
        raise _lacks(c, "培训经历（未参加培训的应写明为空）",
                     "training (an empty list if none was taken)")
    return sorted(t.completed for t in done)


def fn_add_years(env: Env, day: dt.date, years: Any) -> dt.date:
    return add_years(day, int(years))


def fn_span(env: Env, start: dt.date, end: dt.date) -> Span:
    return span(start, end)


FUNCTIONS: dict[str, Function] = {
    "promotion": Function(promotion, (2, 2), lambda a: Promotion, Text(
        "人选在列出其名字的第一次决定中的提拔：拟任职位的职务层次与其现任职务层次（未被决定为空）",
        "the candidate's promotion at the first of these decisions naming them: the post's "
        "rank against the rank held (none if no decision names them)")),
    "post_rank_of": Function(post_rank_of, (2, 2), lambda a: str, Text(
        "列出该人选的第一次决定所针对职位的职务层次（未被决定为空）",
        "the rank of the post of the first of these decisions naming the candidate (none "
        "if no decision names them)")),
    "decided": Function(decided, (1, 1), lambda a: ListOf(casefile.Candidate), Text(
        "这些事件产生的名单中的人选（按案卷顺序，各一次）",
        "the candidates in the lists these events produce (in the case's order, once each)")),
    "decision_ranks": Function(decision_ranks, (1, 1), lambda a: ListOf(str), Text(
        "这些决定所针对职位的职务层次", "the ranks of the posts these decisions are for")),
    "results_of": Function(results_of, (1, 1), lambda a: ListOf(str), Text(
        "这些事件产生的名单中的全部人选", "every candidate in the lists these events produce")),
    "promotion_known": Function(known, (2, 2), lambda a: bool, Text(
        "promotion() 可以读出（人选的事实与职位的职务层次已记录）",
        "promotion() can be read (the candidate's facts and the post's rank are recorded)")),
    "work_years": Function(work_years, (2, 2), lambda a: Span, Text(
        "从参加工作到该日的时长（按周年计）",
        "time from starting work to the date, by anniversary")),
    "grassroots_years": Function(grassroots_years, (3, 3), lambda a: Span, Text(
        "该日之前简历注明的基层工作经历总时长（各段首尾相接，按周年计）；不足所需年数而有未注明"
        "是否基层的任职时，报告缺少数据",
        "grass-roots work the career states before the date, its periods laid end to end, "
        "by anniversary; short of the years needed with posts not marked either way, it is "
        "missing data")),
    "posts_at": Function(posts_at, (3, 3), lambda a: int, Text(
        "该日之前在此职务层次任职的职位数", "posts held at this rank before the date")),
    "years_at": Function(years_at, (3, 3), lambda a: Span, Text(
        "该日之前在此职务层次任职的总时长（各段首尾相接，按周年计）",
        "time at this rank before the date, its periods laid end to end, by anniversary")),
    "rank_below": Function(rank_below, (1, 1), lambda a: str, Text(
        "低一级的职务层次（科员之下为空）", "the rank one level lower (none below staff)")),
    "education": Function(education, (1, 1), lambda a: EducationLevel, Text(
        "最高学历（可与学历代码比较高低）", "highest education (ordered against education codes)")),
    "trainings": Function(trainings, (1, 1), lambda a: ListOf(dt.date), Text(
        "培训结业日期（升序）", "dates training was completed, earliest first")),
    "add_years": Function(fn_add_years, (2, 2), lambda a: dt.date, Text(
        "n 年后的同一日（无此日则为月末）", "the same day n years later (month end if none)")),
    "span": Function(fn_span, (2, 2), lambda a: Span, Text(
        "两日期之间的时长：整年数（按周年计）加零头天数，可与年数精确比较",
        "time from start to end: whole years (by anniversary) and days, compared exactly "
        "with a number of years")),
}
