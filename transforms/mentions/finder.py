"""Organisations, people, projects and funds named in a page, and their entities.

Why rules and not a statistical NER: the pipeline runs on 10,000+ pages per batch, offline,
and must keep extraction within 2x of the figure extractor's time. A small French model
tags "SoftBank" as MISC and "Masayoshi Son" as a place on our seed page; a few cheap cues
do better on business news and never need a download:

- shape: capitalised runs ("Arm Holdings", "T-Mobile US"), inner capitals ("SoftBank",
  "OpenAI"), acronyms ("OCP"), legal suffixes ("SA", "Inc.", "Group", "Holdings");
- a curated seed list (mentions/data/seed_entities.txt), longest match first, that also
  holds places so "Afrique du Sud" or "Wall Street" never become organisations;
- context: "le groupe japonais X", "la société X", "X's chief executive" make X an
  organisation; "le projet X" a project; "dirigé par X Y", "PDG", "said", a known given
  name or "M."/"Mr" make "X Y" a person;
- sentence-initial capitals, months, days, countries and frequent capitalised words are
  not names unless the seed list, a strong shape, or another mention on the page says so;
- descriptions ("le conglomérat japonais", "L'entreprise", "the company") resolve to the
  most recent compatible organisation in the same or previous sentences (country and
  sector must agree where known); subjects win over objects of a preposition.

- governments the page does not name: "l'État", "le gouvernement", "the government",
  "der Bund" are the government of the page's country (its country names, else its
  nationality adjectives when they agree and describe places, not parties: "les côtes
  sénégalaises" but not "l'italien Marisub"); a capital as a subject ("Ottawa accorde",
  "Selon Bruxelles") is the government it stands for (mentions/data/governments.txt). A
  page that names no country gets no such mention.

Cue words live in languages/<lang>/mention_cues.txt (fr, en, es, pt, de), read once at import:
nothing here does I/O at call time.

`resolve_entities` merges mentions across pages by (kind, key), where the key drops
articles, accents, case and legal suffixes ("SoftBank Group Corp." and "le groupe
SoftBank" are "softbank"); `entity_id` is a stable hash of that pair, so the flow can
map a mention or a deal's actor to its `dim_entity` row without a lookup table.
"""

from __future__ import annotations

import json
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from transforms.contract.ids import stable_id

KINDS = ("org", "person", "project", "fund")
RESOLVED_FROM = ("name", "alias", "description", "pronoun")
LANGS = ("fr", "en", "es", "pt", "de")

_DATA = Path(__file__).with_name("data")
_LANG_DATA = Path(__file__).parents[1] / "languages"
_UP = "A-ZÀ-ÖØ-ÞŒ"


@dataclass(slots=True)
class Mention:
    """A span of the text that names (or describes) an organisation, person, project or fund.

    `canonical` is the entity's name as the seed list or the page gives it ("SoftBank" for
    "SoftBank Group Corp." or for "le conglomérat japonais"); `resolved_from` says how:
    "name" (the surface is the name), "alias" (another form of it), "description" (a noun
    phrase resolved on the page) or "pronoun".
    """

    surface: str
    start: int
    end: int
    kind: str
    canonical: str
    resolved_from: str = "name"

    @property
    def key(self) -> str:
        return canonical_key(self.canonical)


@dataclass(slots=True)
class Entity:
    """One row of `dim_entity`: a canonical name, a kind, and every surface seen for it."""

    entity_id: str
    name: str
    kind: str
    aliases: list[str] = field(default_factory=list)


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
    sec = parse_cues((_LANG_DATA / lang / "mention_cues.txt").read_text(encoding="utf-8"))
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


# --------------------------------------------------------------------------- keys and ids

_ARTICLES = re.compile(
    r"^(?:l['’]\s*|(?:le|la|les|the|el|los|o|a|der|die|das)\s+)?"
    r"(?:(?:groupe|group|société|company|firme|firm|grupo|konzern)\s+(?=\S+\s+\S))?",
    re.IGNORECASE,
)


def _fold(s: str) -> str:
    if s.isascii():
        return s.casefold()
    nfkd = unicodedata.normalize("NFKD", s)
    return "".join(c for c in nfkd if not unicodedata.combining(c)).casefold()


