"""The mention finder's data, read once at import: kinds, seed list, places, given names,
nationalities, and each language's cue words compiled into a `Lexicon`.

Everything that `candidates`, `context`, `governments` and `descriptions` look up comes
from here, so the rules stay code and the words stay data (transforms/mentions/data/ and
transforms/languages/<lang>/mention_cues.txt). Nothing does I/O at call time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from transforms import languages

KINDS = ("org", "person", "project", "fund")
RESOLVED_FROM = ("name", "alias", "description", "pronoun")
# Languages with mention cue words (transforms/languages/<lang>/mention_cues.txt); any
# other language reads the English cues (see `lexicon`).
LANGS = languages.having("mention_cues.txt")

_DATA = Path(__file__).with_name("data")
_UP = "A-ZÀ-ÖØ-ÞŒ"


@dataclass(frozen=True, slots=True)
class SeedEntry:
    """A seed-list (or place-list) record; kind "place" blocks a span from being a name."""

    canonical: str
    kind: str
    country: str | None
    sector: str | None


# --------------------------------------------------------------------------- data


def _data_lines(name: str) -> list[str]:
    lines = (_DATA / name).read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


_COMMON = json.loads((_DATA / "common.json").read_text(encoding="utf-8"))
_LEGAL = frozenset(_COMMON["legal_suffixes"])
_LEGAL_CF = frozenset(s.casefold().rstrip(".") for s in _COMMON["legal_suffixes"])
_ORG_HEADS = frozenset(_COMMON["org_heads"])
_FUND_HEADS = frozenset(_COMMON["fund_heads"])
_LEGAL_OR_HEAD = _LEGAL | _ORG_HEADS
_INSTITUTION_HEADS = frozenset(_COMMON["institution_heads"])
_ACRONYM_STOP = frozenset(_COMMON["acronym_stop"])
_PUBLIC_HEADS = frozenset(_COMMON["public_heads"])
ABBREVIATIONS = frozenset(_COMMON["abbreviations"])

_FIRST_NAMES = frozenset(w for ln in _data_lines("first_names.txt") for w in ln.split())

_NATIONALITY: dict[str, str] = {}
for _ln in _data_lines("nationalities.txt"):
    _cc, _, _forms = _ln.partition("|")
    for _f in _forms.split(";"):
        if _f.strip():
            _NATIONALITY[_f.strip().casefold()] = _cc.strip()


def _load_gazetteer() -> dict[str, SeedEntry]:
    """Alias surface -> entry, for the seed list and the place list."""
    out: dict[str, SeedEntry] = {}
    for ln in _data_lines("places.txt"):
        out.setdefault(ln, SeedEntry(ln, "place", None, None))
    for ln in _data_lines("seed_entities.txt"):
        parts = [p.strip() for p in ln.split("|")]
        parts += [""] * (5 - len(parts))
        name, kind, country, sector, aliases = parts[:5]
        entry = SeedEntry(name, kind or "org", country or None, sector or None)
        for alias in [name, *(a.strip() for a in aliases.split(";"))]:
            if alias:
                out[alias] = entry  # the seed list overrides a place of the same name
    return out


GAZETTEER: dict[str, SeedEntry] = _load_gazetteer()
# First whitespace token of each alias -> aliases starting with it, longest first.
_BY_FIRST: dict[str, list[str]] = {}
for _alias in sorted(GAZETTEER, key=len, reverse=True):
    _BY_FIRST.setdefault(_alias.split(" ")[0], []).append(_alias)
# Seed names that start in lower case ("inwi", "xAI") need their own finder.
_LOWER_ALIASES = sorted((a for a in GAZETTEER if a[:1].islower()), key=len, reverse=True)
_LOWER_RE = (
    re.compile(r"(?:" + "|".join(re.escape(a) for a in _LOWER_ALIASES) + r")(?![\w-])")
    if _LOWER_ALIASES
    else None
)


def parse_cues(text: str) -> dict[str, list[str]]:
    """Parse a languages/<lang>/mention_cues.txt file: `[section]` headers, one entry a line, # comments."""
    sections: dict[str, list[str]] = {}
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
            sections.setdefault(current, [])
        elif current is not None:
            sections[current].append(line)
    return sections


_WORD_SECTIONS = (
    "stop",
    "titles",
    "determiners",
    "adjectives",
    "prepositions",
    "possessives",
    "org_suffix_nouns",
)


