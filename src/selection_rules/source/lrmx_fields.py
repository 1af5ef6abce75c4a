"""The text of one LRMX field (干部任免审批表) read as the facts a rule needs.

Each reader takes the field's text and gives a value, or raises `Unreadable` with what
was wrong and what was expected; a reading that is usable but worth a look (a birth day
taken as the 1st, a line of the résumé that names no period) is a `Note`. The caller
(source/lrmx.py) locates both at the file, line and element.

Nothing here guesses: a rank or a grassroots post is stated only when the text says so
in words that admit one reading; otherwise the fact is left out, and the rules that
need it report it as not on record.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from selection_rules.i18n import Text

YEAR_MONTH = Text("年月，如 198503 或 1985.03", "a year and month, e.g. 198503 or 1985.03")


class Unreadable(ValueError):
    """The field's text cannot be read as the fact it holds."""

    def __init__(self, message: Text, expected: Text | None = None,
                 line_offset: int = 0) -> None:
        super().__init__(message.en)
        self.message = message
        self.expected = expected
        self.line_offset = line_offset  # lines below the element's start tag


@dataclass(frozen=True)
class Note:
    """A reading worth the clerk's look; `line_offset` as in Unreadable."""

    message: Text
    line_offset: int = 0


# ------------------------------------------------------------------------------ dates

# The form writes 出生年月 as 198503 (sometimes 19850312), shows it as 1985.03, and
# clerks type 1985.3, 1985-03 or 1985年3月: every spelling with the year first.
_DATE = re.compile(
    r"(?P<y>\d{4})(?:(?P<m2>\d{2})(?P<d2>\d{2})?"
    r"|\s*[.\-/年．]\s*(?P<m>\d{1,2})\s*月?(?:\s*[.\-/．]?\s*(?P<d>\d{1,2})\s*日?)?)")


def parse_year_month(text: str, what: Text) -> tuple[int, int, int | None]:
    """(year, month, day or None) of a date as the form writes it, or Unreadable."""
    shown = text.strip()
    match = _DATE.fullmatch(shown)
    if match is None:
        raise Unreadable(Text(f"{what.zh}“{shown}”不是年月", f'{what.en} "{shown}" is not a '
                              "year and month"), YEAR_MONTH)
    year = int(match["y"])
    month = int(match["m2"] or match["m"])
    day_text = match["d2"] or match["d"]
    if not 1 <= month <= 12 or year < 1900:
        raise Unreadable(Text(f"{what.zh}“{shown}”不是年月（月份或年份超出范围）",
                              f'{what.en} "{shown}" is not a year and month (the month or '
                              "year is out of range)"), YEAR_MONTH)
    day = int(day_text) if day_text else None
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise Unreadable(Text(f"{what.zh}“{shown}”的日期不存在", f'{what.en} "{shown}" is not '
                              "a date (no such day)"), YEAR_MONTH)
    return year, month, day


def month_start(text: str, what: Text) -> dt.date:
    """The first day of the month a date field names (the form keeps months, not days)."""
    year, month, day = parse_year_month(text, what)
    return dt.date(year, month, day or 1)


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_birth_date(number: str) -> dt.date | None:
    """The birth date an 18-digit 身份证号 holds, if its check digit (GB 11643) is right."""
    number = number.strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return None
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    if "10X98765432"[total % 11] != number[17]:
        return None
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def birth_date(text: str, id_number: str | None) -> tuple[dt.date, Note | None]:
    """出生年月 as a date: its own day if it has one; else the day of the 身份证号 when
    the number is well-formed and names the same month; else the 1st, with a note."""
    what = Text("出生年月", "date of birth")
    year, month, day = parse_year_month(text, what)
    if day is not None:
        return dt.date(year, month, day), None
    from_id = id_birth_date(id_number) if id_number else None
    if from_id is not None and (from_id.year, from_id.month) == (year, month):
        return from_id, None
    first = dt.date(year, month, 1)
    if from_id is not None:
        why = Text(f"与身份证号中的出生日期 {from_id.isoformat()} 不一致",
                   f"which differs from the birth date {from_id.isoformat()} in the ID number")
    elif id_number:
        why = Text("身份证号无效（位数或校验位不对）", "the ID number is not valid (its length or "
                   "check digit is wrong)")
    else:
        why = Text("表中没有身份证号", "the form has no ID number")
    return first, Note(Text(f"出生年月只记到月（{year}年{month}月），", f"the date of birth "
                            f"gives only the month ({year}-{month:02d}) and ")
                       + why + Text(f"：出生日期按 {first.isoformat()}（当月 1 日）计",
                                    f": the birth date is taken as {first.isoformat()} "
                                    "(the 1st of the month)"))


