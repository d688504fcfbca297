"""The per-page context the deal rules share: sentences, mentions by position, trigger
hits per sentence and the title's span.

Built once per page so typing and roles never rescan the text.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from transforms import languages
from transforms.contract.figure import Figure
from transforms.deals.confidence import ROLE_FLOOR, cites, name_quality
from transforms.deals.scanner import _deal_lexicon, _scan_pair
from transforms.deals.vocabulary import _LOCATIVE, _PERSON_ACTOR_TYPES, MAX_SENTENCE_CHARS
from transforms.mentions.context import role_and_word, sentence_spans
from transforms.mentions.descriptions import has_org_shape
from transforms.mentions.governments import GOVERNMENT_NAMES
from transforms.mentions.lexicon import Lexicon, lexicon
from transforms.mentions.records import Mention

_AGENT_WORD = re.compile(r"\b(?:from|by|par|por)\b", re.IGNORECASE)
_FORECASTER = {
    lang: (
        re.compile(after, re.IGNORECASE),
        re.compile(before, re.IGNORECASE),
        # the same, with up to two words (adjectives) before the name
        re.compile(before.removesuffix("$") + r"(?:[\w'’-]+\s+){0,2}$", re.IGNORECASE),
    )
    for lang, after in languages.word_table("words.toml", "forecaster_after").items()
    for before in [languages.word_table("words.toml", "forecaster_before")[lang]]
}


@dataclass(slots=True)
class _Hit:
    kind: str  # trigger class
    start: int
    end: int
    text: str


def _distance(h: _Hit, fs: int, fe: int) -> int:
    if h.end <= fs:
        return fs - h.end
    if h.start >= fe:
        return (h.start - fe + 5) * 2  # a trigger before the amount governs it more often
    return 0


def _gap(h: _Hit, fs: int, fe: int) -> int:
    """Plain character gap between a trigger and an amount."""
    return fs - h.end if h.end <= fs else max(0, h.start - fe)


_ATTACHED_AFTER = re.compile(
    r"\s*(?:(?:de\s+l['’]\s*|de\s+la\s+|de\s+|d['’]\s*|du\s+|des\s+|of\s+(?:the\s+)?|del\s+|do\s+|da\s+|von\s+"
    r"|der\s+)(?:[\w-]+\s+){0,2}?|(?:la\s+|le\s+|l['’]\s*|the\s+|a\s+|o\s+)?)$",
    re.IGNORECASE,
)
_ATTACHED_BEFORE = re.compile(r"^(?:['’]s\s+(?:[\w-]+\s+){0,2}|\s*,\s*|\s+)$")


def _product_res() -> dict[str, tuple[re.Pattern[str], re.Pattern[str]]]:
    """Per language: a product noun right before a name, or in apposition right after it."""
    out = {}
    for lang, nouns in languages.word_table("words.toml", "products").items():
        alt = "|".join(re.escape(n) for n in nouns)
        det = r"(?:\w{1,4}['’]?\s*)?"  # la, le, sa, son, its, the, l'
        out[lang] = (
            re.compile(rf"\b(?:{alt})(?:\s*,)?\s+{det}$", re.IGNORECASE),
            re.compile(rf"\s*,\s*{det}(?:\w+\s+)?(?:{alt})\b", re.IGNORECASE),
        )
    return out


_PRODUCT_RES = _product_res()
_PRODUCT_NOUNS = {
    lang: frozenset(n.casefold() for n in nouns)
    for lang, nouns in languages.word_table("words.toml", "products").items()
}
# "Macy's owner": a possessive before a party noun (words.toml `possessed_roles`; the
# union of all languages, since an English name may be quoted on any page)
_POSSESSED = re.compile(
    r"['’]s\s+(?:"
    + "|".join(map(re.escape, sorted(languages.word_set("words.toml", "possessed_roles"))))
    + r")\b",
    re.IGNORECASE,
)


class _Context:
    """Sentence spans, mentions, money and triggers of one page, indexed for lookups."""

    def __init__(
        self,
        text: str,
        lang: str,
        money: list[Figure],
        mentions: Sequence[Mention],
        title_span: tuple[int, int] | None,
    ):
        self.text = text
        self.lex: Lexicon = lexicon(lang)
        self.dl = _deal_lexicon(lang)
        self.budget_owner: Mention | bool | None = None  # _budget_owner's page answer
        self.budget_named = False  # whether it came from the page's named public body
        spans = _bounded(sentence_spans(text), MAX_SENTENCE_CHARS)
        if title_span:
            spans = _cut(spans, title_span)
        self.spans = spans or [(0, len(text))]  # a blank text still has one "sentence"
        self.starts = [s for s, _ in self.spans]
        self.title_span = title_span
        self.all_mentions = sorted(mentions, key=lambda m: m.start)
        self.mentions = [
            m for m in self.all_mentions if m.kind in ("org", "fund", "person", "project")
        ]
        self.mstarts = [m.start for m in self.mentions]
        self.figs = money
        self.money = sorted((f.start, f.end) for f in money)
        self.money_starts = [s for s, _ in self.money]
        self._roles: dict[int, tuple[str, str]] = {}
        self._cited: dict[int, bool] = {}
        self._reported: dict[int, bool] = {}
        self._hits: dict[int, list[_Hit]] = {}
        self._status: dict[int, list[_Hit]] = {}
        self._market: dict[int, bool] = {}
        # receiver canonical name -> the giver of the last deal it received on the page
        self.last_giver: dict[str, Mention] = {}
        self.topic = self._topic()

    # -- sentences
    def sentence(self, pos: int) -> int:
        return max(0, bisect_right(self.starts, pos) - 1)

    def in_title(self, s: int, e: int) -> bool:
        t = self.title_span
        return t is not None and t[0] <= s and e <= t[1]

    def previous(self, si: int, fig: Figure) -> int | None:
        """Index of the sentence before `si`, never the title for a body amount."""
        if si == 0 or self.in_title(fig.start, fig.end):
            return None
        p0, p1 = self.spans[si - 1]
        return None if self.in_title(p0, p1) else si - 1

    # -- names
    def between(self, lo: int, hi: int) -> list[Mention]:
        """Mentions that start at or after `lo` and end by `hi`."""
        i = bisect_left(self.mstarts, lo)
        j = bisect_left(self.mstarts, hi, i)
        return [m for m in self.mentions[i:j] if m.end <= hi]

    def role(self, m: Mention) -> tuple[str, str]:
        r = self._roles.get(m.start)
        if r is None:
            floor = self.spans[self.sentence(m.start)][0]
            first = m.surface.split()[0].casefold() if m.surface else ""
            if m.resolved_from == "description" and first in self.lex.prepositions:
                r = ("oblique", first)  # "au groupe", "du groupe"
            else:
                r = role_and_word(self.text, m.start, self.lex, floor)
            self._roles[m.start] = r
        return r

    def placeish(self, m: Mention) -> bool:
        """ "à Bécancour", "at Kumamoto": one unknown word behind a locative preposition."""
        role, word = self.role(m)
        return (
            role == "oblique"
            and word in _LOCATIVE
            and m.kind == "org"
            and " " not in m.canonical.strip()
            and not m.canonical.isupper()  # an acronym ("à la SNCF") is no town
            and not has_org_shape(m.canonical)
            and not self._acts_elsewhere(m)
        )

    def _acts_elsewhere(self, m: Mention) -> bool:
        """ "au Cirque du Soleil" is no place when the page makes the same name a subject
        elsewhere ("Le Cirque du Soleil a annoncé")."""
        return any(
            o is not m and o.canonical == m.canonical and self.role(o)[0] == "core"
            for o in self.mentions
        )

    def cited(self, m: Mention) -> bool:
        """ "Newzoo estimates that ...", "selon le classement Forbes": a source quoted for
        a figure, which neither owns it nor makes it a company's (words.toml `cited_words`)."""
        c = self._cited.get(m.start)
        if c is None:
            c = self._cited[m.start] = cites(self.text, m, self.spans[self.sentence(m.start)][0])
        return c

    def usable(self, m: Mention, typ: str) -> bool:
        if m.kind == "person" and typ not in _PERSON_ACTOR_TYPES:
            return False
        return (
            self.role(m)[0] != "source"
            and not self.cited(m)
            and not self.reported_by(m)
            and not self.placeish(m)
            and not self.productish(m)
            and not self.possessed(m)
        )

    def reported_by(self, m: Mention) -> bool:
        """ "according to projections from the nonpartisan Legislative Services Agency",
        "a report by X": the author of a study or forecast reports figures, it owns
        none (words.toml `forecaster_before`, with up to two words between)."""
        known = self._reported.get(m.start)
        if known is not None:
            return known
        pats = _FORECASTER.get(self.lex.lang)
        hit = None
        if pats is not None:
            lo = max(self.spans[self.sentence(m.start)][0], m.start - 80)
            hit = pats[2].search(self.text, lo, m.start)
        # only an agent ("from", "by", "par", "por"): "les prévisions de Renault" are
        # Renault's own
        found = hit is not None and bool(_AGENT_WORD.search(hit.group()))
        self._reported[m.start] = found
        return found

    def possessed(self, m: Mention) -> bool:
        """ "Macy's owner buys rival": the possessor of a party noun is not the party."""
        return bool(_POSSESSED.match(self.text, m.end, m.end + 40))

    def productish(self, m: Mention) -> bool:
        """ "la console Xbox Series X", "Xbox Series X, sa console", "version, la Xbox
        Series S": a product, whose money is its maker's (words.toml `products`)."""
        rx = _PRODUCT_RES.get(self.lex.lang)
        if rx is None or m.kind not in ("org", "project"):
            return False
        before, after = rx
        nouns = _PRODUCT_NOUNS.get(self.lex.lang, frozenset())
        return bool(
            # "SUV R1S", "Livret A", and a pronoun standing for one ("Ils")
            m.canonical.split(" ", 1)[0].casefold() in nouns
            or before.search(self.text, max(0, m.start - 30), m.start)
            or after.match(self.text, m.end, m.end + 40)
        )

    def _topic(self) -> Mention | None:
        """The page's main organisation: the title's subject, else the most named one."""
        lang = self.lex.lang
        orgs = [
            m
            for m in self.mentions
            if m.kind in ("org", "fund") and name_quality(m.canonical, m.kind, lang) >= ROLE_FLOOR
        ]
        if self.title_span:
            in_title = [m for m in orgs if self.in_title(m.start, m.end) and not self.possessed(m)]
            core = [m for m in in_title if self.role(m)[0] == "core"]
            if core or in_title:
                return (core or in_title)[0]
        counts = Counter(m.canonical for m in orgs if m.resolved_from != "description")
        if counts:
            name, n = counts.most_common(1)[0]
            if n >= 2:
                return next(m for m in orgs if m.canonical == name)
        return None

    def market_level(self, si: int) -> bool:
        """Whether sentence `si` names no organisation but an owner that is not one ("le
        marché", "households", "the government" of a page that names no country)."""
        hit = self._market.get(si)
        if hit is None:
            s0, s1 = self.spans[si]
            hit = not any(
                m.kind in ("org", "fund") and not self._cited_government(m, s0) and not self.cited(m)
                for m in self.between(s0, s1)
            ) and bool(self.dl.no_owner.search(self.text, s0, s1))
            self._market[si] = hit
        return hit

    def _cited_government(self, m: Mention, s0: int) -> bool:
        """ "Segundo estimativas do governo": a government named by its noun only, as
        the source of an estimate, owns the estimate no more than a newspaper does; nor
        does a forecaster ("Newzoo estimates that the market ...", "a projection from
        R.W. Baird suggests ...", languages/<lang>/words.toml `forecaster_*`)."""
        if (
            m.resolved_from == "description"
            and m.canonical in GOVERNMENT_NAMES
            and bool(self.dl.cited.search(self.text, max(s0, m.start - 40), m.start))
        ):
            return True
        pats = _FORECASTER.get(self.lex.lang)
        return pats is not None and bool(
            pats[0].match(self.text[m.end : m.end + 40])
            or pats[1].search(self.text, max(s0, m.start - 60), m.start)
        )

    # -- triggers
    def _scan(self, si: int) -> None:
        """Triggers and status cues of sentence `si`, in one pass over its words; none
        inside an amount, and no trigger inside a name ("Crédit du Souss")."""
        s0, s1 = self.spans[si]
        raw, stats = _scan_pair(self.text, s0, s1, self.dl.triggers, self.dl.statuses)
        i = max(0, bisect_left(self.money_starts, s0) - 1)
        money = []
        while i < len(self.money) and self.money[i][0] < s1:
            if self.money[i][1] > s0:
                money.append(self.money[i])
            i += 1
        self._status[si] = [
            _Hit(*h) for h in stats if not any(a < h[2] and h[1] < b for a, b in money)
        ]
        blocked = money + [
            (m.start, m.end) for m in self.between(s0, s1) if m.resolved_from != "description"
        ]
        self._hits[si] = [
            _Hit(*h)
            for h in raw
            if h[0] != "ignore" and not any(a < h[2] and h[1] < b for a, b in blocked)
        ]

    def status_hits(self, si: int) -> list[_Hit]:
        if si not in self._status:
            self._scan(si)
        return self._status[si]

    def hits(self, si: int) -> list[_Hit]:
        if si not in self._hits:
            self._scan(si)
        return self._hits[si]


def _bounded(spans: Sequence[tuple[int, int]], limit: int) -> list[tuple[int, int]]:
    """Spans longer than `limit` cut into pieces of at most `limit` characters.

    Typing compares every trigger of a sentence with every amount of it: fine for prose,
    cubic for a 2 MB line or a currency-symbol storm that the sentence splitter reads as
    one "sentence" (issue 11: one such page held a run for minutes). No real sentence is
    this long, so real pages are untouched.
    """
    out: list[tuple[int, int]] = []
    for s, e in spans:
        while e - s > limit:
            cut = s + limit
            out.append((s, cut))
            s = cut
        out.append((s, e))
    return out


def _cut(spans: list[tuple[int, int]], title: tuple[int, int]) -> list[tuple[int, int]]:
    out = []
    for s, e in spans:
        cuts = sorted({s, e, *(c for c in title if s < c < e)})
        out.extend((a, b) for a, b in pairwise(cuts) if b > a)
    return out