def _alternation(phrases: Iterable[str]) -> str:
    r"""A case-insensitive alternation of literal phrases (a space matches any run of
    spaces), written as a character trie: "groupe|géant|gisement" is "g(?:roupe|éant|
    isement)", so the regex engine tests each character once instead of once per
    phrase. Along one path a longer phrase is tried first, as in a longest-first
    alternation: the same matches, several times faster on large word lists."""
    trie: dict[str, dict] = {}
    for p in {p.lower() for p in phrases if p}:
        node = trie
        for ch in p:
            node = node.setdefault(r"\s+" if ch == " " else re.escape(ch), {})
        node[""] = {}
    return _emit_trie(trie)


def _emit_trie(node: dict[str, dict]) -> str:
    alts = [sym + _emit_trie(child) for sym, child in sorted(node.items()) if sym]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    return f"(?:{body})?" if "" in node else body


@dataclass(slots=True)
class Lexicon:
    """The cue words of one language, compiled once (see languages/<lang>/mention_cues.txt)."""

    lang: str
    sections: dict[str, list[str]]
    stop: frozenset[str]
    titles: frozenset[str]
    adjectives: frozenset[str]
    prepositions: frozenset[str]
    coordinators: tuple[str, ...]
    sources: tuple[str, ...]
    possessives: frozenset[str]
    passive: frozenset[str]
    descriptions: dict[str, str]
    skippable: frozenset[str]
    nouns_capitalised: bool
    org_suffix_nouns: tuple[str, ...]
    description_re: re.Pattern[str]
    cue_noun_re: re.Pattern[str]
    person_before_re: re.Pattern[str]
    person_after_re: re.Pattern[str]
    org_before_re: re.Pattern[str]
    project_before_re: re.Pattern[str]
    project_after_re: re.Pattern[str]
    # the last word of every cue of the three *_before regexes: a cheap test that tells
    # when the regex cannot match (None: some cue does not end in a word)
    party_nouns: frozenset[str] = frozenset()
    subject_after_verb: bool = False
    title_words: frozenset[str] = frozenset()
    government_words: tuple[str, ...] = ()
    person_last: frozenset[str] | None = None
    org_last: frozenset[str] | None = None
    project_last: frozenset[str] | None = None


_CUE_TOKEN = re.compile(r"[\w-]+")


def _last_words(phrases: Iterable[str]) -> frozenset[str] | None:
    out = set()
    for p in phrases:
        toks = _CUE_TOKEN.findall(p)
        if not toks or not re.search(r"[\w-]$", p.strip()):
            return None
        out.add(toks[-1].lower())
    return frozenset(out)