_POSSESSIVE_END = re.compile(r"['’]s$")
_KEY_SPLIT = re.compile(r"[\s,]+")
_KEY_PUNCT = re.compile(r"[.,;:!?\"“”«»()]")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1 << 16)
def canonical_key(name: str) -> str:
    """Cross-page key of a name: no articles, accents, case, punctuation or legal suffixes.

    "SoftBank Group Corp.", "le groupe SoftBank" and "SoftBank" all give "softbank";
    "Arm Holdings" gives "arm". A name made only of suffixes keeps them ("Holding").
    """
    s = _ARTICLES.sub("", name.strip())
    s = _POSSESSIVE_END.sub("", s)
    tokens = [t for t in _KEY_SPLIT.split(s) if t]
    while len(tokens) > 1 and tokens[-1].casefold().rstrip(".") in _LEGAL_CF:
        tokens.pop()
    if len(tokens) > 1 and tokens[0].casefold() in ("groupe", "group", "grupo"):
        tokens.pop(0)
    key = _KEY_PUNCT.sub("", _fold(" ".join(tokens)))
    return _SPACES.sub(" ", key).strip()


def entity_id(kind: str, name: str) -> str:
    """Stable `dim_entity` id of a (kind, name) pair: the same on every run and page."""
    return stable_id(kind, canonical_key(name))


_SEED_BY_KEY: dict[tuple[str, str], SeedEntry] = {}
for _entry in GAZETTEER.values():
    if _entry.kind != "place":
        _SEED_BY_KEY.setdefault((_entry.kind, canonical_key(_entry.canonical)), _entry)


def seed_entry(kind: str, name: str) -> SeedEntry | None:
    """The seed record of an entity, if the seed list knows it."""
    return _SEED_BY_KEY.get((kind, canonical_key(name)))


# --------------------------------------------------------------------------- sentences

# A line break, or ". " before a capital. The first character is outside any group so
# the regex engine can skip to the next candidate in C (3x faster than "\n+|[.!?…]...").
_BREAK_RE = re.compile(
    r"[\n.!?…](?:(?<=\n)\n*|(?<=[.!?…])[»”\"')\]]*[ \t\u00a0]+(?=[«\"“(\[]?\s?[" + _UP + r"0-9]))"
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
    return tuple(spans)


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
            return "coord", wf
        return "core", ""
    return None if limit < len(words) else ("core", "")


@lru_cache(maxsize=1 << 15)
def _skippable(lang: str, wf: str) -> bool:
    """Articles, description nouns and adjectives between a preposition and a name."""
    lex = LEXICONS[lang]
    return (wf in lex.skippable or bool(_ADJ_WORD.fullmatch(wf))) and wf not in lex.prepositions


# --------------------------------------------------------------------------- finder

# The commonest sentence-initial function words: dropped before any other work when a
# lower-case word follows ("Le groupe", "The company"); "Le Monde" still goes through.
_SKIP_WORDS = frozenset(
    [
        "Le",
        "La",
        "Les",
        "Un",
        "Une",
        "Des",
        "Ce",
        "Cette",
        "Ces",
        "Il",
        "Elle",
        "Ils",
        "Elles",
        "On",
        "Selon",
        "Pour",
        "Dans",
        "Depuis",
        "Après",
        "Avec",
        "En",
        "Au",
        "Aux",
        "Sur",
        "Par",
        "Mais",
        "Et",
        "De",
        "Du",
        "The",
        "A",
        "An",
        "In",
        "At",
        "For",
        "It",
        "Its",
        "This",
        "That",
        "These",
        "He",
        "She",
        "They",
        "We",
        "But",
        "And",
        "As",
        "El",
        "Los",
        "Las",
        "O",
        "Os",
        "Der",
        "Die",
        "Das",
        "Den",
        "Dem",
        "Ein",
        "Eine",
    ]
)
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
        or tok.rstrip(".") in lex.titles
    ):
        return "stop"
    entry = GAZETTEER.get(tok)
    if entry is not None and entry.kind == "place":
        return "place"
    if len(tok) < 2 or tok.isdigit():
        return "short"
    return None


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
                while part and _token_kind_cached(lang, part[0].text) == "stop":
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


