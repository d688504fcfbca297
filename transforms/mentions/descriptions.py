"""Descriptions resolved on the page: "le conglomerat japonais", "L'entreprise", "the
company" become the most recent compatible organisation (country and sector agree).

Also the public/organisation shape tests (`is_public`, `has_org_shape`) that deals use
to choose between an actor and a government.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

from transforms import languages
from transforms.mentions.candidates import _INNER_CAP, _overlaps
from transforms.mentions.context import mention_role, sentence_spans
from transforms.mentions.governments import GOVERNMENT_NAMES
from transforms.mentions.lexicon import (
    _FUND_HEADS,
    _INSTITUTION_HEADS,
    _LEGAL,
    _NATIONALITY,
    _ORG_HEADS,
    _PUBLIC_HEADS,
)
from transforms.mentions.records import _SEED_BY_KEY, _SPACES, Mention, canonical_key

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


# Description heads that fit any organisation (languages/<lang>/words.toml).
_GENERIC_NOUNS = languages.word_set("words.toml", "generic_nouns")


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
