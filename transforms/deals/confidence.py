"""How far to trust each deal event's type, actor and counterpart.

Why: a wrong name is worse than none. A dashboard of "who committed how much" built on
headline fragments ("Baisse"), glued sentences ("WLTP.En"), page furniture ("Question of
the Day"), adjectives ("Republican") or a research firm quoted for an estimate misleads,
while a missing name only leaves a gap. So every event gets a confidence in [0, 1] for
its type and for each role, from cheap, language-independent evidence plus per-language
word lists (languages/<lang>/words.toml `not_names`, `cited_words`). A role's confidence
is the product of three factors:

- the name itself (`name_quality`): a seed-list or government name is sound; a name glued
  across a sentence end, a long title-case run, an all-caps heading, a capitalised common
  word, a demonym or a bare place name is not;
- where the page names it (`_where`): in the amount's sentence (1.0), the sentence before
  (0.8), the title (0.75), a few sentences back (0.7) or further (0.6); the page's topic
  counts as 0.8, a role no mention holds (inferred by the rules) 0.55;
- what the amount's sentence says of it (`_support`): a name quoted as a source ("selon le
  classement Forbes", "Newzoo estimates that ...") keeps half; one more than `FAR`
  characters from the amount keeps less the further it stands (0.9 of that with another
  organisation between); a counterpart more than 100 characters behind the amount 0.75.
  A name the sentence does not hold keeps 0.6 when it is the guessed owner of an untyped
  figure ("other") with no counterpart and not the page's topic, and 0.6 when the
  sentence quotes a source for its figure.

The factors were set, and `ROLE_FLOOR` chosen, on the news dev set with
bench/role_calibration.py, which prints the share of right names per confidence bucket:
from 0.5 on most named roles are right, under it almost none (and the project's sample
pages keep their right names).
`ROLE_FLOOR` is the level below which the flow leaves a role null in `fact_deal` (the
mention stays in `fact_mention`); `VIEW_MIN` is what `v_deals` shows by default.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from transforms import languages
from transforms.deals.vocabulary import Deal
from transforms.mentions.context import role_and_word, sentence_spans
from transforms.mentions.countries import country_iso, government_iso
from transforms.mentions.lexicon import _NATIONALITY, GAZETTEER, lexicon
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
    if _is_place(name):
        return 0.2  # "EE UU", "Costa Rica", "Reino Unido": a country is not a party either
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
) -> tuple[float, Mention | None]:
    """Support from where the page names `name`, relative to the amount, and the mention
    of the amount's sentence nearest to it (None when the sentence does not name it)."""
    key = canonical_key(name)
    si = bisect_right(starts, fig_start) - 1
    best, anchor = 0.0, None
    for m in mentions:
        if m.canonical != name and canonical_key(m.canonical) != key:
            continue
        mi = bisect_right(starts, m.start) - 1
        if mi == si:
            s = 1.0 if m.resolved_from in ("name", "alias") else 0.9
            if anchor is None or abs(m.start - fig_start) < abs(anchor.start - fig_start):
                anchor = m
        elif mi == si - 1:
            s = 0.8  # the previous sentence's name often goes on as the subject
        elif title_end and m.end <= title_end:
            s = 0.75  # the title names the page's deal, not every figure's owner
        elif 0 < si - mi <= 3:
            s = 0.7
        else:
            s = 0.6
        best = max(best, s)
    return (best or 0.55), anchor  # a role no mention names: inferred by the deal rules


_PUBLIC_TYPES = frozenset({"budget", "financing", "loan", "fine"})


def _topic(mentions: Sequence[Mention]) -> str | None:
    counts = Counter(m.canonical for m in mentions if m.kind == "org")
    return counts.most_common(1)[0][0] if counts else None


def type_confidence(deal: Deal) -> float:
    """A trigger word found for the amount makes its type sound; the default "other" less so."""
    if deal.trigger:
        return 0.9
    return 0.6 if deal.event_type == "other" else 0.5


_CITED = languages.word_set("words.toml", "cited_words")
_CITED_ALT = "|".join(re.escape(w) for w in sorted(_CITED, key=len, reverse=True))
# "selon le classement Forbes", "according to projections from the nonpartisan LSA",
# "rapportent Les Echos": a citing word a few words before the name, no clause between
_CITED_BEFORE = re.compile(
    rf"(?<![\w])(?:{_CITED_ALT})(?:\s+(?!(?:que|qu|that|dass|which|qui|and|et|y|e)\b)[\w'’.-]+){{0,5}}\s*['’]?\s*$",
    re.IGNORECASE,
)
# "Newzoo estimates that sponsorship ...", "Sigma Bourse estime que": the name gives an
# estimate of somebody else's figure, unless the clause is about its own ("Kelvane
# estimates that its revenue ...": a possessive makes it the owner's guidance)
_CITED_AFTER = re.compile(
    rf"\s+(?:\w+\s+)?(?:{_CITED_ALT})\s+(?:that|que|qu['’]|dass|para\s+que)\b"
    r"(?![^.;]{0,60}\b(?:its|their|sa|son|ses|leur|leurs|su|sus|seu|sua|seus|suas|ihr|ihre|sein|seine)\b)",
    re.IGNORECASE,
)