# ------------------------------------------------------------------------------ party

def party_join(text: str) -> tuple[dt.date | None, Note | None]:
    """入党时间: a date (joining the CPC), a 民主党派's name, or both joined by `；`.
    A date alone, or with 中共, is CPC membership; a party's name alone is not. A date
    beside another party's name may be either party's: it is left out, with a note."""
    what = Text("入党时间", "date of joining the party")
    parts = [part.strip() for part in re.split(r"[；;，,、]+", text.strip()) if part.strip()]
    dates = [part for part in parts if re.match(r"\d", part)]
    names = [part for part in parts if part not in dates
             and not re.search(r"中共|共产党", part)]
    if not dates:
        return None, None
    if len(dates) > 1:
        raise Unreadable(Text(f"{what.zh}“{text.strip()}”含有多个日期", f'{what.en} '
                              f'"{text.strip()}" holds more than one date'), YEAR_MONTH)
    joined = month_start(dates[0], what)
    if names:
        return None, Note(Text(f"{what.zh}“{text.strip()}”中的日期可能是加入{names[0]}的日期，"
                               "未作为入党时间读入",
                               f'the date in the {what.en} "{text.strip()}" may be that of '
                               "joining another party, and is not read as joining the CPC"))
    return joined, None


# -------------------------------------------------------------------------- education

# 学历 in the words the form uses, highest first. 大学 alone is the form's word for a
# bachelor's course (大专 for the shorter one); 研究生 alone is at least a master's.
EDUCATION_LEVELS = ("secondary", "college", "bachelor", "master", "doctorate")
_EDUCATION_WORDS: tuple[tuple[str, str], ...] = (
    ("博士", "doctorate"), ("硕士", "master"), ("研究生", "master"),
    ("专科", "college"), ("大专", "college"), ("高职", "college"),
    ("本科", "bachelor"), ("大学", "bachelor"),
    ("中专", "secondary"), ("中技", "secondary"), ("技校", "secondary"),
    ("职高", "secondary"), ("高中", "secondary"), ("初中", "secondary"),
    ("小学", "secondary"), ("中学", "secondary"),
)


def education(text: str) -> str | None:
    """The level a 学历 text names, or None for text that names none (empty, 无)."""
    for word, level in _EDUCATION_WORDS:
        if word in text:
            return level
    return None


def highest(levels: list[str]) -> str | None:
    return max(levels, key=EDUCATION_LEVELS.index) if levels else None


# ----------------------------------------------------------------------------- résumé

# A month of the résumé: 2008.07 as the form writes it, or 2008年7月, 2008/07, 2008-07.
_MONTH = r"\d{4}\s*(?:[.．/年]|-(?=\d))\s*\d{1,2}\s*月?"
_PERIOD = re.compile(
    rf"\s*(?P<from>{_MONTH})\s*(?:-{{1,2}}|－{{1,2}}|—{{1,2}}|–|~|～|至|到)\s*"
    rf"(?P<to>{_MONTH})?\s*(?:至今|今)?\s*(?P<rest>.*)")
_DATED = re.compile(r"\s*\d{4}\s*(?:[.．/年]|-(?=\d))\s*\d")
_DURING = re.compile(r"[（(]\s*其间[：:].*?[）)]", re.S)

# A grassroots post (乡镇、街道、村、社区) is one the title places there in so many
# words. Words that hold 乡, 镇 or 村 and name no township are taken out first: 城乡 and
# 城镇 (城乡建设局), 乡村振兴 (a county bureau), 乡镇企业 (a bureau), 村镇 (村镇银行),
# 农村 (农村工作部, 农村商业银行) and 社区矫正 (a section of a justice bureau).
_NOT_A_TOWNSHIP = re.compile(r"城乡|城镇|乡村振兴|乡镇企业|村镇|农村|社区矫正")
_TOWNSHIP = re.compile(r"乡|镇|街道|村|社区")

