"""Organisations named in Arabic text, where capitals cannot tell a name from a word.

Why: the shape rules of `entities` rest on capital letters, which Arabic does not have.
Arabic business news introduces an organisation with a head noun (شركة, مجموعة, بنك,
وزارة, المكتب الوطني, صندوق: languages/ar/arabic_cues.txt) followed by its name, or names a
well-known one (mentions/data/orgs_ar.txt: major Moroccan and regional organisations).
The government ("الحكومة", "الدولة", "السلطات المغربية") and country names used as
parties ("المغرب") are the page country's government, as in the other languages.
Everything is data, read once at import; no I/O at call time.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from pathlib import Path

from transforms import languages
from transforms.mentions.countries import COUNTRIES, country_names
from transforms.mentions.records import Mention

_DATA = Path(__file__).with_name("data")
_AR_WORD = r"[\u0621-\u064A\u0660-\u0669\u0671-\u06D3]+"
_MAX_NAME_WORDS = 4


def _sections(name: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    section = ""
    for ln in languages.read_text("ar", name).splitlines():
        ln = ln.strip()
        if not ln or ln.startswith("#"):
            continue
        if ln.startswith("[") and ln.endswith("]"):
            section = ln[1:-1]
            continue
        out.setdefault(section, []).append(ln)
    return out


_CUES = _sections("arabic_cues.txt")
_HEADS = sorted(_CUES.get("heads", []), key=len, reverse=True)
_GOV_WORDS = _CUES.get("government", [])
_STOP = frozenset(w for ln in _CUES.get("stop", []) for w in ln.split())


def _known() -> dict[str, tuple[str, str | None]]:
    """alias -> (canonical, country) from orgs_ar.txt."""
    out: dict[str, tuple[str, str | None]] = {}
    for ln in (_DATA / "orgs_ar.txt").read_text(encoding="utf-8").splitlines():
        if not ln.strip() or ln.startswith("#"):
            continue
        parts = [p.strip() for p in ln.split("|")] + [""] * 4
        canon, country = parts[0], parts[2] or None
        for alias in [canon, *(a.strip() for a in parts[3].split(";"))]:
            if alias:
                out[alias] = (canon, country)
    return out


_KNOWN = _known()


def _gov_names() -> dict[str, tuple[str, str]]:
    """ISO -> (government name, state name) from governments.txt's [ar] section."""
    out: dict[str, tuple[str, str]] = {}
    section = None
    for ln in (_DATA / "governments.txt").read_text(encoding="utf-8").splitlines():
        ln = ln.strip()
        if ln.startswith("[") and ln.endswith("]"):
            section = ln[1:-1]
        elif section == "ar" and ln and not ln.startswith("#"):
            parts = [p.strip() for p in ln.split("|")] + ["", ""]
            out[parts[0]] = (parts[1], parts[2] or parts[1])
    return out


_GOV = _gov_names()
_GOV_CANONICAL = frozenset(g[0] for g in _GOV.values())
_ANAPHORS = frozenset(_CUES.get("anaphors", []))
_AGENCIES = tuple(_CUES.get("agencies", []))
_COUNTRY_AR = {n: iso for iso in COUNTRIES for n in country_names(iso, "ar")}
# An Arabic word may carry a proclitic: و (and), ب (by/with), ل (for), ف; "وبنك", "للبنك".
_CLITIC = r"(?:[وفبل]|لل|وال|بال|فال)?"


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_KNOWN_RE = re.compile(rf"(?<![\w]){_CLITIC}({_alternation(_KNOWN)})(?![\w])")
_HEAD_RE = re.compile(rf"(?<![\w]){_CLITIC}({_alternation(_HEADS)})((?:\s+{_AR_WORD}){{1,{_MAX_NAME_WORDS}}})")
_COUNTRY_RE = re.compile(rf"(?<![\w]){_CLITIC}({_alternation(_COUNTRY_AR)})(?![\w])")
_GOV_RE = re.compile(rf"(?<![\w]){_CLITIC}({_alternation(_GOV_WORDS)})(?:\s+({_AR_WORD}))?")
_LATIN_RE = re.compile(r"(?<![\w\\])[A-Z][A-Za-z&-]+(?:\s[A-Z][A-Za-z&-]+)*")
_LATIN_STOP = frozenset({"MAP", "AFP", "xa"})  # news agencies, the scraper's "\xa0" escapes
_ADJ_ISO = {"المغربية": "MA", "الجزائرية": "DZ", "التونسية": "TN", "المصرية": "EG",
            "الفرنسية": "FR", "الإسبانية": "ES", "الأمريكية": "US"}