# --------------------------------------------------------------------------- governments


def _load_governments():
    """mentions/data/governments.txt: country names, stand-in places, names per language."""
    names: dict[str, str] = {}  # country name -> ISO
    stand_ins: dict[str, str] = {}  # "Ottawa" -> "CA"
    by_lang: dict[str, dict[str, tuple[str, str]]] = {}  # lang -> ISO -> (government, state)
    section = None
    for ln in _data_lines("governments.txt"):
        if ln.startswith("[") and ln.endswith("]"):
            section = ln[1:-1]
            continue
        parts = [p.strip() for p in ln.split("|")]
        cc = parts[0]
        if section == "countries":
            for n in parts[1].split(";"):
                if n.strip():
                    names[n.strip()] = cc
            for n in parts[2].split(";") if len(parts) > 2 else ():
                if n.strip():
                    stand_ins[n.strip()] = cc
        elif section:
            gov_name = parts[1]
            state = parts[2] if len(parts) > 2 and parts[2] else gov_name
            by_lang.setdefault(section, {})[cc] = (gov_name, state)
    return names, stand_ins, by_lang


_COUNTRY_NAMES, _STAND_INS, _GOV_NAMES = _load_governments()
GOVERNMENT_NAMES = frozenset(n for t in _GOV_NAMES.values() for pair in t.values() for n in pair)


def _words_regex(words: Iterable[str]) -> re.Pattern[str]:
    """Case-sensitive finder for a list of names, a trie (see `_alternation`) that starts
    with a literal letter, so the regex engine skips in C to the next possible first
    letter; the caller checks the character before a match (`_word_start`)."""
    trie: dict[str, dict] = {}
    for w in set(words):
        node = trie
        for ch in w:
            node = node.setdefault(re.escape(ch) if ch != " " else r"[ \u00a0]", {})
        node[""] = {}
    return re.compile(rf"(?:{_emit_trie(trie)})(?![\w-])")


def _word_start(text: str, pos: int, before: str = "'’-") -> bool:
    """Whether `pos` starts a word: the character before it is no letter, digit or one
    of `before`."""
    if pos == 0:
        return True
    c = text[pos - 1]
    return not (c.isalnum() or c == "_" or c in before)


_COUNTRY_RE = _words_regex(_COUNTRY_NAMES)
_STAND_IN_RE = _words_regex(_STAND_INS)
_NATIONALITY_FORMS = {
    f: cc
    for form, cc in _NATIONALITY.items()
    if cc not in ("EU", "AF")  # a continent says nothing of a page's country
    for g in ((form, form + "s") if form.islower() and form[-1] not in "sx" else (form,))
    for f in (g, g.capitalize(), g.upper())
}
# behind a look-behind: nationality forms start with any letter, so the first-letter
# skip of `_words_regex` saves nothing and checking word starts first does
_NATIONALITY_RE = re.compile(r"(?<![\w-])" + _words_regex(_NATIONALITY_FORMS).pattern)
_ADJ_SLOT = r"(?P<adj>[^\W\d_][\w.-]*)"


def _government_res(lex: Lexicon) -> list[tuple[str, re.Pattern[str]]]:
    """("government" | "state", regex) for the [government] and [state] cue lines."""
    out = []
    for what in ("government", "state"):
        for p in lex.sections.get(what, []):
            body = p.replace("{adj}", _ADJ_SLOT)
            out.append((what, re.compile(rf"(?<![\w'’])(?:{body})(?![\w-])", re.IGNORECASE)))
    return out


_GOV_RES = {lang: _government_res(lex) for lang, lex in LEXICONS.items()}


