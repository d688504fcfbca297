"""Mention and Entity records, and the keys that merge them across pages.

`canonical_key` drops articles, accents, case and legal suffixes ("SoftBank Group
Corp." and "le groupe SoftBank" are "softbank"); `entity_id` hashes (kind, key), so a
mention or a deal's actor maps to its `dim_entity` row without a lookup table.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from transforms.contract.ids import stable_id
from transforms.mentions.countries import government_key
from transforms.mentions.lexicon import _LEGAL_CF, GAZETTEER, SeedEntry


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


def entity_key(name: str) -> str:
    """The key entities merge on: every name of one government ("Gouvernement français",
    "État français") gives its country's key ("government fr"), so a government is one
    entity; any other name its `canonical_key`."""
    return government_key(name) or canonical_key(name)


def entity_id(kind: str, name: str) -> str:
    """Stable `dim_entity` id of a (kind, name) pair: the same on every run and page."""
    return stable_id(kind, entity_key(name))


_SEED_BY_KEY: dict[tuple[str, str], SeedEntry] = {}
for _entry in GAZETTEER.values():
    if _entry.kind != "place":
        _SEED_BY_KEY.setdefault((_entry.kind, canonical_key(_entry.canonical)), _entry)


def seed_entry(kind: str, name: str) -> SeedEntry | None:
    """The seed record of an entity, if the seed list knows it."""
    return _SEED_BY_KEY.get((kind, canonical_key(name)))
