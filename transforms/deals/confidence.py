"""How far to trust each deal event's type, actor and counterpart.

Why: a wrong name is worse than none. A dashboard of "who committed how much" built on
headline fragments ("Baisse"), glued sentences ("WLTP.En"), page furniture ("Question of
the Day") or adjectives ("Republican") misleads, while a missing name only leaves a gap.
So every event gets a confidence in [0, 1] for its type and for each role, from cheap,
language-independent evidence plus per-language word lists (languages/<lang>/words.toml `not_names`):

- the name itself: a seed-list or government name is sound; a name glued across a
  sentence end, a long title-case run, an all-caps heading, a capitalised common word,
  a demonym or a bare place name is not;
- where the page names it: in the amount's sentence, in the sentence before or the title,
  or only elsewhere on the page (then it must be the page's topic to be trusted);
- the type: a trigger word found for the amount, or the "other" default.

`ROLE_FLOOR` is the level below which the flow leaves a role null in `fact_deal` (the
mention stays in `fact_mention`); `VIEW_MIN` is what `v_deals` shows by default.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from transforms import languages
from transforms.deals.vocabulary import Deal
from transforms.mentions.context import sentence_spans
from transforms.mentions.countries import country_iso, government_iso
from transforms.mentions.lexicon import _NATIONALITY, GAZETTEER
from transforms.mentions.records import Mention, canonical_key, seed_entry

ROLE_FLOOR = 0.5
VIEW_MIN = 0.6

_GLUED = re.compile(r"[a-zà-ÿ0-9)]\.[A-ZÀ-Ý][a-zà-ÿ'’]")  # "WLTP.En" has its own check
_GLUED_CAPS = re.compile(r"[A-Z]{2,}\.[A-ZÀ-Ý][a-zà-ÿ]")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


@dataclass(frozen=True, slots=True)
class Confidence:
    """Confidences of one event: its type, its actor, its counterpart (0 when none)."""

    type: float
    actor: float
    counterpart: float


_NOT_NAMES = {k: frozenset(v) for k, v in languages.word_table("words.toml", "not_names").items()}


def not_names(lang: str) -> frozenset[str]:
    """Capitalised words of `lang` that never name an organisation by themselves."""
    return _NOT_NAMES.get(lang, frozenset())


# nationality adjectives of every language, folded ("japonais", "american")
_DEMONYMS = frozenset(_NATIONALITY)


@lru_cache(maxsize=1 << 14)
def name_quality(name: str, kind: str | None, lang: str) -> float:
    """How much `name` looks like a real organisation or person name, in [0, 1]."""
    if government_iso(name) is not None:
        return 1.0
    entry = seed_entry(kind or "org", name)
    if entry is not None:
        return 1.0
    if _GLUED.search(name) or _GLUED_CAPS.search(name):
        return 0.1  # "Microsoft.L'industrie", "Mulot.Avec Rossel": two sentences glued
    words = _WORD.findall(name)
    if not words:
        return 0.1
    low = not_names(lang) | not_names("en")
    if len(words) == 1:
        w = words[0]
        if w in low or w.casefold() in _DEMONYMS:
            return 0.1
        g = GAZETTEER.get(name)
        if (g is not None and g.kind == "place") or country_iso(name) is not None:
            return 0.2  # a place is not a party (its government is named otherwise)
        return 0.8 if kind == "person" else 0.9
    if len(words) >= 6:
        return 0.15  # "Join Over 1 Million Premium Members And Get More ...": a heading
    caps = [w for w in words if len(w) >= 3]
    if len(caps) >= 2 and all(w.isupper() for w in caps) and len(name) > 12:
        return 0.2  # "QUELLE GARANTIE POUR": an all-caps heading
    common = sum(w in low for w in words)
    if common * 2 >= len(words):
        return 0.2  # "Chancellor Gerhard"? no: mostly common words ("Afectación Secuestro")
    if common and words[0] in low and kind == "person":
        return 0.6  # "Chancellor Gerhard Schroeder": a title before a person
    return 0.9


def _is_place(name: str) -> bool:
    g = GAZETTEER.get(name)
    return (g is not None and g.kind == "place") or country_iso(name) is not None


def _where(
    name: str, fig_start: int, mentions: Sequence[Mention], spans, starts, title_end: int
) -> float:
    """Support from where the page names `name`, relative to the amount."""
    key = canonical_key(name)
    si = bisect_right(starts, fig_start) - 1
    best = 0.0
    for m in mentions:
        if m.canonical != name and canonical_key(m.canonical) != key:
            continue
        mi = bisect_right(starts, m.start) - 1
        if mi == si:
            s = 1.0 if m.resolved_from in ("name", "alias") else 0.9
        elif mi == si - 1 or (title_end and m.end <= title_end):
            s = 0.8
        elif 0 < si - mi <= 3:
            s = 0.7
        else:
            s = 0.6
        best = max(best, s)
        if best == 1.0:
            break
    return best or 0.55  # a role no mention names: inferred by the deal rules


_PUBLIC_TYPES = frozenset({"budget", "financing", "loan", "fine"})


def _topic(mentions: Sequence[Mention]) -> str | None:
    counts = Counter(m.canonical for m in mentions if m.kind == "org")
    return counts.most_common(1)[0][0] if counts else None


def type_confidence(deal: Deal) -> float:
    """A trigger word found for the amount makes its type sound; the default "other" less so."""
    if deal.trigger:
        return 0.9
    return 0.6 if deal.event_type == "other" else 0.5


def assess(
    text: str,
    lang: str,
    deals: Sequence[Deal],
    mentions: Sequence[Mention],
    title_end: int = 0,
) -> list[Confidence]:
    """One `Confidence` per deal of `deals` (from `deals.find_deals` on the same text)."""
    spans = sentence_spans(text)
    starts = [s for s, _ in spans]
    topic = _topic(mentions)
    out = []
    for d in deals:
        roles = []
        for name, kind in ((d.actor, d.actor_kind), (d.counterpart, d.counterpart_kind)):
            if not name:
                roles.append(0.0)
                continue
            q = name_quality(name, kind, lang)
            if q < ROLE_FLOOR and d.event_type in _PUBLIC_TYPES and _is_place(name):
                q = 0.9  # "Indiana" owning a state budget: the place's government
            w = _where(name, d.figure.start, mentions, spans, starts, title_end)
            if w < 0.65 and text.count(name) >= 2:
                w = 0.65  # written on the page, though no mention holds it
            if w < 0.8 and d.event_type in _PUBLIC_TYPES and _is_place(name) and text.count(name) >= 2:
                w = 0.8  # "Indiana lawmakers ... the state budget": the page's public body
            if w < 0.8 and name == topic:
                w = 0.8  # the page's subject owns what the page reports
            roles.append(round(q * w, 3))
        out.append(Confidence(type_confidence(d), roles[0], roles[1]))
    return out