def page_country(
    text: str, lex: Lexicon, mentions: Sequence[Mention], skip: Sequence[tuple[int, int]] = ()
) -> str | None:
    """The country a page is about, or None when it cannot be told.

    Country names win ("Japan's Kaito", "au Canada"), the most named first; without one,
    a nationality adjective, if all of them agree ("les côtes sénégalaises"). Names inside
    an organisation's name do not count, nor do adjectives that describe a party rather
    than a place: next to a name ("l'italien Marisub"), an organisation noun ("le
    laboratoire suisse", "Danish and Japanese investors") or a person's title.
    """
    spans = sorted(
        [(m.start, m.end) for m in mentions if m.resolved_from != "description"] + list(skip)
    )
    starts = [s for s, _ in spans]

    def inside(s: int, e: int) -> bool:
        return _overlaps(spans, starts, s, e)

    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for m in _COUNTRY_RE.finditer(text):
        if _word_start(text, m.start()) and not inside(m.start(), m.end()):
            cc = _COUNTRY_NAMES[m.group().replace("\u00a0", " ")]
            counts[cc] += 1
            first.setdefault(cc, m.start())
    if counts:
        return min(counts, key=lambda c: (-counts[c], first[c]))
    found: set[str] = set()
    party = lex.party_nouns
    for m in _NATIONALITY_RE.finditer(text):
        s, e = m.span()
        if not _word_start(text, s, "-") or inside(s, e):  # "l'italien" counts
            continue
        before = _CUE_TOKEN.findall(text, max(0, s - 30), s)
        prev = [
            w.casefold()
            for w in before
            if w.casefold() not in lex.skippable or w.casefold() in party
        ]
        if prev and prev[-1] in party:
            continue
        after = _NEXT_WORDS.match(text, e)
        nxt = after.group(1, 2, 3) if after else ()
        words = [w for w in nxt if w]
        # "Danish and Japanese investors": skip a coordinated adjective
        if len(words) >= 2 and words[0].casefold() in _AND and words[1] in _NATIONALITY_FORMS:
            words = words[2:]
        if any(w.casefold() in party for w in words[:2]) or (
            words and words[0][:1].isupper() and inside(e + 1, e + 1 + len(words[0]))
        ):
            continue
        found.add(_NATIONALITY_FORMS[m.group()])
    return next(iter(found)) if len(found) == 1 else None


_NEXT_WORDS = re.compile(
    r"[ \u00a0]+([\w'’.-]+)(?:[ \u00a0]+([\w'’.-]+))?(?:[ \u00a0]+([\w'’.-]+))?"
)


def _government_mentions(
    text: str, lex: Lexicon, mentions: list[Mention], skip, skip_starts, site_country=None
) -> list[Mention]:
    """Mentions of a government that the page does not name: stand-in places as subjects
    ("Québec apportera un prêt", "Selon Bruxelles") and government nouns ("l'État", "the
    government", "der Bund"), resolved to the page's country (see `page_country`), else
    to `site_country`: "Le gouvernement a adopté le budget" on a Senegalese site."""
    names = _GOV_NAMES.get(lex.lang)
    if not names:
        return []
    spans = sorted((m.start, m.end) for m in mentions)
    starts = [s for s, _ in spans]
    out: list[Mention] = []

    def free(s: int, e: int) -> bool:
        return not (spans and _overlaps(spans, starts, s, e)) and not (
            skip and _overlaps(skip, skip_starts, s, e)
        )

    for m in _STAND_IN_RE.finditer(text):
        s, e = m.span()
        name = names.get(_STAND_INS[m.group().replace("\u00a0", " ")])
        if name is None or not _word_start(text, s) or not free(s, e):
            continue
        if re.match(r"[ \u00a0]+[A-ZÀ-Ý]|-", text[e : e + 2]):
            continue  # "Paris Saint-Germain", "London-listed": part of a name
        floor = max(text.rfind("\n", 0, s), text.rfind(". ", 0, s)) + 1
        if mention_role(text, s, lex, floor) == "oblique":
            continue  # "au Québec", "in Tokyo": a place
        out.append(Mention(m.group(), s, e, "org", name[0], "alias"))
    hits = []
    if any(v in text for v in lex.government_words):
        for what, rx in _GOV_RES.get(lex.lang, ()):
            for m in rx.finditer(text):
                if free(*m.span()):
                    hits.append((m, what))
    if hits:
        country = None
        for m, what in sorted(hits, key=lambda h: h[0].start()):
            adj = m.groupdict().get("adj")
            cc = _NATIONALITY_FORMS.get(adj) if adj else None
            end = m.end()
            if cc is None:
                if adj and adj.casefold() not in lex.adjectives and adj.casefold() not in _GOV_ADJ:
                    if m.end("adj") != m.end():
                        continue  # "the Modi government": some other government
                    end = m.start("adj") - 1  # "L'État apportera": not an adjective
                if country is None:
                    country = page_country(text, lex, mentions, skip) or site_country or ""
                cc = country
            name = names.get(cc or "")
            if name is None:
                continue
            canon = name[0] if what == "government" else name[1]
            surface = text[m.start() : end].rstrip()
            out.append(
                Mention(surface, m.start(), m.start() + len(surface), "org", canon, "description")
            )
    return out


