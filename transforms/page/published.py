"""Find and resolve a page's publication time ("Hier 14:44", "12 mars 2025 à 10h05").

Why hand-written patterns first: dateparser costs milliseconds per call and a run sees
10,000+ pages, while nearly every news site prints one of a dozen shapes. The patterns
below cover them in fr/en/es/pt/de; dateparser is only tried (lazily imported) on a
short candidate line that none of them understood.

Resolution is done in the site's time zone: relative forms ("yesterday", "il y a 3
heures") are counted from `fetched_at` converted to that zone, absolute wall-clock
forms are read as that zone's local time, and an ISO time with an explicit offset is
converted into it. A result later than `fetched_at` is rejected (None): a page cannot
have been published after we fetched it, so such a match is a misreading (an event
date, a US/EU day-month swap) rather than a publication time.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from transforms import languages
from transforms.page.sites import get_zone

# ---------------------------------------------------------------- vocabulary (data)

# Each language's date words are data: transforms/languages/<lang>/dates.toml. The
# finder reads the union over all languages (a French site may print "May 3").
_DATES = {code: tomllib.loads(languages.read_text(code, "dates.toml"))
          for code in languages.having("dates.toml")}

MONTHS: dict[str, int] = {}
for _d in _DATES.values():
    for _num, _names in _d.get("months", {}).items():
        for _name in _names:
            MONTHS[_name] = int(_num)

_WEEKDAYS = frozenset(w for _d in _DATES.values() for w in _d.get("weekdays", ()))

RELATIVE_DAYS: dict[str, int] = {
    w: int(n) for _d in _DATES.values() for w, n in _d.get("relative_days", {}).items()
}

# unit word -> seconds (months counted as 30 days: only used for "il y a 2 mois")
UNITS: dict[str, int] = {}
for _d in _DATES.values():
    for _secs, _names in _d.get("units", {}).items():
        for _name in _names:
            UNITS[_name] = int(_secs)

# number words in "il y a deux heures", "two hours ago", "vor drei Stunden"
NUMBER_WORDS: dict[str, int] = {}
for _d in _DATES.values():
    for _n, _names in _d.get("numbers", {}).items():
        for _name in _names:
            NUMBER_WORDS.setdefault(_name.replace("_", " "), int(_n))


def _alt(words: list[str] | set[str] | dict[str, object]) -> str:
    """Regex alternation, longest first so "sept" wins over "sep"."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# Month names are matched as "a word" and checked against MONTHS afterwards: a regex
# alternation of ~100 names tried at every position was 10x slower than this.
_MONTH = r"(?P<mon>[^\W\d_]{3,10})\.?"
_WD_BEFORE = re.compile(r"(?P<wd>[^\W\d_][\w-]*)\.?,?\s+$")
_YEAR = r"(?P<y>(?:19|20)\d{2})(?!\d)"
# A time needs a separator or marker, so "12 mars 2025 5 salariés" does not read 5 as an hour.
_TIME = (
    r"(?:\s*(?:,|-|–|—|\||\bà|\bat|\ba\s+las|\ba\s+la|\bàs|\bas|\bum|\bkl\.)?\s*"
    r"(?P<H>[01]?\d|2[0-3])\s*"
    r"(?:(?:[:h]|\.(?=\d\d\s*uhr))\s*(?P<M>[0-5]\d)(?::[0-5]\d)?\s*(?P<ap>[ap]\.?\s?m\b\.?)?"
    r"|h(?![a-z])|\s*(?P<ap2>[ap]\.?\s?m\b\.?)|\s*(?=uhr))"
    r"(?:\s*uhr\b)?)?"
)

_FLAGS = re.IGNORECASE
_AMBIGUOUS_MONTHS = frozenset({"mar", "may", "set", "out", "ago", "sept"})