def _name_words(tail: str) -> list[str]:
    """The words after a head noun that belong to the name: up to a stop word."""
    out = []
    for w in tail.split():
        if w in _STOP or (len(w) > 2 and w[0] == "و" and w[1:] in _STOP):
            break
        out.append(w)
    return out


def page_country_ar(text: str, site_country: str | None = None) -> str | None:
    """The country an Arabic page is about: its most named country, else the site's."""
    counts: dict[str, int] = {}
    for m in _COUNTRY_RE.finditer(text):
        iso = _COUNTRY_AR[m.group(1)]
        counts[iso] = counts.get(iso, 0) + 1
    for m in _GOV_RE.finditer(text):
        iso = _ADJ_ISO.get(m.group(2) or "")
        if iso:
            counts[iso] = counts.get(iso, 0) + 1
    if counts:
        return max(counts, key=lambda k: (counts[k], k == site_country))
    return site_country


def find_arabic_mentions(
    text: str, spans_to_skip: Iterable[tuple[int, int]] = (), country: str | None = None
) -> list[Mention]:
    """Organisation and government mentions of an Arabic `text`, in text order."""
    skip = sorted(spans_to_skip)
    starts = [s for s, _ in skip]
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        i = bisect_right(starts, s) - 1
        if (i >= 0 and s < skip[i][1]) or (i + 1 < len(skip) and skip[i + 1][0] < e):
            return False
        return not any(s < te and ts < e for ts, te in taken)

    out: list[Mention] = []
    anaphors: list[tuple[int, int]] = []
    for m in _KNOWN_RE.finditer(text):
        s, e = m.span(1)
        if free(s, e):
            canon, _ = _KNOWN[m.group(1)]
            out.append(Mention(m.group(1), s, e, "org", canon, "name" if canon == m.group(1) else "alias"))
            taken.append((s, e))
    for m in _HEAD_RE.finditer(text):
        words = _name_words(m.group(2))
        if not words:
            continue
        # "المجموعة الفرنسية" is "the French group", a description; a definite head
        # names only through a genitive: "المكتب الوطني للصيد"
        if m.group(1).startswith("ال") and " " not in m.group(1) and not words[0].startswith("لل"):
            if m.group(1) in _ANAPHORS:
                anaphors.append((m.start(1), m.start(1) + len(m.group(1))))
            continue
        s = m.start(1)
        surface = " ".join([m.group(1), *words])
        e = s + len(surface)
        if text[s:e] != surface or not free(s, e):
            continue
        if any(a in surface for a in _AGENCIES):
            taken.append((s, e))  # no mention, nor a country inside the agency's name
            continue
        out.append(Mention(surface, s, e, "org", surface, "name"))
        taken.append((s, e))
    for m in _LATIN_RE.finditer(text):  # "Thyssenkrupp", "OCP": Latin script in Arabic text
        s, e = m.span()
        if free(s, e) and m.group() not in _LATIN_STOP:
            out.append(Mention(m.group(), s, e, "org", m.group(), "name"))
            taken.append((s, e))
    iso = page_country_ar(text, country)
    for m in _GOV_RE.finditer(text):
        own = _ADJ_ISO.get(m.group(2) or "")
        gov = _GOV.get(own or iso or "")
        s = m.start(1)
        e = m.end(2) if own else m.end(1)
        if gov is None or not free(s, e):
            continue
        out.append(Mention(text[s:e], s, e, "org", gov[0], "description"))
        taken.append((s, e))
    for m in _COUNTRY_RE.finditer(text):
        s, e = m.span(1)
        gov = _GOV.get(_COUNTRY_AR[m.group(1)])
        if gov is None or not free(s, e):
            continue
        out.append(Mention(m.group(1), s, e, "org", gov[0], "alias"))
        taken.append((s, e))
    out.sort(key=lambda x: x.start)
    return _resolve_anaphors(out, anaphors, text, free)


def _resolve_anaphors(out: list[Mention], anaphors: list[tuple[int, int]], text: str, free) -> list[Mention]:
    """"الشركة" / "المجموعة" alone: the company named last before it (a name, not a
    government, nor one with a glued preposition: "في تصريح لوكالة رويترز" is the
    agency spoken to), as a description mention; none when the page named none yet."""
    if not anaphors:
        return out
    added = []
    for s, e in anaphors:
        before = [m for m in out if m.end <= s and m.resolved_from != "description"
                  and m.canonical not in _GOV_CANONICAL
                  and not (m.start > 0 and text[m.start - 1].isalpha())]  # "لوكالة رويترز": told to
        if before and free(s, e):
            added.append(Mention(text[s:e], s, e, "org", before[-1].canonical, "description"))
    return sorted(out + added, key=lambda x: x.start)