# adjectives that do not change which government is meant
_GOV_ADJ = frozenset(
    {
        "federal",
        "fédéral",
        "central",
        "national",
        "new",
        "nouveau",
        "current",
        "actuel",
        "nuevo",
        "novo",
        "neue",
        "neuen",
        "conservative",
        "socialist",
    }
)


def find_mentions(
    text: str,
    lang: str,
    *,
    spans_to_skip: Iterable[tuple[int, int]] = (),
    country: str | None = None,
) -> list[Mention]:
    """Mentions of organisations, people, projects and funds in `text`, in text order.

    `spans_to_skip` are (start, end) spans that cannot hold a name (money figures, page
    furniture): a candidate overlapping one is dropped. Offsets index `text` in code points.
    `country` (ISO 3166 alpha-2) is the site's: "le gouvernement" of a page that names no
    country is that country's (a national site writes about its own government).
    """
    lex = lexicon(lang)
    skip = sorted(spans_to_skip)
    skip_starts = [s for s, _ in skip]
    title_lines = _TitleLines(text)
    found, deferred, seed_country, sector = _candidates(text, lex, skip, skip_starts, title_lines)
    if _LOWER_RE is not None:
        for m in _LOWER_RE.finditer(text):
            if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "-_"):
                continue
            entry = GAZETTEER[m.group()]
            if not (skip and _overlaps(skip, skip_starts, m.start(), m.end())):
                found.append(
                    (
                        m.start(),
                        m.end(),
                        m.group(),
                        entry.kind,
                        entry.canonical,
                        "name" if m.group() == entry.canonical else "alias",
                    )
                )

    # Page-level aliases: "Altman" after "Sam Altman", "Arm" after "Arm Holdings".
    by_key: dict[str, tuple[str, str]] = {}
    last_names: dict[str, tuple[str, str] | None] = {}
    heads: dict[str, tuple[str, str] | None] = {}
    for _s, _e, surface, kind, canon, _how in found:
        by_key.setdefault(canonical_key(canon), (kind, canon))
        by_key.setdefault(canonical_key(surface), (kind, canon))
        toks = surface.split()
        ck = canonical_key(canon)
        if kind == "person" and len(toks) >= 2:
            prev = last_names.get(toks[-1], (kind, canon))
            same = prev is not None and canonical_key(prev[1]) == ck
            last_names[toks[-1]] = (
                (prev if same else None) if toks[-1] in last_names else (kind, canon)
            )
        if kind in ("org", "fund") and len(toks) >= 2 and not _token_kind_words(lex, toks[0]):
            for n in range(1, len(toks)):
                prefix = " ".join(toks[:n])
                # Two names that start alike ("Albion Grocers", "Albion Direct"): the first
                # named on the page, usually the story's subject, keeps the short form.
                heads.setdefault(prefix, (kind, canon))

    def page_alias(surface: str) -> tuple[str, str] | None:
        hit = by_key.get(canonical_key(surface))
        if hit is not None and hit[1] != surface:
            return hit
        longer = heads.get(surface) or (last_names.get(surface) if " " not in surface else None)
        return longer or hit

    mentions: list[Mention] = []
    for s, e, surface, kind, canon, how in found:
        seed = seed_entry(kind, canon) if how == "name" and canon == surface else None
        if seed is not None and seed.canonical != surface:
            canon, how = seed.canonical, "alias"
        elif how == "name" and canon == surface and seed is None:
            hit = page_alias(surface)
            if hit is not None and hit[1] != surface:
                kind, canon, how = hit[0], hit[1], "alias"
        mentions.append(Mention(surface, s, e, kind, canon, how))
    for s, e, surface, _why in deferred:
        hit = page_alias(surface)
        if hit is not None:
            mentions.append(
                Mention(surface, s, e, hit[0], hit[1], "name" if hit[1] == surface else "alias")
            )
    mentions.sort(key=lambda m: (m.start, -m.end))
    mentions = _drop_nested(mentions)
    _one_name_per_key(mentions)
    gov = _government_mentions(text, lex, mentions, skip, skip_starts, country)
    if gov:
        mentions = sorted(mentions + gov, key=lambda m: (m.start, -m.end))
    mentions += _descriptions(text, lex, mentions, seed_country, sector, skip, skip_starts)
    mentions.sort(key=lambda m: (m.start, -m.end))
    return mentions