# A rank is stated only by a level word (副科级, 正处级, 副县级…) or the title 科员 /
# 办事员, and only when the entry names one level. A post name such as 局长 is not
# enough: a 局 is a 科 at a county, a 处 at a city and a 厅 at a province, and 高配
# posts are held a level above their unit.
_RANK_WORDS = {
    ("副", "科"): "deputy_section", ("正", "科"): "section",
    ("副", "处"): "deputy_division", ("正", "处"): "division",
    ("副", "县"): "deputy_division", ("正", "县"): "division",
    ("副", "厅"): "deputy_bureau", ("正", "厅"): "bureau",
    ("副", "局"): "deputy_bureau", ("正", "局"): "bureau",
}
_RANK = re.compile(r"([副正])([科处县厅局])级")
_STAFF = re.compile(r"(?<!主任)(?:科员|办事员)")


def grassroots(title: str) -> bool:
    return _TOWNSHIP.search(_NOT_A_TOWNSHIP.sub("", title)) is not None


def rank(title: str) -> str | None:
    ranks = {_RANK_WORDS[(m[1], m[2])] for m in _RANK.finditer(title)}
    if _STAFF.search(title):
        ranks.add("staff")
    return ranks.pop() if len(ranks) == 1 else None


def _period_end(start: dt.date, year: int, month: int) -> dt.date:
    """The last day a period ending in `year.month` covers. The form counts periods in
    months: 2008.07--2012.07 is four years, and the next period starts 2012.07; so the
    end month is not itself covered, unless the period begins and ends in one month."""
    first = dt.date(year, month, 1)
    if (year, month) == (start.year, start.month):
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    return first - dt.timedelta(days=1)


def career(text: str) -> tuple[list[dict[str, object]], list[Note]]:
    """简历: one entry per dated line (`YYYY.MM--YYYY.MM  经历`, an open `YYYY.MM--` is
    the current post); a line without a period continues the entry above it, and
    `（其间：…）` asides (study or secondments during the period) are not its title."""
    what = Text("简历中的时间", "a period of the résumé")
    entries: list[tuple[int, dt.date, dt.date | None, list[str]]] = []
    notes: list[Note] = []
    for offset, line in enumerate(text.split("\n")):
        if not line.strip():
            continue
        match = _PERIOD.match(line)
        if match is None and _DATED.match(line):
            raise Unreadable(Text(f"简历这一行的起止时间无法识别：“{line.strip()}”",
                                  f'the period of this line of the résumé cannot be read: '
                                  f'"{line.strip()}"'),
                             Text("如 2008.07--2012.07，现职写 2016.03--",
                                  "e.g. 2008.07--2012.07, or 2016.03-- for the current post"),
                             offset)
        if match is None:
            if entries:
                entries[-1][3].append(line.strip())
            else:
                notes.append(Note(Text(f"简历这一行没有起止时间，未读入：“{line.strip()}”",
                                       f'this line of the résumé has no period and is not '
                                       f'read: "{line.strip()}"'), offset))
            continue
        try:
            start = month_start(match["from"], what)
            end = None
            if match["to"]:
                year, month, _ = parse_year_month(match["to"], what)
                end = _period_end(start, year, month)
        except Unreadable as exc:
            raise Unreadable(exc.message, exc.expected, offset) from None
        if end is not None and end < start:
            raise Unreadable(Text(f"简历中的时间段 {match['from']}--{match['to']} 结束早于开始",
                                  f"the résumé's period {match['from']}--{match['to']} ends "
                                  "before it starts"), Text("先开始后结束的时间段",
                                                            "a period that starts before it "
                                                            "ends"), offset)
        entries.append((offset, start, end, [match["rest"].strip()]))
    result: list[dict[str, object]] = []
    for offset, start, end, parts in entries:
        title = re.sub(r"\s+", "", _DURING.sub("", "".join(parts)))
        if not title:
            raise Unreadable(Text("简历这一时间段没有写经历（单位及职务）", "this period of the "
                                  "résumé names no post"),
                             Text("时间段后写单位及职务，如 2008.07--2012.07  某镇科员",
                                  "the post after the period, e.g. 2008.07--2012.07  某镇科员"),
                             offset)
        entry: dict[str, object] = {"from": start}
        if end is not None:
            entry["to"] = end
        entry["title"] = title
        level = rank(title)
        if level is not None:
            entry["rank"] = level
        if grassroots(title):
            entry["grassroots"] = True
        result.append(entry)
    open_early = [offset for (offset, _, end, _) in entries[:-1] if end is None]
    if open_early:
        notes.append(Note(Text("简历中较早的时间段没有结束时间（只有最后一段可以是现职）",
                               "an earlier period of the résumé has no end (only the last "
                               "may be the current post)"), open_early[0]))
    return result, notes


