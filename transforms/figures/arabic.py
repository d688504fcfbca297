"""Arabic script before and after the engine: a normalised copy of the page, and the way back.

Why a separate pass: the engine reads digits, separators and whole words, and Arabic
pages write the same figure in several ways the engine should not have to know about:
Eastern Arabic digits (٣٠٠) and their decimal/thousands marks (٫ ٬), the Arabic comma as
a decimal mark ("1،7 هكتار"), hamza and taa-marbuta spelling variants (أقل/اقل,
مصرية/مصريه), tatweel and harakat inside words, bidi control marks around Latin
figures, one-letter proclitics glued to a number ("ب50", "وعشرون", "لعشرين"), and the
Moroccan MAP agency's decimals written fraction first ("9 ر8 ملايير" = 8.9 billion,
"5ر22 بالمائة" = 22.5 %). One normalised copy fixes all of these for every reader at
once; the lexicon is folded the same way when it is read (`fold_lexicon`).

Most changes are one character for one character (str.replace / translate), so offsets
do not move. The few that insert or delete characters are recorded as segments, and
`restore` maps each figure's offsets back to the original page and takes its surface
from there: `surface == text[start:end]` holds on the page the caller gave.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from decimal import Decimal

from transforms.text.tries import END, WS0, norm_key, trie

# Letter variants folded one for one (the lexicon is folded the same way).
_LETTER_FOLDS = (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ة", "ه"), ("ى", "ي"),
                 ("ی", "ي"), ("ک", "ك"))
# Punctuation and digits, one for one: the engine knows "," ";" "?" "%" "." and ASCII digits.
_PUNCT_FOLDS = (("،", ","), ("؛", ";"), ("؟", "?"), ("٪", "%"), ("٫", "."), ("٬", ","))
_DIGITS = {cp: ord("0") + (cp - base) for base in (0x0660, 0x06F0) for cp in range(base, base + 10)}
_HAS_DIGIT = re.compile("[\u0660-\u0669\u06f0-\u06f9]")

# Arabic letters (and the marks that may follow one inside a word).
_AR = "\u0621-\u064a"
_MARKS = "\u0640\u064b-\u065f\u0670"
_DROP = _MARKS + "\u200b-\u200f\u061c\u202a-\u202e\u2066-\u2069"
# "X مليار و Y مليون": the big scale words and the smaller ones that may follow them.
_BIG = {"مليار": 1e9, "ملايير": 1e9, "مليارات": 1e9, "مليون": 1e6, "ملايين": 1e6}
_SMALL = {"مليون": 1e6, "ملايين": 1e6, "الف": 1e3, "الاف": 1e3}
# Proclitics that may be glued to a number word: and, with/by, to/for, so.
_CLITICS = "وبلف"
# Short number words that are also common words once a proclitic is glued ("لست").
_NO_CLITIC = {"ست", "سبع"}


def fold_lexicon(text: str) -> str:
    """The lexicon file with its letters folded as pages are (see module docstring)."""
    for a, b in _LETTER_FOLDS:
        text = text.replace(a, b)
    return text


def expand(d: dict) -> None:
    """Add the proclitic forms of the lexicon's phrases before they are compiled.

    Arabic glues "and", "with/by", "to" to the next word: a qualifier is written
    "بأكثر من", "وحوالي", a change verb "وارتفعت" (most news sentences start with و).
    The lexicon lists each phrase once; its glued forms are made here.
    """
    for section, clitics in (("qualifiers", ("و", "ب", "ل", "وب")),
                             ("context_qualifiers", ("و",))):
        table = d.get(section, {})
        for k, v in list(table.items()):
            for c in clitics:
                table.setdefault(c + k, v)
    links = d.get("links", {})
    verbs = links.get("change_verbs", [])
    links["change_verbs"] = verbs + [c + v for v in verbs for c in ("و", "ف")]


def setup(L, d: dict) -> None:
    """Compile the normaliser's scan and the post-qualifier reader for lexicon `L`.

    The scan finds, in one pass over the folded page, everything that changes length:
    MAP decimals, marks to drop, a digit glued to a letter, a proclitic glued to a
    number word (the words come from the lexicon, so a new number word is split too).
    """
    words = sorted({k for k, v in L.words.items() if v[0] in "nhsfc" and " " not in k
                    and len(k) > 1 and k not in _NO_CLITIC} | set(L.halves), key=len, reverse=True)
    # Every branch starts with the one character the whole pattern consumes first (a
    # class): `re` then skips in C to the few positions where an edit can start,
    # instead of trying six branches at every character. Each branch checks that
    # character with a look-behind.
    L.re["ar_edit"] = re.compile(
        "[\\d%م" + _CLITICS + _DROP + "](?:"
        # MAP: fraction digits, ر, integer digits ("9 ر8" -> 8.9); no digit or separator
        # glued on either side
        "(?<=\\d)(?<![\\d.,]\\d)(?P<frac>\\d{0,5})[ \u00a0]?ر[ \u00a0]?(?P<int>\\d{1,9})(?!\\d|[.,]\\d)"
        # "مليار و200 مليون" = 1.2 billion, "3 ملايين و250 ألف" = 3.25 million: one amount
        "|(?:(?<=\\d)(?<![\\d.,]\\d)(?P<sa>\\d{0,2}(?:[.,]\\d{1,3})?)[ \u00a0]{1,2}(?P<big>" + trie(_BIG) + ")"
        "|(?<=م)(?<![^\\W_]م)(?P<one>ليار|ليون))"
        "[ \u00a0]{1,2}و[ \u00a0]?(?P<sb>\\d{1,3})(?![\\d.,])[ \u00a0]{1,2}"
        "(?P<small>" + trie(_SMALL) + ")" + END +
        # a digit right after a letter ("بـ180", "بقيمة500"): a blank goes in between
        "|(?<=[" + _AR + _MARKS + "]\\d)(?P<glue>)"
        # tatweel, harakat, bidi marks: dropped
        "|(?<=[" + _DROP + "])(?P<drop>[" + _DROP + "]*)"
        # a proclitic glued to a number word ("وعشرون", "لعشرين", "بمليون")
        "|(?<=[" + _CLITICS + "])(?<![^\\W_].)(?P<clit>)(?=(?:" + trie(words) + ")" + END + ")"
        # RTL copy that puts the percent sign first ("بنسبة %15")
        "|(?<=%)(?<![\\d%]%)(?P<pnum>\\d{1,3}(?:[.,]\\d{1,3})?)(?![\\d%]|[.,]\\d))"
    )
    lines = d.get("datelines", {})
    L.datelines = {norm_key(k): v for k, v in lines.items()}
    # a city, an optional agency in brackets, then a dash or colon, at the top of the page
    L.re["ar_dateline"] = re.compile(
        r"\W{0,5}(?P<city>" + trie(sorted(L.datelines, key=len, reverse=True)) + ")" + END
        + r"[^\S\n]{0,3}(?:\([^()\n]{1,40}\)[^\S\n]{0,3})?[-–—:]") if lines else None
    post = {norm_key(fold_lexicon(k)): v for k, v in d.get("post_qualifiers", {}).items()}
    L.post_qualifiers = post
    L.re["ar_post"] = re.compile(WS0 + "(?P<q>" + trie(sorted(post, key=len, reverse=True))
                                 + ")" + END) if post else None


def _scale_sum(m: re.Match, first: str) -> str | None:
    """'3 ملايين و250 ألف' written as '3.25 ملايين' (in units of the big scale)."""
    word = m.group("big") or "م" + m.group("one")
    big, small = _BIG[word], _SMALL[m.group("small")]
    if small >= big:
        return None
    a = None if m.group("big") is None else first + m.group("sa")
    whole = Decimal(a.replace(",", ".")) if a else Decimal(1)
    total = whole + Decimal(m.group("sb")) * Decimal(int(small)) / Decimal(int(big))
    return f"{total.normalize():f} {word}"


def page_country(norm: str, L) -> str | None:
    """The country of a dateline at the top of the normalised page, if there is one."""
    rx = L.re.get("ar_dateline")
    m = rx.match(norm, 0, 160) if rx is not None else None
    return L.datelines.get(norm_key(m.group("city"))) if m else None


class Remap:
    """Offsets of the normalised page back to the original one.

    `segs` are (norm_start, norm_end, orig_start, orig_end) of each replaced piece, in
    order; between two pieces the two pages differ by a constant shift.
    """

    __slots__ = ("norm_starts", "segs")

    def __init__(self, segs: list[tuple[int, int, int, int]]) -> None:
        self.segs = segs
        self.norm_starts = [s[0] for s in segs]

    def start(self, x: int) -> int:
        i = bisect_right(self.norm_starts, x) - 1
        if i < 0:
            return x
        _ns, ne, os_, oe = self.segs[i]
        return os_ if x < ne else x - ne + oe

    def end(self, x: int) -> int:
        i = bisect_left(self.norm_starts, x) - 1
        if i < 0:
            return x
        _ns, ne, _os, oe = self.segs[i]
        return oe if x <= ne else x - ne + oe


def prepare(text: str, L) -> tuple[str, Remap | None]:
    """The normalised page the engine reads, and its Remap (None: same offsets)."""
    t = text
    for a, b in _LETTER_FOLDS:
        if a in t:
            t = t.replace(a, b)
    for a, b in _PUNCT_FOLDS:
        if a in t:
            t = t.replace(a, b)
    if _HAS_DIGIT.search(t):
        t = t.translate(_DIGITS)
    out: list[str] = []
    segs: list[tuple[int, int, int, int]] = []
    last = shift = 0
    for m in L.re["ar_edit"].finditer(t):
        s, e = m.span()
        if m.group("int") is not None:  # MAP
            rep = m.group("int") + "." + t[s] + m.group("frac")
            if s and t[s - 1].isalpha():
                rep = " " + rep
        elif m.group("sb") is not None:
            rep = _scale_sum(m, t[s])
            if rep is None:
                continue
            if s and t[s - 1].isalpha():
                rep = " " + rep
        elif m.group("glue") is not None:
            rep = " " + m.group()
        elif m.group("drop") is not None:
            rep = ""
        elif m.group("clit") is not None:
            rep = m.group() + " "
        else:  # RTL percent
            rep = m.group("pnum") + "%"
        if len(rep) == e - s and rep[0] != " ":
            # same length: offsets keep (the MAP "5ر22" -> "22.5", "%15" -> "15%")
            out.append(t[last:s])
            out.append(rep)
            last = e
            continue
        out.append(t[last:s])
        out.append(rep)
        ns = s + shift
        segs.append((ns, ns + len(rep), s, e))
        shift += len(rep) - (e - s)
        last = e
    if not out:
        return t, None
    out.append(t[last:])
    return "".join(out), (Remap(segs) if segs else None)


def restore(figs: list, text: str, norm: str, remap: Remap | None, L) -> list:
    """Post-qualifiers read on the normalised page, then offsets and surfaces of `text`."""
    post = L.re.get("ar_post")
    if post is not None and figs:
        for i, f in enumerate(figs):
            m = post.match(norm, f.end)
            if m is None or (i + 1 < len(figs) and figs[i + 1].start < m.end()):
                continue
            q = L.post_qualifiers.get(norm_key(m.group("q")))
            if q is None:
                continue
            f.end = m.end()
            if f.value is None:  # a range or a bound already: only hedged further
                f.qualifier = "approx"
            elif q == "at_least":
                f.min, f.value, f.qualifier = f.value, None, q
            elif q == "at_most":
                f.max, f.value, f.qualifier = f.value, None, q
            else:
                f.qualifier = q
            f.surface = norm[f.start:f.end]
    if norm is text:
        return figs
    for f in figs:
        noun = f.counted_noun
        if noun is not None and norm.endswith(noun, f.start, f.end):
            # the noun as the page spells it (the engine read the folded copy)
            ns = f.end - len(noun)
            s, e = (remap.start(ns), remap.end(f.end)) if remap is not None else (ns, f.end)
            f.counted_noun = text[s:e]
        if remap is not None:
            f.start, f.end = remap.start(f.start), remap.end(f.end)
        f.surface = text[f.start:f.end]
    return figs