def _one_name_per_key(mentions: list[Mention]) -> None:
    """One canonical name per entity on a page: the seed's, else the most used form
    (ties: the shorter), so "Maple Ridge Energy" and "Maple Ridge Energy Corp." agree."""
    keys = [canonical_key(m.canonical) for m in mentions]
    # A name the page also gives a more specific kind by a cue ("le champ Grand Large" is a
    # project, so the bare "Grand Large" of the title is too) takes that kind.
    kinds: dict[str, set[str]] = {}
    for m, key in zip(mentions, keys, strict=True):
        ks = kinds.get(key)
        if ks is None:
            kinds[key] = {m.kind}
        else:
            ks.add(m.kind)
    groups: dict[tuple[str, str], list[Mention]] = {}
    for m, key in zip(mentions, keys, strict=True):
        ks = kinds[key]
        if m.kind == "org" and len(ks) > 1 and not _SEED_BY_KEY.get(("org", key)):
            m.kind = next(k for k in ("project", "fund", "person") if k in ks)
        g = groups.get((m.kind, key))
        if g is None:
            groups[(m.kind, key)] = [m]
        else:
            g.append(m)
    for (kind, key), ms in groups.items():
        seed = _SEED_BY_KEY.get((kind, key))
        if seed is not None:
            name = seed.canonical
        elif len(ms) == 1:
            continue  # one mention: its own name already
        else:
            counts = Counter(m.canonical for m in ms)
            if len(counts) == 1:
                continue
            name = min(counts, key=lambda n: (-counts[n], len(n), n))
        for m in ms:
            if m.canonical != name:
                m.canonical = name
                if m.resolved_from in ("name", "alias"):
                    m.resolved_from = "name" if m.surface == name else "alias"


def _drop_nested(mentions: list[Mention]) -> list[Mention]:
    out: list[Mention] = []
    for m in mentions:
        if out and m.start < out[-1].end:
            continue
        out.append(m)
    return out


_SECTOR_WORDS = {
    "bank": ("Bank", "Banque", "Banco", "Crédit", "Credit", "bank"),
    "insurance": ("Assurance", "Assurances", "Insurance", "Seguros"),
    "airline": ("Airlines", "Airways", "Air"),
    "telecom": ("Telecom", "Télécom", "Telecoms", "Mobile"),
    "energy": ("Energy", "Énergie", "Power", "Electric", "Oil", "Gas", "Petroleum"),
}


_PUBLIC_SECTORS = frozenset({"government", "multilateral", "regulator", "central_bank"})


@lru_cache(maxsize=1 << 14)
def is_public(name: str) -> bool:
    """Whether a name is a public body (ministry, regulator, state, parliament)."""
    if name in GOVERNMENT_NAMES:
        return True
    entry = _SEED_BY_KEY.get(("org", canonical_key(name)))
    if entry is not None:
        return entry.sector in _PUBLIC_SECTORS
    first = name.split()[0] if name.split() else ""
    return first in _PUBLIC_HEADS


@lru_cache(maxsize=1 << 14)
def has_org_shape(name: str) -> bool:
    """Whether a name looks like an organisation by itself: seed-listed, a legal suffix,
    a head noun ("Bank", "Holdings", "Energie"), or inner capitals ("SoftBank")."""
    toks = name.split()
    if any(_SEED_BY_KEY.get((k, canonical_key(name))) for k in ("org", "fund")):
        return True
    return any(
        t in _LEGAL
        or t in _ORG_HEADS
        or t in _FUND_HEADS
        or t in _INSTITUTION_HEADS
        or _INNER_CAP.search(t)
        or t.casefold().endswith(_COMPOUND_HEADS)
        for t in toks
    )