def cites(text: str, m: Mention, s0: int) -> bool:
    """Whether the name `m` (in a sentence starting at `s0`) is quoted as the source of
    an estimate or report rather than as a party: "selon le classement Forbes",
    "according to projections from the nonpartisan LSA", "Newzoo estimates that ..."."""
    return bool(
        _CITED_BEFORE.search(text, max(s0, m.start - 70), m.start)
        or _CITED_AFTER.match(text, m.end, m.end + 120)
    )


FAR = 150  # characters between a name and its amount beyond which the link is weak


def _evidence(
    text: str, lang: str, name: str, anchor: Mention, fig_start: int, fig_end: int,
    s0: int, rivals: Sequence[Mention],
) -> dict:
    """What the amount's sentence says of the mention `anchor` that names a role: its
    grammatical role, whether it cites the figure rather than owns it, which side of the
    amount it stands, how far, and how many other organisations stand between."""
    lo, hi = (anchor.end, fig_start) if anchor.end <= fig_start else (fig_end, anchor.start)
    key = canonical_key(name)
    between = [
        m for m in rivals
        if lo <= m.start and m.end <= hi and canonical_key(m.canonical) != key
    ]
    role = role_and_word(text, anchor.start, lexicon(lang), s0)[0]
    cited = role == "source" or cites(text, anchor, s0)
    return {
        "role": role,
        "cited": cited,
        "after": anchor.start >= fig_end,
        "rivals": len(between),
        "gap": hi - lo,
    }


def _support(ev: dict) -> float:
    """How much the evidence of `_evidence` (or its absence) keeps of the placement score."""
    k = 1.0
    if "role" not in ev:
        # not named in the amount's sentence: the rules inferred it from the page; the
        # owner of an untyped figure ("other") that names no other party is a guess
        # right less than half the time, unless it is the page's subject ("Fiat is to
        # get 1bn euros": the payer of a receiver the sentence names is sounder)
        if (
            ev["role_of"] == "actor"
            and ev["type"] == "other"
            and not ev["topic"]
            and not ev["paired"]
        ):
            k *= 0.6
        if ev["sentence_cites"]:
            # "Newzoo estimates that spend hit $325 million": a source's estimate of a
            # figure the sentence gives no owner
            k *= 0.6
        return k
    if ev["cited"]:
        k *= 0.5  # a source quoted for the figure is not its owner
    if ev["gap"] > FAR:
        # the further, the weaker; more so with another organisation between
        k *= max(0.5, 1.0 - (ev["gap"] - FAR) / 500) * (0.9 if ev["rivals"] else 1.0)
    if ev["after"] and ev["role_of"] == "counterpart" and ev["gap"] > 100:
        k *= 0.75  # a counterpart far behind the amount is another clause's name
    return k


def assess(
    text: str,
    lang: str,
    deals: Sequence[Deal],
    mentions: Sequence[Mention],
    title_end: int = 0,
    explain: list[dict] | None = None,
) -> list[Confidence]:
    """One `Confidence` per deal of `deals` (from `deals.find_deals` on the same text).

    With `explain`, one dict per named role is appended to it: the evidence behind its
    confidence (bench/role_calibration.py prints it)."""
    spans = sentence_spans(text)
    starts = [s for s, _ in spans]
    topic = _topic(mentions)
    orgs = sorted(
        (
            m for m in mentions
            if m.kind in ("org", "fund") and name_quality(m.canonical, m.kind, lang) >= ROLE_FLOOR
        ),
        key=lambda m: m.start,
    )
    ostarts = [m.start for m in orgs]
    out = []
    for d in deals:
        roles = []
        f = d.figure
        si = max(0, bisect_right(starts, f.start) - 1)
        s0, s1 = spans[si] if spans else (0, len(text))
        sentence_orgs = orgs[bisect_left(ostarts, s0):bisect_left(ostarts, s1)]
        sentence_cites = None  # computed at the first role that needs it
        for role, name, kind in (
            ("actor", d.actor, d.actor_kind), ("counterpart", d.counterpart, d.counterpart_kind)
        ):
            if not name:
                roles.append(0.0)
                continue
            q = name_quality(name, kind, lang)
            if q < ROLE_FLOOR and d.event_type in _PUBLIC_TYPES and _is_place(name):
                q = 0.9  # "Indiana" owning a state budget: the place's government
            w, anchor = _where(name, f.start, mentions, spans, starts, title_end)
            if w < 0.65 and text.count(name) >= 2:
                w = 0.65  # written on the page, though no mention holds it
            if w < 0.8 and d.event_type in _PUBLIC_TYPES and _is_place(name) and text.count(name) >= 2:
                w = 0.8  # "Indiana lawmakers ... the state budget": the page's public body
            if w < 0.8 and name == topic:
                w = 0.8  # the page's subject owns what the page reports
            ev: dict = {"role_of": role, "quality": q, "where": w, "type": d.event_type,
                        "trigger": bool(d.trigger), "topic": name == topic,
                        "paired": bool(d.actor and d.counterpart)}
            if anchor is not None:
                ev.update(_evidence(text, lang, name, anchor, f.start, f.end, s0, sentence_orgs))
            else:
                if sentence_cites is None:
                    sentence_cites = any(
                        m.end <= f.start and cites(text, m, s0) for m in sentence_orgs
                    )
                ev["sentence_cites"] = sentence_cites
            conf = round(q * w * _support(ev), 3)
            roles.append(conf)
            if explain is not None:
                explain.append({**ev, "name": name, "start": f.start, "conf": conf})
        out.append(Confidence(type_confidence(d), roles[0], roles[1]))
    return out