PATTERNS: dict[str, re.Pattern[str]] = {
    # 12 mars 2025 à 10h05 / 12 de marzo de 2025 / 12. März 2025, 10:05 Uhr / 1er mai
    "dmy": re.compile(
        rf"(?P<d>[0-3]?\d)(?:er|re|º|°|st|nd|rd|th)?\.?\s*(?:de\s+)?{_MONTH}"
        rf"(?![\w])(?:\s*(?:de\s+|,\s*|\s)\s*{_YEAR})?{_TIME}",
        _FLAGS,
    ),
    # March 12, 2025 10:05 AM / Mar. 12 2025
    "mdy": re.compile(
        rf"{_MONTH}\s*(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?![\d,.]\d)(?!\d)"
        rf"(?:,?\s*{_YEAR})?{_TIME}",
        _FLAGS,
    ),
    # 2025-03-12 / 2025-03-12T10:05:00+01:00
    "iso": re.compile(
        r"(?P<y>(?:19|20)\d{2})-(?P<mo>[01]?\d)-(?P<d>[0-3]?\d)(?!\d)"
        r"(?:[T\s](?P<H>[01]\d|2[0-3]):(?P<M>[0-5]\d)(?::[0-5]\d(?:\.\d+)?)?"
        r"(?P<z>Z|[+-]\d{2}:?\d{2})?)?",
        _FLAGS,
    ),
    # 12/03/2025, 12.03.2025, 12-03-25 (+ time)
    "num": re.compile(
        r"(?P<a>[0-3]?\d)(?P<sep>[/.-])(?P<b>[0-3]?\d)(?P=sep)"
        r"(?P<y>(?:19|20)?\d{2})(?![\d/]|[.,-]\d)" + _TIME,
        _FLAGS,
    ),
    # Hier 14:44 / Aujourd'hui à 9h05 / Yesterday 10:12 / heute um 10:05 Uhr
    "relday": re.compile(
        rf"(?<![\w-])(?P<rel>{_alt(RELATIVE_DAYS)})(?![\w-]){_TIME}",
        _FLAGS,
    ),
    # il y a 3 heures / hace 2 horas / há 3 horas / vor 3 Stunden
    "ago_pre": re.compile(
        rf"(?<!\w)(?:il\s+y\s+a|hace|há|ha|vor)\s+(?P<n>\d{{1,3}}|{_alt(NUMBER_WORDS)})\s*"
        rf"(?P<unit>{_alt(UNITS)})(?![^\W\d_])",
        _FLAGS,
    ),
    # 2 hours ago / 3 horas atrás / 5 min ago
    "ago_post": re.compile(
        rf"(?<!\w)(?P<n>\d{{1,3}}|{_alt(NUMBER_WORDS)})\s*(?P<unit>{_alt(UNITS)})\s+(?:ago|atrás|atras)\b",
        _FLAGS,
    ),
}


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date expression found in a string: which pattern, where, and its groups."""

    kind: str
    start: int
    end: int
    text: str
    groups: dict[str, str | None]


_DIGITS = re.compile(r"\d+")
_MON_BEFORE = re.compile(r"(?<!\w)[^\W\d_]{3,10}\.?\s*$")
_REL_NEEDLES = (*RELATIVE_DAYS, "aujourd")
_AGO_PRE_NEEDLES = ("il y a", "hace ", "há ", "ha ", "vor ")
_AGO_POST_NEEDLES = ("ago", "atrás", "atras")


def find_date(text: str) -> DateMatch | None:
    """Earliest (then longest) date expression in `text` by the fast patterns, or None.

    Meant for short lines; callers should not feed long paragraphs where dates of
    events, not of publication, live. Numeric patterns are only tried where a run of
    digits starts (and month-first ones where a word ends right before it), and the
    relative ones only when a cue word is present: a few microseconds per line.
    """
    found: list[tuple[str, re.Match[str]]] = []
    for run in _DIGITS.finditer(text):
        s = run.start()
        prev = text[s - 1] if s else " "
        if prev in ".,/-":
            continue
        n = run.end() - s
        hits: list[tuple[str, re.Match[str]]] = []
        if n <= 2:
            for kind in ("dmy", "num"):
                m = PATTERNS[kind].match(text, s)
                if m is not None and _plausible(kind, m):
                    hits.append((kind, m))
            wb = _MON_BEFORE.search(text, max(0, s - 16), s)
            if wb is not None:
                m = PATTERNS["mdy"].match(text, wb.start())
                if m is not None and _plausible("mdy", m):
                    hits.append(("mdy", m))
        elif n == 4:
            m = PATTERNS["iso"].match(text, s)
            if m is not None:
                hits.append(("iso", m))
        if hits:
            found.extend(hits)
            break
    low = text.lower()
    if any(w in low for w in _REL_NEEDLES):
        found.extend(("relday", m) for m in PATTERNS["relday"].finditer(text))
    if any(w in low for w in _AGO_PRE_NEEDLES):
        found.extend(("ago_pre", m) for m in PATTERNS["ago_pre"].finditer(text))
    if any(w in low for w in _AGO_POST_NEEDLES):
        found.extend(("ago_post", m) for m in PATTERNS["ago_post"].finditer(text))
    best: DateMatch | None = None
    for kind, m in found:
        s, e = m.span()
        if e - s < 3:
            continue
        # trailing blanks/punctuation swallowed by optional groups are not part of it
        while e > s and text[e - 1] in " \t,-–—|":
            e -= 1
        if kind in ("dmy", "mdy", "num"):
            wd = _WD_BEFORE.search(text, max(0, s - 20), s)
            if wd and wd.group("wd").lower() in _WEEKDAYS:
                s = wd.start()
        if best is None or s < best.start or (s == best.start and e > best.end):
            best = DateMatch(kind, s, e, text[s:e], m.groupdict())
    return best


def _plausible(kind: str, m: re.Match[str]) -> bool:
    g = m.groupdict()
    if kind in ("dmy", "mdy"):
        mon = g["mon"].lower()
        if mon not in MONTHS:
            return False
        d = int(g["d"])
        if not 1 <= d <= 31:
            return False
        # short words that are also ordinary words need a year or a time to count
        return bool(g.get("y") or g.get("H")) or mon not in _AMBIGUOUS_MONTHS
    if kind == "num":
        a, b = int(g["a"]), int(g["b"])
        return 1 <= a <= 31 and 1 <= b <= 31 and (a <= 12 or b <= 12)
    return True


# ---------------------------------------------------------------- resolution


def _localise(naive: datetime, zone: ZoneInfo) -> datetime:
    return naive.replace(tzinfo=zone)


def _hour(g: dict[str, str | None]) -> tuple[int, int] | None:
    if g.get("H") is None:
        return None
    h = int(g["H"])  # type: ignore[arg-type]
    mi = int(g["M"]) if g.get("M") else 0
    ap = (g.get("ap") or g.get("ap2") or "").lower().replace(".", "").replace(" ", "")
    if ap:
        if not 1 <= h <= 12:
            return None
        if ap == "pm" and h != 12:
            h += 12
        elif ap == "am" and h == 12:
            h = 0
    return (h, mi) if h < 24 else None


def _year(y: str | None, local_fetch: datetime, month: int, day: int) -> int | None:
    """Explicit year, or the fetch year (previous year if that date is still ahead)."""
    if y:
        yi = int(y)
        return yi + 2000 if yi < 100 else yi
    try:
        candidate = date(local_fetch.year, month, day)
    except ValueError:
        return None
    return local_fetch.year if candidate <= local_fetch.date() else local_fetch.year - 1


RELATIVE_KINDS = frozenset({"relday", "ago_pre", "ago_post"})


def resolve_match(
    m: DateMatch,
    fetched_at: datetime,
    tz: str,
    *,
    day_first: bool = True,
    relative_ok: bool = True,
) -> datetime | None:
    """Aware datetime (in `tz`) for a found expression, or None if invalid/in the future.

    `relative_ok=False` when `fetched_at` is only a guess (file mtime): "Hier 14:44"
    is then unresolvable, while "12 mars 2025" still is.
    """
    if not relative_ok and m.kind in RELATIVE_KINDS:
        return None
    zone = get_zone(tz)
    local_fetch = fetched_at.astimezone(zone)
    g = m.groups
    result: datetime | None
    try:
        if m.kind in ("ago_pre", "ago_post"):
            n_txt = (g["n"] or "1").lower()
            n = int(n_txt) if n_txt.isdigit() else NUMBER_WORDS.get(n_txt, 1)
            secs = UNITS[(g["unit"] or "").lower()]
            result = (local_fetch - timedelta(seconds=n * secs)).astimezone(zone)
        elif m.kind == "relday":
            day = local_fetch.date() + timedelta(days=RELATIVE_DAYS[(g["rel"] or "").lower()])
            hm = _hour(g)
            if hm is None and g.get("H") is not None:
                return None
            result = _localise(datetime.combine(day, time(*(hm or (0, 0)))), zone)
        elif m.kind == "iso":
            y, mo, d = int(g["y"]), int(g["mo"]), int(g["d"])  # type: ignore[arg-type]
            naive = datetime(y, mo, d, int(g["H"] or 0), int(g["M"] or 0))
            z = g.get("z")
            if z:
                if z.upper() == "Z":
                    off = UTC
                else:
                    sign = 1 if z[0] == "+" else -1
                    hh, mm = int(z[1:3]), int(z[-2:])
                    off = timezone(sign * timedelta(hours=hh, minutes=mm))
                result = naive.replace(tzinfo=off).astimezone(zone)
            else:
                result = _localise(naive, zone)
        else:
            if m.kind == "num":
                a, b = int(g["a"]), int(g["b"])  # type: ignore[arg-type]
                d, mo = (a, b) if day_first else (b, a)
                if mo > 12 >= d:  # impossible month: the other order is the only reading
                    d, mo = mo, d
            else:
                d, mo = int(g["d"]), MONTHS[(g["mon"] or "").lower()]  # type: ignore[arg-type]
            y = _year(g.get("y"), local_fetch, mo, d)
            if y is None:
                return None
            hm = _hour(g)
            if hm is None and g.get("H") is not None:
                return None
            result = _localise(datetime(y, mo, d, *(hm or (0, 0))), zone)
    except (ValueError, KeyError, TypeError, OverflowError):
        return None
    if result > fetched_at:
        return None
    return result


# ---------------------------------------------------------------- public entry points

_DATEPARSER_LANGS = {"fr", "en", "es", "pt", "de", "it", "nl"}
_CUE = re.compile(
    r"^\s*(?:publié|mis à jour|modifié|published|updated|posted|publicado|actualizado|"
    r"atualizado|veröffentlicht|aktualisiert|stand|date|fecha|data)\b",
    _FLAGS,
)


def looks_like_date_line(line: str) -> bool:
    """A short line that announces a date ("Publié le ...") even if we cannot parse it."""
    return len(line) <= 80 and bool(_CUE.match(line)) and any(c.isdigit() for c in line)


def _dateparser_fallback(
    text: str, fetched_at: datetime, tz: str, lang: str | None, day_first: bool
) -> datetime | None:
    """Slow path (ms per call): only for short lines our patterns did not understand."""
    if len(text) > 80 or not any(c.isdigit() for c in text):
        return None
    try:
        import dateparser  # lazy: ~0.2 s import, most runs never need it
    except ImportError:  # pragma: no cover - dateparser is a declared dependency
        return None
    zone = get_zone(tz)
    local_fetch = fetched_at.astimezone(zone)
    settings = {
        "RELATIVE_BASE": local_fetch.replace(tzinfo=None),
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "DATE_ORDER": "DMY" if day_first else "MDY",
    }
    cleaned = _CUE.sub("", text).strip(" :,-|")
    langs = [lang] if lang in _DATEPARSER_LANGS else None
    try:
        parsed = dateparser.parse(cleaned, languages=langs, settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    if parsed is None:
        return None
    result = parsed.replace(tzinfo=zone) if parsed.tzinfo is None else parsed.astimezone(zone)
    return None if result > fetched_at else result


def resolve_published(
    published_text: str | None,
    fetched_at: datetime,
    tz: str,
    *,
    lang: str | None = None,
    day_first: bool = True,
    use_dateparser: bool = True,
    relative_ok: bool = True,
) -> datetime | None:
    """Publication time for a date string found on the page, in the site's zone.

    `day_first=False` only for en-US sites (03/12/2025 = March 12). Returns None when
    nothing sensible can be read or the result is later than `fetched_at`; relative
    forms also when `relative_ok` is False (see resolve_match). dateparser (which
    cannot say whether it read a relative form) is only tried when `relative_ok`.
    """
    if not published_text:
        return None
    m = find_date(published_text)
    if m is not None:
        return resolve_match(m, fetched_at, tz, day_first=day_first, relative_ok=relative_ok)
    if use_dateparser and relative_ok:
        return _dateparser_fallback(published_text, fetched_at, tz, lang, day_first)
    return None


def parse_published(
    line: str,
    fetched_at: datetime,
    tz: str,
    *,
    lang: str | None = None,
    day_first: bool = True,
    use_dateparser: bool = True,
) -> tuple[datetime, str] | None:
    """Find and resolve a publication time in one line: (datetime, matched text) or None."""
    m = find_date(line)
    if m is not None:
        dt = resolve_match(m, fetched_at, tz, day_first=day_first)
        return (dt, m.text) if dt is not None else None
    if use_dateparser:
        dt = _dateparser_fallback(line.strip(), fetched_at, tz, lang, day_first)
        if dt is not None:
            return dt, line.strip()
    return None
