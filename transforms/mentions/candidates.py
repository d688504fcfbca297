"""Candidate names by shape: capitalised runs, inner capitals, acronyms, legal suffixes,
seed-list hits, and their kind (org, person, project, fund) from cues around them.

The cheapest step and the one that sees every capitalised word, so its skip lists and
splitting rules decide what the later steps ever look at.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from transforms import languages
from transforms.mentions.lexicon import (
    _ACRONYM_STOP,
    _BY_FIRST,
    _CUE_TOKEN,
    _FIRST_NAMES,
    _FUND_HEADS,
    _INSTITUTION_HEADS,
    _LEGAL,
    _LEGAL_OR_HEAD,
    _NATIONALITY,
    _ORG_HEADS,
    _UP,
    ABBREVIATIONS,
    GAZETTEER,
    LEXICONS,
    Lexicon,
    SeedEntry,
)

# --------------------------------------------------------------------------- finder

# The commonest sentence-initial function words: dropped before any other work when a
# lower-case word follows ("Le groupe", "The company"); "Le Monde" still goes through.
# Sentence-initial words that are no name (languages/<lang>/words.toml).
_SKIP_WORDS = languages.word_set("words.toml", "skip_words")
# "...a-t-il détaillé.Selon ...", "WLTP.En": a paragraph joint whose space the source lost
_GLUED_BREAK = re.compile(rf"(?:[a-zà-ÿ]{{2}}|[A-Z]{{2}}|[0-9%)»”])\.(?=[{_UP}][a-zà-ÿ'’])")
# "...de province à Mérignac-Arlac.par Tv7 BordeauxAprès avoir perdu": a paragraph joint
# that lost its space and its dot; the next paragraph opens with a capitalised function
# word of some language glued to a lower-case word
_GLUED_OPENERS = frozenset(
    w.capitalize() for lx in LEXICONS.values() for w in lx.stop if len(w) >= 4 and w.isalpha()
)
_CAMEL = re.compile(r"(?<=[a-zà-ÿ]{3})[A-ZÀ-Ý][a-zà-ÿ]{3,}(?=[ \u00a0])")


def glued_openers(text: str) -> list[int]:
    """Offsets where a paragraph glued without space or dot starts ("BordeauxAprès")."""
    return [m.start() for m in _CAMEL.finditer(text) if m.group() in _GLUED_OPENERS]


# A capitalised token; the look-behind after the first letter (not before it) lets the
# regex engine jump between capitals, which is 3x faster than a leading look-behind.
# Lower-case brand names ("inwi", "xAI") come from the seed list's own finder.
_CONNECTOR_WORDS = r"of the|of|de la|de l['’]|des|du|de|d['’]|for|pour|pour l['’]|&|and|et|del|do|da|dos|das|und|für|y|e"
_CONNECTOR_RE = re.compile(rf"[ \u00a0](?:{_CONNECTOR_WORDS})[ \u00a0]?")
_TOKEN = rf"[{_UP}](?<![\w&-].)[\w&-]*(?:['’.][\w&-]+)*\.?"
_TOKEN_RE = re.compile(_TOKEN)
# Capitalised tokens joined by one space or a connector word (`_CONNECTOR_RE`).
_RUN_RE = re.compile(
    rf"{_TOKEN}(?:(?:[ \u00a0](?:{_CONNECTOR_WORDS})[ \u00a0]?|[ \u00a0]){_TOKEN})*"
)
_ELISION_RE = re.compile(r"^[A-Za-z]['’](?=\w)")
_LOWER_CAMEL = re.compile(rf"[a-z]+[{_UP}]")
_INNER_CAP = re.compile(rf"[a-zà-ÿ][{_UP}]|^[{_UP}]{{2,}}[a-z]|\w-[{_UP}]")
_DIGIT = re.compile(r"\d")
_LINE_WORD = re.compile(r"[^\W\d_]{4,}")
_LINE_CAP_WORD = re.compile(rf"(?<![^\W\d_])[{_UP}][^\W\d_]{{3,}}")


@dataclass(slots=True)
class _Tok:
    start: int
    end: int
    text: str
    joiner: str  # the gap before this token: "" (first), " " or a connector word


@dataclass(slots=True)
class _Cand:
    toks: list[_Tok]
    initial: bool
    title_cue: bool


def _is_initial(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i] in " \t\u00a0«\"“‘'([*•–—-":
        i -= 1
    return i < 0 or text[i] in ".!?…:\n\r|"


class _TitleLines:
    """Lines where most long words are capitalised ("SoftBank Plans Huge Bet On OpenAI"):
    there, capitals say nothing, so only known names or strong shapes count."""

    def __init__(self, text: str):
        self.text = text
        self.cache: dict[int, bool] = {}

    def __call__(self, pos: int) -> bool:
        ls = self.text.rfind("\n", 0, pos) + 1
        hit = self.cache.get(ls)
        if hit is None:
            le = self.text.find("\n", pos)
            le = le if le >= 0 else len(self.text)
            if le - ls > 160:  # a paragraph, not a headline
                self.cache[ls] = False
                return False
            n = len(_LINE_WORD.findall(self.text, ls, le))
            hit = (
                n >= 4
                and len(_LINE_CAP_WORD.findall(self.text, ls, le)) >= 0.7 * n
                and ". " not in self.text[ls:le]
            )  # a headline has one sentence
            self.cache[ls] = hit
        return hit


def _overlaps(spans: Sequence[tuple[int, int]], starts: list[int], s: int, e: int) -> bool:
    """Whether [s, e) overlaps one of the sorted, disjoint `spans`."""
    i = bisect_right(starts, s) - 1
    if i >= 0 and s < spans[i][1]:  # spans[i] starts at or before s
        return True
    return i + 1 < len(spans) and spans[i + 1][0] < e


def _gazetteer_hit(text: str, tok: _Tok) -> tuple[str, SeedEntry] | None:
    cands = _BY_FIRST.get(tok.text)
    if cands is None and tok.text.endswith("."):
        cands = _BY_FIRST.get(tok.text[:-1])
    if not cands:
        return None
    for alias in cands:
        seg = text[tok.start : tok.start + len(alias)]
        if (seg == alias or (seg.casefold() == alias.casefold() and seg[:1] == alias[:1])) and (
            tok.start + len(alias) >= len(text) or not (text[tok.start + len(alias)].isalnum())
        ):
            return alias, GAZETTEER[alias]
    return None


def _token_kind_words(lex: Lexicon, tok: str) -> str | None:
    """Why a single token cannot be a name on its own (None if it can)."""
    return _token_kind_cached(lex.lang, tok)


@lru_cache(maxsize=1 << 16)
def _token_kind_cached(lang: str, tok: str) -> str | None:
    lex = LEXICONS[lang]
    cf = tok.casefold()
    if _DIGIT.search(tok) or cf.endswith("-based"):
        return "stop"  # "A320neo", "G20", "Q3", "Calgary-based": models, codes, places
    if (
        cf in lex.stop
        or cf in _NATIONALITY
        or tok in _ACRONYM_STOP
        or tok in lex.titles
        or tok.rstrip(".") in lex.titles
    ):
        return "stop"
    entry = GAZETTEER.get(tok)
    if entry is not None and entry.kind == "place":
        return "place"
    if len(tok) < 2 or tok.isdigit():
        return "short"
    return None


_SENTENCE_END = frozenset(".!?:;\n\"“«")


def _stop_word_name(text: str, part: Sequence[_Tok], titles: frozenset[str]) -> bool:
    """ "rival May Department Stores": a capitalised stop word (a month, a modal) inside a
    sentence that opens a run of two more capitalised words is the first word of a name,
    not a word to drop, when the page writes the run twice or the word as an owner
    ("May's chairman")."""
    first = part[0]
    if len(part) < 3 or not first.text[:1].isupper() or first.text.rstrip(".") in titles:
        return False
    before = text[max(0, first.start - 3) : first.start].rstrip()
    if not before or before[-1] in _SENTENCE_END:
        return False
    word = first.text
    return text.count(text[first.start : part[-1].end]) >= 2 or (
        f"{word}'s " in text or f"{word}’s " in text
    )


@lru_cache(maxsize=1 << 16)
def _strong_word(w: str) -> bool:
    """Inner capitals or hyphen-capitals ("SoftBank", "OpenAI", "T-Mobile"), not shouting."""
    return bool(_INNER_CAP.search(w)) and not (w.isupper() and len(w) > 6)


def _strong_shape(toks: list[_Tok]) -> bool:
    """Shapes that make a capitalised phrase a name even at the start of a sentence."""
    for t in toks:
        w = t.text
        if len(toks) > 1 and (w in _LEGAL or w in _ORG_HEADS or w in _FUND_HEADS):
            return True
        if _strong_word(w):
            return True
    return False


def _sequences(text: str) -> list:
    """Runs of capitalised tokens joined by single spaces or connector words.

    `_RUN_RE` finds the runs in C; most are one token and take the short way, coming
    back as a plain (start, end, word) tuple (no `_Tok` to build). Tokens are then
    trimmed (a final dot, an elided article, a possessive), which can split a run: the
    tokens of a longer run go through `_split_run` and come back as `_Tok` lists.
    """
    seqs: list = []
    n = len(text)
    for r in _RUN_RE.finditer(text):
        w = r.group()
        if " " in w or "\u00a0" in w:
            seqs.extend(_split_run(text, r.start(), r.end()))
            continue
        tok = _trim_token(text, *r.span(), w, n)
        if tok is not None:
            seqs.append(tok)
    return seqs


def _trim_token(text: str, s: int, e: int, w: str, n: int) -> tuple[int, int, str] | None:
    """(start, end, word) of a capitalised token without a final dot, an elided article
    or a possessive; None for a sentence-initial function word ("Le groupe") or an
    elision that leaves no name ("D'abord")."""
    if w in _SKIP_WORDS and e + 1 < n and text[e] == " " and text[e + 1].islower():
        return None
    glued = _GLUED_BREAK.search(w)
    if glued is not None and w not in GAZETTEER:
        w = w[: glued.end() - 1]  # "Mulot.Avec": the name ends at the lost sentence break
        e = s + len(w)
    if w[-1] == "." and w not in _LEGAL and w[:-1] not in ABBREVIATIONS and w not in GAZETTEER:
        w = w[:-1]
        e -= 1
    if w[1:2] in ("'", "’") and _ELISION_RE.match(w) and w not in GAZETTEER:
        w = w[2:]
        s += 2
        if not w[:1].isupper() and not _LOWER_CAMEL.match(w):
            return None
    if w[-2:] in ("'s", "’s") and w not in GAZETTEER:
        w = w[:-2]
        e -= 2
    return s, e, w


def _split_run(text: str, lo: int, hi: int) -> list[list[_Tok]]:
    """The token sequences of one run of `_RUN_RE` (see `_sequences`)."""
    seqs: list[list[_Tok]] = []
    cur: list[_Tok] = []
    prev_end = -10
    n = len(text)
    for m in _TOKEN_RE.finditer(text, lo, hi):
        tok = _trim_token(text, *m.span(), m.group(), n)
        if tok is None:
            continue
        s, e, w = tok
        if cur and (s - prev_end == 1 and text[prev_end] in " \u00a0"):
            cur.append(_Tok(s, e, w, " "))
            prev_end = e
            continue
        gap = text[prev_end:s] if cur and 0 < s - prev_end < 12 else None
        if gap is not None and _CONNECTOR_RE.fullmatch(gap):
            cur.append(_Tok(s, e, w, gap.strip() or " "))
        else:
            if cur:
                seqs.append(cur)
            cur = [_Tok(s, e, w, "")]
        prev_end = e
    if cur:
        seqs.append(cur)
    return seqs


_AND = ("and", "et", "y", "e", "und")


def _split_plain(run: list[_Tok]) -> list[list[_Tok]]:
    """Split a run at connector words unless it is an institution ("Bank of Africa",
    "Banque Africaine de l'Énergie"): the run's first or the connector's left token is a
    head noun. "&" always joins ("Brenner & Vogt"); "et"/"and" never do."""
    parts: list[list[_Tok]] = [[run[0]]]
    for tok in run[1:]:
        head = parts[-1][0].text in _INSTITUTION_HEADS or parts[-1][-1].text in _INSTITUTION_HEADS
        if tok.joiner in (" ", "&") or (tok.joiner not in _AND and head):
            parts[-1].append(tok)
        else:
            parts.append([tok])
    return parts


_LOWER = "a-zàâäçéèêëîïôöûùüÿœñãõíóúá"
_ADJ = (
    rf"[{_LOWER}-]{{2,}}(?:al|ale|ales|aux|ien|ienne|iens|iennes|éen|éenne|éens|éennes|ain|aine|"
    r"ains|aines|ais|aise|aises|ique|iques|aire|aires|el|elle|els|elles|if|ive|ifs|ives|ier|ière|"
    r"iers|ières|eur|rice|ois|oise|ano|ana|anos|anas|ico|ica|icos|icas|ário|ária|eiro|eira|ês|esa|"
    r"ense|enses|ional|ionale|ole|oles|ile|iles)"
)
_TAIL_PREP = {
    "fr": r"de\s+la\s+|de\s+l['’]\s*|des\s+|du\s+|de\s+|d['’]\s*",
    "es": r"de\s+la\s+|de\s+los\s+|de\s+las\s+|del\s+|de\s+",
    "pt": r"da\s+|do\s+|das\s+|dos\s+|de\s+",
    "en": r"of\s+the\s+|of\s+",
}
_ADJ_WORD = re.compile(_ADJ)
_TAIL_ADJ_RE = re.compile(rf"\s+({_ADJ})(?![\w-])")
_TAIL_PP_RE = {
    lang: re.compile(rf"\s+(?:{prep})([^\W\d_][\w-]{{2,}}|[{_UP}][\w-]*)(?![\w-])")
    for lang, prep in _TAIL_PREP.items()
}
_LOWER_HEAD_RE = re.compile(
    r"(?:ministère|gouvernement|autorité|ministerio|gobierno|ministério|governo|government|state)"
    r"(?=\s+(?:de|du|des|d['’]|del|do|da|of)\b|\s+[a-zé]+(?:ale|al|aux|ienne|ien|aire)\s+(?:de|du|des|d['’])\b)"
)


def _institution_tail(text: str, end: int, lex: Lexicon) -> int:
    """End of the lower-case tail of an institution name: "Autorité marocaine des marchés",
    "Conseil ivoirien des filières agricoles", "Office régional de l'électricité".

    Adjectives are recognised by their endings, a complement by a preposition and a noun
    that is not a function word; at most two complements ("Banque ouest-africaine de
    développement" but not "... de développement de la région de Dakar").
    """
    pp_re = _TAIL_PP_RE.get(lex.lang)
    if pp_re is None:
        return end
    pos = end
    if lex.lang == "en":
        m = pp_re.match(text, pos)
        return (
            m.end()
            if m and m.group(1)[:1].isupper() and m.group(1).casefold() not in lex.stop
            else end
        )
    for _ in range(3):
        m = _TAIL_ADJ_RE.match(text, pos)
        if m is None or m.group(1).casefold() in lex.stop:
            break
        pos = m.end()
    for _ in range(2):
        m = pp_re.match(text, pos)
        if m is None or m.group(1).casefold() in lex.stop:
            break
        pos = m.end()
        for _ in range(2):
            a = _TAIL_ADJ_RE.match(text, pos)
            if a is None or a.group(1).casefold() in lex.stop:
                break
            pos = a.end()
    return pos


def _classify(text: str, lex: Lexicon, cand: _Cand) -> str:
    """Kind of a capitalised phrase that the seed list does not know."""
    toks = cand.toks
    s, e = toks[0].start, toks[-1].end
    before = text[max(0, s - 45) : s]
    words = [t.text for t in toks]
    # The cue regexes end at `before`'s end, after at most two more words (org), one
    # (project) or none (person): they run only when a cue's last word is there.
    tail = _CUE_TOKEN.findall(before.lower())[-3:]
    if (
        lex.project_last is None or not lex.project_last.isdisjoint(tail[-2:])
    ) and lex.project_before_re.search(before):
        return "project"
    if lex.project_after_re.match(text, e):
        return "project"
    org_cue = (
        lex.org_before_re.search(before)
        if lex.org_last is None or not lex.org_last.isdisjoint(tail)
        else None
    )
    if org_cue:
        cue = org_cue.group().casefold()
        return "fund" if ("fonds" in cue or "fund" in cue) else "org"
    if words[-1] in _FUND_HEADS or words[0] in ("Fonds", "Fund", "Fondo", "Fundo"):
        return "fund"
    if not _LEGAL_OR_HEAD.isdisjoint(words):
        return "org"
    titlecase = all(w[:1].isupper() and not _INNER_CAP.search(w) for w in words)
    if cand.title_cue and len(words) <= 4:
        return "person"
    if titlecase and 2 <= len(words) <= 4:
        if words[0] in _FIRST_NAMES:
            return "person"
        if (
            (lex.person_last is None or (tail and tail[-1] in lex.person_last))
            and lex.person_before_re.search(before)
        ) or lex.person_after_re.match(text[e : e + 40]):
            return "person"
    return "org"


_Found = tuple[int, int, str, str, str, str]  # start, end, surface, kind, canonical, how


def _candidates(text: str, lex: Lexicon, skip, skip_starts, title_lines):
    """Names found by shape, seed list and institution heads, plus the deferred ones
    (sentence-initial words that only count if the page names them elsewhere)."""
    found: list[_Found] = []
    deferred: list[tuple[int, int, str, str]] = []
    seed_country: dict[str, str] = {}
    seed_sector: dict[str, str] = {}
    consumed = -1
    titles = lex.title_words
    lang = lex.lang
    for seq in _sequences(text):
        if type(seq) is tuple:
            ts, te, w = seq
            if te <= consumed:
                continue
            if w not in _BY_FIRST and w not in _INSTITUTION_HEADS:
                # Fast path for the commonest case: one capitalised word the seed list
                # does not know.
                if _token_kind_cached(lang, w) or (skip and _overlaps(skip, skip_starts, ts, te)):
                    continue
                if not _strong_word(w) and (
                    lex.nouns_capitalised or _is_initial(text, ts) or title_lines(ts)
                ):
                    deferred.append((ts, te, w, "initial"))
                    continue
                kind = _classify(text, lex, _Cand([_Tok(ts, te, w, "")], False, False))
                found.append((ts, te, w, kind, w, "name"))
                continue
            seq = [_Tok(ts, te, w, "")]
        elif seq[-1].end <= consumed:
            continue
        i = 0
        plain: list[_Tok] = []
        pieces: list[tuple[str, object]] = []
        while i < len(seq):
            tok = seq[i]
            w = tok.text
            hit = (
                _gazetteer_hit(text, tok)
                if w in _BY_FIRST or (w[-1] == "." and w[:-1] in _BY_FIRST)
                else None
            )
            if (
                hit is not None
                and hit[1].kind == "place"
                and " " not in hit[0]
                and (
                    (plain and tok.joiner == " ") or (i + 1 < len(seq) and seq[i + 1].joiner == " ")
                )
            ):
                hit = None  # "Gulf Horizon Partners", "Tanger Automotive City": part of a name
            if hit is None:
                plain.append(tok)
                i += 1
                continue
            if plain:
                pieces.append(("plain", plain))
                plain = []
            alias, entry = hit
            end = tok.start + len(alias)
            pieces.append(("seed", (tok.start, end, alias, entry)))
            while i < len(seq) and seq[i].start < end:
                i += 1
        if plain:
            pieces.append(("plain", plain))
        for what, piece in pieces:
            if what == "seed":
                s, e, alias, entry = piece  # type: ignore[misc]
                if entry.kind == "place" or (skip and _overlaps(skip, skip_starts, s, e)):
                    continue
                found.append(
                    (
                        s,
                        e,
                        alias,
                        entry.kind,
                        entry.canonical,
                        "name" if alias == entry.canonical else "alias",
                    )
                )
                if entry.country:
                    seed_country[entry.canonical] = entry.country
                if entry.sector:
                    seed_sector[entry.canonical] = entry.sector
                continue
            for part in _split_plain(piece):  # type: ignore[arg-type]
                if part[0].start < consumed:
                    continue
                title_cue = False
                while (
                    len(part) > 1
                    and part[0].text not in _INSTITUTION_HEADS
                    and _token_kind_cached(lang, part[0].text) == "stop"
                    and not _stop_word_name(text, part, titles)
                ):
                    title_cue = title_cue or part[0].text.rstrip(".") in titles
                    part = part[1:]
                if part[0].text in _INSTITUTION_HEADS:
                    end = _institution_tail(text, part[-1].end, lex)
                    if end > part[-1].end or (len(part) > 1 and part[1].joiner != " "):
                        s = part[0].start
                        if not (skip and _overlaps(skip, skip_starts, s, end)):
                            kind = "fund" if part[0].text in _FUND_HEADS else "org"
                            found.append((s, end, text[s:end], kind, text[s:end], "name"))
                        consumed = end
                        continue
                while (
                    part
                    and _token_kind_cached(lang, part[0].text) == "stop"
                    and not _stop_word_name(text, part, titles)
                ):
                    title_cue = title_cue or part[0].text.rstrip(".") in titles
                    part = part[1:]
                if not part:
                    continue
                cue_org = False
                for j in range(len(part) - 2, -1, -1):
                    # "Fintech Capivara Pay", "Zürcher Industriekonzern Alpentech"
                    w = part[j].text.casefold()
                    if part[j].text in _INSTITUTION_HEADS or part[j].text in _ORG_HEADS:
                        continue
                    if w in lex.descriptions or (
                        lex.org_suffix_nouns and w.endswith(lex.org_suffix_nouns)
                    ):
                        part, cue_org = part[j + 1 :], True
                        break
                if len(part) == 1 and _token_kind_cached(lang, part[0].text):
                    continue
                s, e = part[0].start, part[-1].end
                if skip and _overlaps(skip, skip_starts, s, e):
                    continue
                surface = text[s:e]
                if cue_org:
                    found.append((s, e, surface, "org", surface, "name"))
                    continue
                initial = _is_initial(text, s) or title_lines(s)
                strong = _strong_shape(part)
                if (
                    lex.nouns_capitalised
                    and len(part) > 1
                    and part[0]
                    .text.casefold()
                    .endswith(("bank", "kasse", "versicherung", "werke", "stiftung"))
                ):
                    strong = True  # "Förderbank Westfalia"
                if not strong and not title_cue and lex.nouns_capitalised:
                    deferred.append((s, e, surface, "noun"))  # German: every noun has a capital
                    continue
                if len(part) == 1 and not strong and not title_cue and initial:
                    deferred.append((s, e, surface, "initial"))
                    continue
                if (
                    initial
                    and not strong
                    and not title_cue
                    and part[0].text not in _FIRST_NAMES
                    and (len(part) < 2 or title_lines(s))
                ):
                    # "Grande Mosquée", "Bonne Nouvelle": only known elsewhere on the page.
                    deferred.append((s, e, surface, "initial"))
                    continue
                kind = _classify(text, lex, _Cand(part, initial, title_cue))
                found.append((s, e, surface, kind, surface, "name"))
    for m in _LOWER_HEAD_RE.finditer(text):
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] == "_"):
            continue
        end = _institution_tail(text, m.end(), lex)
        if end > m.end() and not (skip and _overlaps(skip, skip_starts, m.start(), end)):
            found = [f for f in found if not (f[0] < end and m.start() < f[1])]
            found.append(
                (m.start(), end, text[m.start() : end], "org", text[m.start() : end], "name")
            )
    return found, deferred, seed_country, seed_sector
