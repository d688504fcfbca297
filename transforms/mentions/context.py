"""Sentences and the grammatical role of a span: subject, object of a preposition, ...

Descriptions and governments resolve to subjects before objects, and deals pick their
actor by role; both need the same sentence spans and the same reading of the words
just before a mention.
"""

from __future__ import annotations

import re
from functools import lru_cache

from transforms.mentions.candidates import _ADJ_WORD, _GLUED_BREAK, glued_openers
from transforms.mentions.lexicon import _UP, ABBREVIATIONS, GAZETTEER, LEXICONS, Lexicon

# --------------------------------------------------------------------------- sentences

# A line break, or ". " before a capital (or an Arabic letter: Arabic has no capitals;
# "؟" is its question mark). The first character is outside any group so the regex
# engine can skip to the next candidate in C (3x faster than "\n+|[.!?…]...").
# The figure rows number sentences with these spans too (transforms/rows/facts.py), so
# an amount's sentence_no and the deal it feeds see the same boundaries.
# A quoted list of paragraphs ("...في المغرب.', 'وتمتلك الشركة", as scrapers dump a
# JSON list) breaks after the closing quote and its comma too.
_BREAK_RE = re.compile(
    r"[\n.!?…؟](?:(?<=\n)\n*|(?<=[.!?…؟])(?:[»”\"')\]]+,)?[»”\"')\]]*[ \t\u00a0]+"
    r"(?=[«\"“'(\[]?\s?[" + _UP + r"0-9\u0621-\u064a]))"
)
_WORD_BEFORE_DOT = re.compile(r"([\w.\-]+)\.$")


@lru_cache(maxsize=8)
def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Sentence spans: a line break always ends one; ". " before a capital does too, unless
    the word before the dot is an abbreviation ("M.", "Inc.") or an initial ("J.")."""
    spans = []
    start = 0
    for m in _BREAK_RE.finditer(text):
        end = m.start()
        if text[end] != "\n":
            b = end  # the dot
            end += 1
            w0 = max(text.rfind(" ", max(0, b - 12), b), text.rfind("\n", max(0, b - 12), b)) + 1
            word = text[w0:b] if w0 > 0 else text[max(0, b - 12) : b]
            if word in ABBREVIATIONS or (len(word) == 1 and word.isupper()):
                continue
        if text[start:end].strip():
            spans.append((start, end))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return _split_glued(text, spans)


def _split_glued(text: str, spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Sentence spans also end at a dot glued to the next sentence's capital, unless the
    word is a known name ("Booking.Com" style entries of the seed list)."""
    cuts = sorted(
        [m.end() for m in _GLUED_BREAK.finditer(text)]
        + glued_openers(text)
    )
    if not cuts:
        return tuple(spans)
    out: list[tuple[int, int]] = []
    for s, e in spans:
        for c in cuts:
            if s < c < e and _glued_word(text, c) not in GAZETTEER:
                out.append((s, c))
                s = c
        out.append((s, e))
    return tuple(out)


def _glued_word(text: str, cut: int) -> str:
    """The whitespace-free word around a glued dot ("Microsoft.L'industrie")."""
    a = cut
    while a > 0 and not text[a - 1].isspace():
        a -= 1
    b = cut
    while b < len(text) and not text[b].isspace():
        b += 1
    return text[a:b]


_CTX_WORD = re.compile(r"(?:qu|[^\W\d_])['’](?=\w)|[^\W\d_]+(?:-[^\W\d_]+)*['’]?|[^\w\s]")


def mention_role(text: str, start: int, lex: Lexicon, floor: int = 0) -> str:
    """Grammatical role of a name from the words before it, within the sentence.

    "core" (a subject or a direct object: "SoftBank a cédé", "Le groupe japonais SoftBank"),
    "oblique" (behind a preposition: "dans Nvidia", "d'Arm"), "coord" (a second conjunct:
    "SoftBank et OpenAI") or "source" ("selon Reuters"). Articles, description nouns and
    adjectives between the preposition and the name are skipped.
    """
    return role_and_word(text, start, lex, floor)[0]


def role_and_word(text: str, start: int, lex: Lexicon, floor: int = 0) -> tuple[str, str]:
    """`mention_role` plus the word that decided it ("dans", "à", "et"; "" for core)."""
    lo = max(floor, start - 80)
    low = text[lo:start].casefold().rstrip()
    if low.endswith(lex.sources):
        for src in lex.sources:
            if low.endswith(src) and (len(low) == len(src) or not low[-len(src) - 1].isalnum()):
                return "source", src
    if start - lo > 32:
        # Most names are decided by the word or two before them: try the last 32
        # characters first, whose first two words may be cut and are not looked at.
        words = _CTX_WORD.findall(text, start - 32, start)
        hit = _decide_role(words, low, lex, len(words) - 2, False)
        if hit is not None:
            return hit
    words = _CTX_WORD.findall(text, lo, start)
    return _decide_role(words, low, lex, len(words), start - 80 <= floor) or ("core", "")


def _decide_role(
    words: list[str], low: str, lex: Lexicon, limit: int, initial: bool
) -> tuple[str, str] | None:
    """The role decided by the last of `words` that is not skippable (see
    `role_and_word`); None when the `limit` last words are all skippable."""
    last = len(words) - 1
    for n in range(min(limit, len(words))):
        wf = words[last - n].casefold()
        if initial and n == last and wf in lex.skippable:
            return "core", ""  # "A Cerrado Agro anunciou": a sentence-initial article
        if _skippable(lex.lang, wf):
            continue
        if wf in lex.sources or wf.rstrip("'’") in (
            "selon",
            "according",
            "laut",
            "según",
            "segundo",
        ):
            return "source", wf
        if wf in lex.prepositions or wf in ("d'", "d’"):
            return "oblique", wf
        if any(wf == c or (" " in c and low.endswith(c)) for c in lex.coordinators) or (
            " " not in wf and any(low.endswith(c) for c in lex.coordinators if " " in c)
        ):
            k = last - n - 1
            if n and k >= 0 and words[k].islower() and _skippable(lex.lang, words[k]):
                continue  # "le gazier et pétrolier Total": two description nouns joined
            return "coord", wf
        return "core", ""
    return None if limit < len(words) else ("core", "")


@lru_cache(maxsize=1 << 15)
def _skippable(lang: str, wf: str) -> bool:
    """Articles, description nouns and adjectives between a preposition and a name."""
    lex = LEXICONS[lang]
    return (wf in lex.skippable or bool(_ADJ_WORD.fullmatch(wf))) and wf not in lex.prepositions