# German compound heads: "Förderbank", "Stadtwerke", "Sparkasse".
_COMPOUND_HEADS = ("bank", "kasse", "versicherung", "werke", "holding", "konzern")


def _compatible(m: Mention, want: str, adj_country: str | None, country, sector) -> bool:
    if m.canonical in GOVERNMENT_NAMES:
        return False  # "la plateforme", "l'agence" never refer to "l'État"
    if want == "project":
        return m.kind == "project"
    if want == "fund":
        if m.kind != "fund" and sector.get(m.canonical) not in ("fund", "finance"):
            return False
    elif m.kind != "org":
        return False
    elif want == "org" and is_public(m.canonical):
        return False  # "le groupe", "l'entreprise" are never a ministry or a regulator
    if adj_country:
        known = country.get(m.canonical)
        if known is not None and known != adj_country:
            return False
    if want not in ("org", "fund", "project"):
        known = sector.get(m.canonical)
        if known is not None:
            return known == want or (want == "bank" and known == "central_bank")
        words = _SECTOR_WORDS.get(want)
        if words and not any(w in m.canonical.split() for w in words):
            return False
    return True


_GENERIC_NOUNS = frozenset(
    {
        "groupe",
        "société",
        "entreprise",
        "firme",
        "compagnie",
        "company",
        "group",
        "firm",
        "empresa",
        "grupo",
        "compañía",
        "companhia",
        "unternehmen",
        "konzern",
        "firma",
        "gruppe",
        "business",
    }
)


def _descriptions(text, lex, mentions, country, sector, skip, skip_starts) -> list[Mention]:
    """Resolve "le conglomérat japonais", "L'entreprise", "the company" on the page.

    A description right before a name ("le groupe japonais SoftBank") is a cue, not a
    reference: it teaches the page that SoftBank is Japanese. A free-standing one refers
    to the most recent compatible organisation, looking back sentence by sentence (at
    most three): within a sentence a subject beats the object of a preposition.
    """
    if not mentions:
        return []
    country = dict(country)
    sector = dict(sector)
    starts = [m.start for m in mentions]
    matches = list(lex.description_re.finditer(text))
    if not matches:
        return []
    out: list[Mention] = []
    spans: list[tuple[int, int]] | None = None
    # Pass 1: cues teach attributes.
    free = []
    for m in matches:
        i = bisect_left(starts, m.end())
        nxt = mentions[i] if i < len(mentions) else None
        noun = _norm_noun(m.group("noun"))
        want = lex.descriptions.get(noun, "org")
        adj_country = None
        adj = m.group("adj")
        if adj:
            for a in adj.split():
                adj_country = adj_country or _NATIONALITY.get(a.casefold())
        prv = mentions[i - 1] if i > 0 else None
        if prv is not None and prv.end > m.start():
            continue  # "l'Office régional ...": the description is part of a name
        if (
            nxt is not None
            and 0 <= nxt.start - m.end() <= 2
            and text[m.end() : nxt.start].strip(" ,") == ""
        ):
            if adj_country:
                country.setdefault(nxt.canonical, adj_country)
            if want not in ("org", "fund", "project"):
                sector.setdefault(nxt.canonical, want)
            continue
        if not adj_country and _GENERIC_AFTER.match(text, m.end()):
            continue  # "la société de gestion", "le groupe de travail": not a reference
        if skip and _overlaps(skip, skip_starts, m.start(), m.end()):
            continue
        free.append((m, want, adj_country))
    if not free:
        return out
    spans = sentence_spans(text)
    sent_starts = [s for s, _ in spans]
    resolved: list[Mention] = []
    cue_nouns: dict[int, str | None] = {}

    def cue_noun(x: Mention) -> str | None:
        if x.start not in cue_nouns:
            c = lex.cue_noun_re.search(text, max(0, x.start - 40), x.start)
            cue_nouns[x.start] = re.sub(r"\s+", " ", c.group("noun").casefold()) if c else None
        return cue_nouns[x.start]

    for m, want, adj_country in free:
        si = bisect_right(sent_starts, m.start()) - 1
        noun = _norm_noun(m.group("noun"))
        best = None
        if noun not in _GENERIC_NOUNS:
            # "la filiale" is the company the page introduced as "sa filiale X".
            lo = spans[max(0, si - 3)][0]
            named = [
                x for x in _mentions_between(mentions, starts, lo, m.start()) if cue_noun(x) == noun
            ]
            if named:
                best = named[-1]
        if best is None:
            best = _antecedent(
                text,
                lex,
                mentions,
                starts,
                resolved,
                spans,
                sent_starts,
                si,
                m.start(),
                lambda x, w=want, a=adj_country: _compatible(x, w, a, country, sector),
            )
        if best is None:
            continue
        d = Mention(m.group(), m.start(), m.end(), best.kind, best.canonical, "description")
        resolved.append(d)
        out.append(d)
    return out