def _build_lexicon(lang: str) -> Lexicon:
    sec = parse_cues(languages.read_text(lang, "mention_cues.txt"))
    words = {name: [w for ln in sec.get(name, []) for w in ln.split()] for name in _WORD_SECTIONS}
    settings = dict(
        (k.strip(), v.strip()) for k, _, v in (ln.partition("=") for ln in sec.get("settings", []))
    )
    descriptions = {}
    for ln in sec.get("descriptions", []):
        noun, _, sector = ln.partition("=")
        descriptions[noun.strip().casefold()] = sector.strip() or "org"
    adjectives = frozenset(w.casefold() for w in words["adjectives"]) | frozenset(_NATIONALITY)
    dets = words["determiners"]
    noun_re = _alternation(descriptions)
    adj_re = _alternation(adjectives)
    # The determiner's first letter is matched outside any group, case by case, so the
    # regex engine can skip to the next possible letter in C ("le", "la", "ce", "the").
    firsts: dict[str, list[str]] = {}
    for d in dets:
        rest = re.escape(d[1:]) + (r"\s*" if d.endswith(("'", "’")) else r"\s+")
        firsts.setdefault(d[0].lower(), []).append(rest)
    first_set = "".join(sorted({c for f in firsts for c in (f, f.upper())}))
    det_re = "|".join(
        f"(?<=[{re.escape(f + f.upper())}])(?:{'|'.join(rs)})" for f, rs in firsts.items()
    )
    det_re = rf"[{re.escape(first_set)}](?<![\w'’].)(?i:(?:{det_re})"
    if settings.get("adjective_order") == "before":
        desc = rf"{det_re}(?P<adj>(?:(?:{adj_re})\s+){{0,2}})(?P<noun>{noun_re})(?![\w-]))"
        cue_noun = rf"(?<![\w'’])(?:(?:{adj_re})\s+){{0,2}}(?P<noun>{noun_re})\s*,?\s*$"
    else:
        desc = rf"{det_re}(?P<noun>{noun_re})(?P<adj>(?:\s+(?:{adj_re})){{0,2}})(?![\w-]))"
        cue_noun = rf"(?<![\w'’])(?P<noun>{noun_re})(?:\s+(?:{adj_re})){{0,2}}\s*,?\s*$"
    cue_end = r"[\s,:]*$"
    skippable = (
        frozenset(w.casefold() for w in dets)
        | frozenset(w.casefold() for w in words["possessives"])
        | frozenset(d for n in descriptions for d in n.split())
        | adjectives
        | frozenset(w.casefold().rstrip(".") for w in words["titles"])
        | {
            "le",
            "la",
            "les",
            "l'",
            "l’",
            "un",
            "une",
            "the",
            "a",
            "an",
            "el",
            "los",
            "las",
            "o",
            "os",
            "as",
            "der",
            "die",
            "das",
            "den",
            "dem",
        }
    )
    return Lexicon(
        lang=lang,
        sections=sec,
        stop=frozenset(w.casefold() for w in words["stop"]),
        titles=frozenset(words["titles"]),
        adjectives=adjectives,
        prepositions=frozenset(w.casefold() for w in words["prepositions"]),
        coordinators=tuple(c.casefold() for c in sec.get("coordinators", [])),
        sources=tuple(s.casefold() for s in sec.get("sources", [])),
        possessives=frozenset(w.casefold() for w in words["possessives"]),
        passive=frozenset(w.casefold() for ln in sec.get("passive", []) for w in ln.split()),
        descriptions=descriptions,
        skippable=skippable,
        nouns_capitalised=settings.get("nouns_capitalised") == "yes",
        org_suffix_nouns=tuple(w.casefold() for w in words["org_suffix_nouns"]),
        description_re=re.compile(desc),
        cue_noun_re=re.compile(cue_noun, re.IGNORECASE),
        person_before_re=re.compile(
            rf"(?<![\w])(?:{_alternation(sec.get('person_before', []))}){cue_end}", re.IGNORECASE
        ),
        person_after_re=re.compile(
            rf"^(?:{_alternation(p.strip() for p in sec.get('person_after', []))})(?![\w])",
            re.IGNORECASE,
        ),
        org_before_re=re.compile(
            rf"(?<![\w])(?:{_alternation(sec.get('org_before', []))})(?:\s+[\w-]+){{0,2}}{cue_end}",
            re.IGNORECASE,
        ),
        project_before_re=re.compile(
            # no comma: "Sur le plan opérationnel, X" is an idiom, not a project cue
            rf"(?<![\w])(?:{_alternation(sec.get('project_before', []))})(?:\s+[a-zà-ÿ-]+)?[\s:]*$",
            re.IGNORECASE,
        ),
        project_after_re=re.compile(
            rf"\s+(?:{'|'.join(sec.get('project_after', [])) or '(?!x)x'})(?![\w])", re.IGNORECASE
        ),
        party_nouns=frozenset(
            f
            for n in list(descriptions)
            + [w for ln in sec.get("party_nouns", []) for w in ln.split()]
            for f in (n.casefold(), n.casefold() + "s", n.casefold() + "x", n.casefold() + "es")
        ),
        title_words=frozenset(t.rstrip(".") for t in words["titles"]),
        subject_after_verb=settings.get("subject_after_verb") == "yes",
        government_words=tuple(  # as written, capitalised and in capitals: `in` is fast
            v
            for ln in sec.get("government_words", [])
            for w in ln.split()
            for v in (w, w.capitalize(), w.upper())
        ),
        person_last=_last_words(sec.get("person_before", [])),
        org_last=_last_words(sec.get("org_before", [])),
        project_last=_last_words(sec.get("project_before", [])),
    )


LEXICONS: dict[str, Lexicon] = {lang: _build_lexicon(lang) for lang in LANGS}


def lexicon(lang: str) -> Lexicon:
    """The cue words for `lang`, English for a language we have no cues for."""
    return LEXICONS.get((lang or "en")[:2].lower(), LEXICONS["en"])