# ------------------------------------------------------------------------- appraisals

# 年度考核 results. The civil-service grades (公务员考核规定: 优秀/称职/基本称职/不称职)
# are what the eligibility rules read; the other words a form may use (事业单位's 合格
# grades, 良好, 不定等次 for a year not rated) are recognised so that they are not misread,
# and left out with a note. Longer words first: 基本称职 holds 称职.
GRADES = ("优秀", "称职", "基本称职", "不称职")
_RESULTS = ("基本称职", "不称职", "称职", "优秀", "基本合格", "不合格", "合格", "良好",
            "不定等次", "未定等次")
# 优秀 in 优秀共产党员, 优秀公务员… is an award, not a year's result.
_AWARD_AFTER = ("共产党员", "党员", "公务员", "党务工作者", "干部", "教师", "青年", "工作者")
_YEARS = re.compile(r"(\d{4})\s*年?\s*(?:(?:-|－|—|–|~|～|至|到)\s*(\d{4}))?")
_CLAUSE = re.compile(r"[；;。，,\n]")


def _results_in(clause: str) -> list[str]:
    found: list[str] = []
    at = 0
    while at < len(clause):
        word = next((w for w in _RESULTS if clause.startswith(w, at)), None)
        if word is None:
            at += 1
            continue
        at += len(word)
        if not clause.startswith(_AWARD_AFTER, at):
            found.append(word)
    return found


def appraisals(text: str) -> tuple[dict[int, str], list[Note]]:
    """年度考核结果 per year: `2021年度考核优秀；2022年度考核称职`, `2020、2021年度考核均为
    称职`, `2019年至2021年考核称职`, `2020年、2021年分别为称职、优秀`. A clause with years
    and no result lends its years to a following clause that has a result and no year."""
    result: dict[int, str] = {}
    notes: list[Note] = []
    pending: list[int] = []
    what = Text("年度考核结果", "yearly appraisals")
    for clause in _CLAUSE.split(text):
        years: list[int] = []
        for match in _YEARS.finditer(clause):
            first = int(match[1])
            last = int(match[2]) if match[2] else first
            if last < first or last - first > 50:
                raise Unreadable(Text(f"{what.zh}中的年份范围 {first}—{last} 不合理",
                                      f"the range of years {first}-{last} in the {what.en} "
                                      "is not a range"), Text("如 2019年至2021年",
                                                              "e.g. 2019年至2021年"))
            years.extend(range(first, last + 1))
        results = _results_in(clause)
        if not results:
            pending = years
            continue
        years = years or pending
        pending = []
        if len(results) == 1:
            pairs = [(year, results[0]) for year in years]
        elif len(results) == len(years):
            pairs = list(zip(years, results, strict=True))
        else:
            raise Unreadable(Text(f"{what.zh}“{clause.strip()}”中年份与结果对不上",
                                  f'in the {what.en} "{clause.strip()}" the years and results '
                                  "do not pair up"),
                             Text("每个年度一个结果，如 2021年度考核优秀；2022年度考核称职",
                                  "one result per year, e.g. 2021年度考核优秀；2022年度考核称职"))
        if not pairs:
            notes.append(Note(Text(f"{what.zh}“{clause.strip()}”没有写年份，未读入",
                                   f'"{clause.strip()}" in the {what.en} names no year and '
                                   "is not read")))
        for year, word in pairs:
            if word not in GRADES:
                notes.append(Note(Text(f"{year} 年的考核结果“{word}”不是公务员考核等次，未读入",
                                       f'the result "{word}" for {year} is not a grade of the '
                                       "civil-service appraisal and is not read")))
                continue
            if result.get(year, word) != word:
                raise Unreadable(Text(f"{what.zh}中 {year} 年既是{result[year]}又是{word}",
                                      f"the {what.en} give two different results for {year}"),
                                 Text("每个年度一个结果", "one result per year"))
            result[year] = word
    return dict(sorted(result.items())), notes