_GENERIC_AFTER = re.compile(r"\s*(?:de\b|d['’]|du\b|des\b|of\b|que\b|qui\b)", re.IGNORECASE)


def _norm_noun(noun: str) -> str:
    noun = noun.casefold()
    return _SPACES.sub(" ", noun) if " " in noun or "\u00a0" in noun or "\t" in noun else noun


def _antecedent(text, lex, mentions, starts, resolved, spans, sent_starts, si, pos, ok):
    """Most recent compatible name before `pos`, sentence by sentence (at most four):
    in the nearest sentence that has one, a subject (or a resolved description) wins."""
    floor = spans[max(0, si - 3)][0]
    i = bisect_left(starts, pos) - 1
    r = len(resolved) - 1
    cur_sent = None
    cands: list[Mention] = []
    while True:
        x = None
        if i >= 0 and (r < 0 or mentions[i].start >= resolved[r].start):
            x, i = mentions[i], i - 1
        elif r >= 0:
            x, r = resolved[r], r - 1
        if x is None or x.start < floor:
            break
        if x.end > pos or not ok(x):
            continue
        xs = bisect_right(sent_starts, x.start) - 1
        if cur_sent is not None and xs != cur_sent and cands:
            break
        cur_sent = xs
        cands.append(x)
    if not cands:
        return None
    s0 = spans[cur_sent][0]
    for x in cands:  # nearest first
        if x.resolved_from == "description" or mention_role(text, x.start, lex, s0) == "core":
            return x
    return cands[0]


def _mentions_between(mentions, starts, lo, hi):
    i = bisect_left(starts, lo)
    while i < len(mentions) and mentions[i].start < hi:
        yield mentions[i]
        i += 1


# --------------------------------------------------------------------------- entities


def resolve_entities(
    mentions_by_doc: Mapping[str, Sequence[Mention]] | Iterable[Sequence[Mention]],
) -> list[Entity]:
    """Merge mentions across pages into `dim_entity` rows.

    Mentions of one kind with the same `canonical_key` are one entity. The name is the
    seed list's canonical name when it knows the entity, else the most frequent canonical
    form on the pages (ties: the shorter). Aliases are the distinct surfaces that name
    the entity (descriptions such as "le conglomérat japonais" are not aliases).
    """
    groups = mentions_by_doc.values() if isinstance(mentions_by_doc, Mapping) else mentions_by_doc
    names: dict[tuple[str, str], Counter[str]] = {}
    aliases: dict[tuple[str, str], set[str]] = {}
    for mentions in groups:
        for m in mentions:
            k = (m.kind, canonical_key(m.canonical))
            if not k[1]:
                continue
            names.setdefault(k, Counter())[m.canonical] += 1
            al = aliases.setdefault(k, set())
            al.add(m.canonical)
            if m.resolved_from in ("name", "alias"):
                al.add(m.surface)
    out = []
    for (kind, key), counts in names.items():
        seed = _SEED_BY_KEY.get((kind, key))
        if seed is not None:
            name = seed.canonical
        else:
            name = min(counts, key=lambda n: (-counts[n], len(n), n))
        out.append(Entity(stable_id(kind, key), name, kind, sorted(aliases[(kind, key)] | {name})))
    out.sort(key=lambda e: (e.kind, e.name))
    return out
