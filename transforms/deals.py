"""Deal events: what each money amount on a page is, who pays or does it, and to whom.

Why: "22,5 milliards de dollars" is only useful beside "SoftBank invests in OpenAI".
`find_deals` gives every money figure an event type, a status, an actor and a
counterpart, from the sentence of the amount, the stretch around it and the previous
sentence. Trigger words per language are data (entity_data/cues_<lang>.txt); the rules
below are the same for every language.

Event types (the `fact_deal.event_type` vocabulary):

- investment: money put into a company, plant or project by an investor ("investit",
  "engagement financier", "takes a stake", "spend"). Actor: the investor; counterpart:
  the investee when named ("dans OpenAI"), else none.
- acquisition: buying a company or a business ("rachète", "acquiert", "acquires").
  Actor: the buyer; counterpart: the target.
- stake_sale: selling shares, a subsidiary or a holding ("a cédé sa participation dans
  Nvidia", "sells its stake in"). Actor: the seller; counterpart: the name nearest the
  amount in its clause (the company sold, or the buyer when only the buyer is named).
- fundraising: a company raising money from investors or markets ("lève", "levée de
  fonds", "émission obligataire", "IPO", "raises"). Actor: the company raising;
  counterpart: the investor named with "auprès de", "menée par", "led by", "from".
- valuation: what a company is worth ("valorisation", "valued at", "market cap").
  Actor: the company valued; no counterpart.
- financing: grants, subsidies, refinancing, facilities, or a financing capacity (the
  seed's "financing_capacity"). Actor: the subject (the financer, or the company that
  finances itself); counterpart: the beneficiary, or the asset it is secured on.
- loan: a loan or credit line ("prêt", "crédit", "emprunt", "loan"). Actor: the lender
  (none when unnamed); counterpart: the borrower.
- revenue / profit / loss: reported results ("chiffre d'affaires", "bénéfice net",
  "perte"). Actor: the company reporting; no counterpart.
- project_cost: the cost of a plant, works or named project ("le projet Stargate, une
  initiative estimée à 500 milliards"). Actor: the sponsor; counterpart: a co-sponsor
  named with it ("SoftBank et OpenAI", "en partenariat avec X").
- budget: a public or corporate budget, allocation or investment programme ("budget",
  "enveloppe", "loi de finances", "capex"). Actor: the owner; no counterpart.
- fine: a fine or penalty ("amende", "fine"). Actor: the authority imposing it;
  counterpart: the party fined.
- other: anything else. Explicit cues say so (dividends, prices, debt stock, fees,
  market sizes, contracts); so do unit prices ("0,38 DH le kWh", "$27.45" a share) and
  any amount under 100,000 units of its currency, which in business news is a price, a
  wage or a per-share figure, not a deal. Actor: the owner as for results; a contract
  ("un contrat de 3,4 Mds $ ... à Nordlicht Energie") also has the client as counterpart.

Statuses: announced (default), planned ("prépare", "s'apprête à", "will", future tense),
completed ("a cédé", "a acquis", "has raised"), rumoured ("selon des sources", "aurait",
"would", "in talks"), denied ("dément", "denies": wins over every other cue in the
sentence), estimated ("estimé", "estimated"; also the figure's own qualifier). Otherwise
the cue nearest the amount wins.

Choice rules:

- Type: the trigger nearest the amount in its sentence, a trigger before the amount
  being preferred, and a trigger that sits closer to another amount of the sentence
  being left to that amount ("un chiffre d'affaires de 1,1 milliard, pour une perte
  nette de 37 millions"); else the previous sentence's last trigger; else "other".
  Overlapping triggers: the longest wins ("budget d'investissement" is a budget).
  Triggers inside a name ("Crédit du Souss") or in [type:ignore] ("dette comprise") do
  not count.
- Conversions: an amount right after another in a different currency ("45 milliards de
  FCFA (environ 68,6 millions d'euros)", "Le montant équivaut à ...") is the same event.
- Subject: the nearest name left of the trigger that is not behind a preposition or a
  conjunction (`entities.mention_role`); a name behind "à"/"at" that is one unknown word
  is taken for a place. People are actors only in investments, acquisitions and stake
  sales. When the sentence has no subject: the previous sentence's, then the page's
  topic (the title's subject, else the most named organisation).
- Givers and receivers: a name after "par", "auprès de", "led by", "from" is the giver;
  a subject followed by a receiving verb ("obtient", "a écopé", "secured", "was fined")
  is the receiver. Loans, financings and fines use them; a bank named in a loan's
  sentence is the lender when nothing else says who lends. A public body attached to
  the trigger ("une subvention de l'État") or behind a preposition in its clause ("with
  the government contributing a subsidy") gives; public money with no beneficiary named
  goes to the page's company ("Ottawa une subvention de 300 M$"). A receiver named again
  without a giver ("X percevra en outre une prime") has the giver it last received from;
  unnamed receivers ("Die Gründer erhalten eine Zahlung") leave the figure to the payer,
  the page's company unless named. Money lent by banks is a loan even when the text says
  "financé par un consortium de banques"; a part of an amount ("4,8 milliards, dont 1,2
  milliard financé par des banques") is lent to the owner of the whole.
- Governments: "l'État", "le gouvernement", "the government", "der Bund" and capitals
  as subjects ("Québec apportera", "Selon Bruxelles") are mentions of the page country's
  government (`entities`, entity_data/governments.txt); a page that names no country
  gets none, and such a phrase then counts as an owner that is not an entity (below).
- Market-level figures: a sentence that names no organisation but an owner that is not
  one ([no_owner]: a market, a sector, households, "its parent", an unnamed government)
  gives its amounts no actor and no counterpart, and a sector's investment or revenue
  is "other" ("Global container trade is worth $1.2 trillion", "die deutsche Industrie
  benötigt Investitionen von 1,3 Billionen Euro").
- Other contexts: a verb of price ([weak]: "cost", "coûter") defers to a deal noun
  just before it ("Orion's last big purchase, of Baltic Feeder, cost 820 million"); a
  sentence that only gives a price ("Der Kaufpreis soll bei 650 Millionen Euro liegen")
  takes the parties of the previous sentence's deal; a raise's investor may be the
  subject of the next sentence with a verb of [subscribe] ("El fondo X suscribirá el
  40 %"); an investor other than the page's company in a sentence naming that company
  invests in it ("Kingsbridge's owners, led by Northern Shield, injected £300m");
  "Pour l'État, les recettes ..." frames the owner; an estimate whose only named party
  is its source ("Selon Bruxelles, la pratique aurait coûté ...") is the source's, as
  "les analystes de Sigma Bourse estiment ..." is Sigma Bourse's. In German the subject
  may follow the verb ("Zugleich verkauft der Konzern ...").

A title amount and a body amount with the same value and currency whose actors agree
are one event: the body's reading (more context) wins and both share `event_id` =
stable hash of (doc_id, type, actor, counterpart, value, currency). Actor and
counterpart are entity canonical names; `entities.entity_id(kind, name)` maps them to
`dim_entity` ids.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from transforms.entities import (
    GOVERNMENT_NAMES,
    LANGS,
    Lexicon,
    Mention,
    _alternation,
    has_org_shape,
    is_public,
    lexicon,
    role_and_word,
    sentence_spans,
)
from transforms.figures import Figure
from transforms.ids import stable_id

EVENT_TYPES = (
    "investment",
    "acquisition",
    "stake_sale",
    "fundraising",
    "valuation",
    "financing",
    "loan",
    "revenue",
    "profit",
    "loss",
    "project_cost",
    "budget",
    "fine",
    "other",
)
STATUSES = ("announced", "planned", "completed", "rumoured", "denied", "estimated")
# Types that describe one party's figure: no counterpart, and the owner may be oblique.
ATTRIBUTE_TYPES = frozenset({"valuation", "revenue", "profit", "loss", "budget", "other"})
# Trigger classes: the event types, plus "contract" (an "other" with a client) and
# "ignore" (spans that are never triggers).
_CLASSES = (*EVENT_TYPES, "contract", "ignore")
SMALL_AMOUNT = 100_000
MAX_SENTENCE_CHARS = 5_000  # real bodies reach ~2,700; longer ones are tables or junk (_bounded)
# Types that a market-level figure cannot have: a sector's investment needs or revenue
# are not anybody's deal or results.
_MARKET_TYPES = frozenset({"investment", "revenue", "profit", "loss", "valuation"})
_PERSON_ACTOR_TYPES = frozenset({"investment", "acquisition", "stake_sale"})
_LOCATIVE = frozenset({"à", "au", "aux", "en", "at", "near", "em", "no", "na", "bei", "nahe"})
_BANKISH = re.compile(
    r"\b(?:Bank|Banque|Banco|Banca|Crédit|Credit|Caisse|Förderbank|Sparkasse|Landesbank|bank)\b"
)
_STAKE = re.compile(
    r"(?:participation|parts?|stake|shares|holding|actions|Beteiligung|participación|participação)"
    r"\s+(?:dans|in|de|of|en|em|an)\s+$",
    re.IGNORECASE,
)
_GENITIVE = frozenset(
    {"de", "d'", "d’", "du", "des", "of", "del", "do", "da", "dos", "das", "von", "der"}
)
_BENEFICIARY = frozenset(
    {
        "à",
        "au",
        "aux",
        "dans",
        "pour",
        "en",
        "to",
        "into",
        "in",
        "for",
        "a",
        "al",
        "para",
        "em",
        "no",
        "na",
        "an",
        "für",
        "zu",
        "zum",
        "zur",
    }
)
_FAVOUR = re.compile(
    r"(?:en\s+faveur|au\s+profit|au\s+bénéfice|on\s+behalf)\s+(?:de|du|des|d['’]|of)\s*(?:la\s+|l['’]|the\s+)?$",
    re.IGNORECASE,
)
_RESTATE_GAP = re.compile(
    r"^[^.;\d]{0,30}?\s*[,;(]\s*(?:soit|ou|or|i\.e\.|that\s+is|es\s+decir|ou\s+seja|also|d\.h\.)\b",
    re.IGNORECASE,
)
_COMPARE_GAP = re.compile(
    r"^(?:[^.;\d]{0,30}?[\s,;(])?[\s,;(]*(?:contre|comparé\w*\s+à|par\s+rapport\s+à|après|compared\s+(?:with|to)|against|versus|vs\.?|"
    r"up\s+from|down\s+from|from|frente\s+a|contra|comparado\s+con|ante|gegenüber|nach|statt)\b",
    re.IGNORECASE,
)
_CONVERSION_GAP = re.compile(
    r"^[\s,;(]*(?:soit|ou|or|i\.e\.|environ|about|around|approximately|roughly|nearly|some|près\s+de|"
    r"quelque|rund|etwa|cerca\s+de|circa|approx\.?|c\.)?\s*$",
    re.IGNORECASE,
)
_EQUIVALENT = re.compile(
    r"\b(?:équiva\w*|equival\w*|entspricht|entsprechen|converti\w*|soit\s+environ)\b", re.IGNORECASE
)


@dataclass(slots=True)
class Deal:
    """The event a money figure belongs to. Several figures may share one `event_id`."""

    event_id: str
    event_type: str
    status: str
    actor: str | None
    actor_kind: str | None
    counterpart: str | None
    counterpart_kind: str | None
    figure: Figure
    in_title: bool
    trigger: str | None = None

    @property
    def start(self) -> int:
        return self.figure.start

    @property
    def end(self) -> int:
        return self.figure.end

    @property
    def value(self) -> float | None:
        f = self.figure
        return f.value if f.value is not None else (f.min if f.min is not None else f.max)


try:  # the stdlib's regex parser, used only to index patterns by their first letter
    import re._parser as _sre_parse  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - other Python versions
    _sre_parse = None

_MAX_PREFIXES = 400


def _prefixes(items, k: int = 2) -> set[str] | None:
    """Regex fragments for the first `k` characters a parsed pattern can start with
    ({"in", "ré"} for "(?:ré)?investi..."), or None when that cannot be told."""
    c = _sre_parse
    items = list(items)
    if k == 0 or not items:
        return {""}
    op, av = items[0]
    rest = items[1:]
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return _prefixes(rest, k)
    if op is c.LITERAL:
        heads = {re.escape(chr(av))}
    elif op is c.IN:
        heads = set()
        for o, a in av:
            if o is c.LITERAL:
                heads.add(re.escape(chr(a)))
            elif o is c.RANGE and a[1] - a[0] < 64:
                heads.update(re.escape(chr(x)) for x in range(a[0], a[1] + 1))
            elif o is c.CATEGORY and a is c.CATEGORY_SPACE:
                heads.add(r"\s")
            else:
                return None
    elif op is c.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            p = _prefixes(list(branch) + rest, k)
            if p is None:
                return None
            out |= p
        return out
    elif op is c.SUBPATTERN:
        return _prefixes(list(av[-1]) + rest, k)
    elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
        lo, hi, sub = av
        if c.SubPattern(c.State(), list(sub)).getwidth()[0] == 0:
            return None
        out = set()
        if lo == 0:
            p = _prefixes(rest, k)
            if p is None:
                return None
            out |= p
        if hi == 0:
            return out
        again = (
            [] if hi == 1 else [(op, (max(lo - 1, 0), hi if hi is c.MAXREPEAT else hi - 1, sub))]
        )
        p = _prefixes(list(sub) + again + rest, k)
        return None if p is None else out | p
    else:
        return None
    tails = _prefixes(rest, k - 1)
    if tails is None:
        return None
    out = {h + t for h in heads for t in tails}
    return out if len(out) <= _MAX_PREFIXES else None


_FRAG_UNIT = re.compile(r"\\s|\\.|.", re.DOTALL)
_WORDS = re.compile(r"\w+")


def _literal(fragment: str) -> str:
    """A prefix fragment as plain lower-case text: escapes undone, `\\s` as one space."""
    units = _FRAG_UNIT.findall(fragment)
    return "".join(" " if u == "\\s" else u[-1] for u in units).lower()


class _Scanner:
    """Many case-insensitive alternatives, matched only where one can start.

    Why: one big alternation tried at every character costs ~1 s per 250 KB in Python's
    re, and so does a C-level prefilter that is itself an alternation of a few hundred
    prefixes. Here each pattern is indexed by the (up to) three first characters it can
    start with; a word of the text is tried only with the patterns its own first three
    characters (lower-cased) fit, in their global order (exceptions first, then longest
    first, so the most specific one wins). The regex for a word head is built on first
    sight and kept: a dict lookup per word after that.
    """

    def __init__(self, labelled: list[tuple[str, str]]):
        # exceptions ([type:ignore]) first, then longer (more specific) patterns
        ordered = sorted(labelled, key=lambda pl: (pl[1] != "ignore", -len(pl[0])))
        self.patterns = [p for p, _ in ordered]
        self.labels = {f"g{i}": label for i, (_, label) in enumerate(ordered)}
        # per pattern: the lower-case literal heads it can start with (" " = any space),
        # or None when that cannot be told (tried at every word)
        self.anywhere: list[int] = []
        self.by_literal: dict[str, list[int]] = {}
        for i, p in enumerate(self.patterns):
            pre = None
            if _sre_parse is not None:
                try:
                    pre = _prefixes(_sre_parse.parse(p).data, 3)
                except Exception:
                    pre = None
            if not pre or "" in pre:
                self.anywhere.append(i)
                continue
            for lit in {_literal(f) for f in pre}:
                self.by_literal.setdefault(lit, []).append(i)
        self._by_set: dict[tuple[int, ...], re.Pattern[str]] = {}

    def for_head(self, head: str) -> re.Pattern[str] | None:
        """The alternation of the patterns a word starting with `head` may match."""
        norm = "".join(" " if c.isspace() else c for c in head)
        found = set(self.anywhere)
        for n in (1, 2, 3):
            if n <= len(norm):
                found.update(self.by_literal.get(norm[:n], ()))
        idx = tuple(sorted(found))
        rx = None
        if idx:
            rx = self._by_set.get(idx)
            if rx is None:
                body = "|".join(f"(?P<g{i}>{self.patterns[i]})" for i in idx)
                rx = re.compile(rf"(?:{body})(?![\w-])", re.IGNORECASE)
                self._by_set[idx] = rx
        return rx

    def scan(self, text: str, lo: int, hi: int) -> list[tuple[str, int, int, str]]:
        """(label, start, end, text) of every hit in [lo, hi)."""
        return _scan_pair(text, lo, hi, self, None)[0]


def _scan_pair(
    text: str, lo: int, hi: int, a: _Scanner, b: _Scanner | None
) -> tuple[list[tuple[str, int, int, str]], list[tuple[str, int, int, str]]]:
    """Hits of two scanners over [lo, hi) in one pass over its words (see `_Scanner`):
    one dict lookup per word gives both scanners' regexes for its head, and most words
    have neither."""
    out_a: list[tuple[str, int, int, str]] = []
    out_b: list[tuple[str, int, int, str]] = []
    pos_a = pos_b = lo
    pairs = _PAIRS.setdefault((id(a), id(b)), {})
    for w in _WORDS.finditer(text, lo, hi):
        s = w.start()
        head = text[s : s + 3].lower()
        pair = pairs.get(head)
        if pair is None:
            pair = (a.for_head(head), b.for_head(head) if b is not None else None)
            pair = _NO_PAIR if pair == _NO_PAIR else pair
            if len(pairs) < 100_000:
                pairs[head] = pair
        if pair is _NO_PAIR:
            continue
        rx_a, rx_b = pair
        if rx_a is not None and s >= pos_a:
            m = rx_a.match(text, s, hi)
            if m is not None:
                out_a.append((a.labels[m.lastgroup], s, m.end(), m.group()))  # type: ignore[index]
                pos_a = m.end()
        if rx_b is not None and s >= pos_b:
            m = rx_b.match(text, s, hi)
            if m is not None:
                out_b.append((b.labels[m.lastgroup], s, m.end(), m.group()))  # type: ignore[index,union-attr]
                pos_b = m.end()
    return out_a, out_b


_NO_PAIR: tuple[None, None] = (None, None)
_PAIRS: dict[tuple[int, int], dict[str, tuple]] = {}


@dataclass(slots=True)
class _DealLexicon:
    triggers: _Scanner
    statuses: _Scanner
    receive: re.Pattern[str]
    giver: re.Pattern[str]
    investor: re.Pattern[str]
    partner: re.Pattern[str]
    per_unit: re.Pattern[str]
    weak: re.Pattern[str]
    no_owner: re.Pattern[str]
    subscribe: re.Pattern[str]
    cited: re.Pattern[str]


def _alt(patterns: Sequence[str]) -> str:
    r"""One alternation, longer (more specific) patterns first: a regex alternation takes
    the first branch that matches, so "budgets?\s+d'investissements?" must come before
    "budg[eé]t\w*"."""
    ordered = sorted(patterns, key=len, reverse=True)
    return "|".join(f"(?:{p})" for p in ordered) or r"(?!x)x"


def _build(lang: str) -> _DealLexicon:
    sec = lexicon(lang).sections
    # One scan for every class: alternatives longest first, so at one position the most
    # specific trigger wins ("budget d'investissement" is a budget, "dette comprise" is
    # ignored before "dette" is seen).
    pats = [(p, c) for c in _CLASSES for p in sec.get(f"type:{c}", [])]
    for p, c in pats:
        if re.compile(p).groups:
            raise ValueError(f"cues_{lang}.txt [type:{c}] {p!r}: use (?:...), not capturing groups")
    stats = [(p, st) for st in STATUSES for p in sec.get(f"status:{st}", [])]
    skip = r"(?:\s+(?:le|la|les|l['’]|the|a|an|du|des|de|un|une|el|los|o|os|der|die|das|dem|den))*"

    def before_name(phrases: list[str], words: int) -> re.Pattern[str]:
        """A phrase of `phrases` that ends at most `words` words before the text's end."""
        return re.compile(
            rf"(?<![\w])(?:{_alt(phrases)}){skip}(?:\s+[\w'’-]+){{0,{words}}}?\s*['’]?\s*$",
            re.IGNORECASE,
        )

    return _DealLexicon(
        triggers=_Scanner(pats),
        statuses=_Scanner(stats),
        receive=re.compile(rf"(?<![\w])(?:{_alt(sec.get('receive', []))})(?![\w])", re.IGNORECASE),
        # a giver phrase right before a name: "auprès du fonds X", "led by Y"
        giver=before_name(sec.get("giver", []), 3),
        investor=before_name(sec.get("investor", []), 3),
        partner=before_name(sec.get("partner", []), 2),
        per_unit=re.compile(
            rf"\s*(?:HT|TTC|net)?\s*(?:{_alt(sec.get('per_unit', []))})(?![\w])", re.IGNORECASE
        ),
        weak=re.compile(_alt(sec.get("weak", [])), re.IGNORECASE),
        subscribe=re.compile(
            rf"(?<![\w])(?:{_alt(sec.get('subscribe', []))})(?![\w])", re.IGNORECASE
        ),
        no_owner=re.compile(
            rf"(?<![\w])(?:{_alt(sec.get('no_owner', []))})(?![\w])", re.IGNORECASE
        ),
        # a source phrase of the mention lexicon up to three words before a name:
        # "selon", "segundo estimativas do", "according to"
        cited=re.compile(
            rf"(?<![\w])(?:{_alternation(lexicon(lang).sources)})(?:\s+[\w'’-]+){{0,3}}\s*$",
            re.IGNORECASE,
        ),
    )


_DEAL_LEX = {lang: _build(lang) for lang in LANGS}


def _deal_lexicon(lang: str) -> _DealLexicon:
    return _DEAL_LEX.get((lang or "en")[:2].lower(), _DEAL_LEX["en"])


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
            and not has_org_shape(m.canonical)
        )

    def usable(self, m: Mention, typ: str) -> bool:
        if m.kind == "person" and typ not in _PERSON_ACTOR_TYPES:
            return False
        return self.role(m)[0] != "source" and not self.placeish(m)

    def _topic(self) -> Mention | None:
        """The page's main organisation: the title's subject, else the most named one."""
        orgs = [m for m in self.mentions if m.kind in ("org", "fund")]
        if self.title_span:
            in_title = [m for m in orgs if self.in_title(m.start, m.end)]
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
                m.kind in ("org", "fund") and not self._cited_government(m, s0)
                for m in self.between(s0, s1)
            ) and bool(self.dl.no_owner.search(self.text, s0, s1))
            self._market[si] = hit
        return hit

    def _cited_government(self, m: Mention, s0: int) -> bool:
        """ "Segundo estimativas do governo": a government named by its noun only, as
        the source of an estimate, owns the estimate no more than a newspaper does."""
        return (
            m.resolved_from == "description"
            and m.canonical in GOVERNMENT_NAMES
            and bool(self.dl.cited.search(self.text, max(s0, m.start - 40), m.start))
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


# --------------------------------------------------------------------------- typing


def _trigger(ctx: _Context, fig: Figure, si: int, lo: int, hi: int) -> _Hit | None:
    """The trigger that types `fig` (see the module docstring)."""
    hits = ctx.hits(si)
    if hits:
        s0, s1 = ctx.spans[si]
        # ctx.figs is sorted by start: bisect, not a scan of every amount of the page
        window = ctx.figs[bisect_left(ctx.money_starts, s0) : bisect_left(ctx.money_starts, s1)]
        others = [f for f in window if f is not fig]

        def score(h: _Hit) -> tuple[float, int]:
            d = _distance(h, fig.start, fig.end)
            if h.start >= fig.end:
                words = ctx.text[fig.end : h.start].split()
                if len(words) <= 1 and not any(w.casefold() in ctx.lex.stop for w in words):
                    d = (h.start - fig.end) / 2  # "$350-million equity offering", "£4bn project"
            if h.end <= lo or h.start >= hi:
                d += 40  # across another amount of the same sentence
            own = _gap(h, fig.start, fig.end)
            after_break = h.start >= fig.end and re.search(r"[,;()]", ctx.text[fig.end : h.start])
            if any(_gap(h, o.start, o.end) < own for o in others) or (
                after_break
                and any(
                    o.start >= h.end and not re.search(r"[,;()]", ctx.text[h.end : o.start])
                    for o in others
                )
            ):
                d += 100  # another amount is this trigger's own
            if h.start >= fig.end and re.search(r"[,;()]", ctx.text[fig.end : h.start]):
                d += 40  # after the amount and in another clause
            return d, h.start

        best = min(hits, key=score)
        if ctx.dl.weak.fullmatch(best.text):
            # "Orion's last big purchase, of Baltic Feeder Co., cost 820 million": a verb
            # of price ("cost", "coûter") tells the price of its subject's deal.
            stronger = [
                h
                for h in hits
                if h.end <= best.start
                and h.end <= fig.start
                and best.start - h.end <= 40
                and h.kind not in ("other", "contract")
                and not ctx.dl.weak.fullmatch(h.text)
                and not _AND_BREAK.search(ctx.text, h.end, best.start)
            ]
            if stronger:
                best = stronger[-1]
        return best
    prev = ctx.previous(si, fig)
    if prev is not None:
        hits = [h for h in ctx.hits(prev) if h.kind not in ATTRIBUTE_TYPES and h.kind != "contract"]
        if hits:
            return hits[-1]
    return None


_AND_BREAK = re.compile(r"[;:]|\s(?:et|and|y|e|und|mais|but|pero|mas|aber)\s", re.IGNORECASE)


def _is_small(fig: Figure) -> bool:
    vals = [v for v in (fig.value, fig.min, fig.max) if v is not None]
    return bool(vals) and max(vals) < SMALL_AMOUNT


def _status(ctx: _Context, fig: Figure, si: int) -> str:
    hits = ctx.status_hits(si)
    if any(h.kind == "denied" for h in hits):
        return "denied"
    if hits:
        return min(hits, key=lambda h: (_distance(h, fig.start, fig.end), h.start)).kind
    return "estimated" if fig.qualifier == "estimated" else "announced"


# --------------------------------------------------------------------------- roles


def _subject(ctx: _Context, lo: int, hi: int, typ: str) -> Mention | None:
    """Nearest usable name in subject position in [lo, hi)."""
    cands = [m for m in ctx.between(lo, hi) if ctx.role(m)[0] == "core" and ctx.usable(m, typ)]
    orgs = [m for m in cands if m.kind in ("org", "fund")]
    pool = orgs or cands
    return pool[-1] if pool else None


def _first_subject(ctx: _Context, si: int, typ: str) -> Mention | None:
    s0, s1 = ctx.spans[si]
    ms = [m for m in ctx.between(s0, s1) if m.kind in ("org", "fund") and ctx.usable(m, typ)]
    core = [m for m in ms if ctx.role(m)[0] == "core"]
    return core[0] if core else None


def _fallback_actor(ctx: _Context, si: int, fig: Figure, typ: str) -> Mention | None:
    prev = ctx.previous(si, fig)
    if prev is not None:
        m = _first_subject(ctx, prev, typ)
        if m is not None:
            return m
    return ctx.topic


def _marked(
    ctx: _Context, rx: re.Pattern[str], lo: int, hi: int, typ: str, skip: str | None
) -> Mention | None:
    """First usable name in [lo, hi) right after a phrase of `rx` ("led by", "avec")."""
    for m in ctx.between(lo, hi):
        if m.canonical == skip or not ctx.usable(m, typ):
            continue
        if rx.search(ctx.text, max(lo, m.start - 60), m.start):
            return m
    return None


def _attached(ctx: _Context, trig: _Hit, s0: int, s1: int, typ: str) -> Mention | None:
    """The owner of a valuation or result named against the trigger: "valorisation d'OpenAI"."""
    for m in ctx.between(trig.end, min(s1, trig.end + 60)):
        if _ATTACHED_AFTER.match(ctx.text, trig.end, m.start) and m.kind in ("org", "fund"):
            return m
        break
    before = ctx.between(max(s0, trig.start - 40), trig.start)
    if before:
        m = before[-1]
        if (
            _ATTACHED_BEFORE.match(ctx.text[m.end : trig.start])
            and m.kind in ("org", "fund")
            and ctx.usable(m, typ)
        ):
            return m
    return None


def _stake_holding(ctx: _Context, lo: int, hi: int, skip: str | None) -> Mention | None:
    """A company named as a holding: "sa participation dans Arm Holdings"."""
    for m in ctx.between(lo, hi):
        if m.canonical != skip and _STAKE.search(ctx.text, max(lo, m.start - 40), m.start):
            return m
    return None


def _right_of(
    ctx: _Context,
    trig: _Hit | None,
    fig: Figure,
    lo: int,
    hi: int,
    s0: int,
    s1: int,
    typ: str,
    skip: str | None,
    beneficiary: bool = False,
) -> Mention | None:
    """The name the trigger acts on: between trigger and amount, else after the amount.

    With `beneficiary`, only a name behind "à", "dans", "pour", "to", "into", "en faveur
    de" counts: the one money goes to ("un prêt ... à X", "investit ... dans Y").
    """

    def ok(m: Mention, direct: bool = False) -> bool:
        if m.canonical == skip or m.kind == "person" or not ctx.usable(m, typ):
            return False
        if beneficiary:
            role, word = ctx.role(m)
            return (
                (role == "oblique" and word in _BENEFICIARY)
                or (direct and role == "core")  # "will lend Albion Direct €25M"
                or bool(_FAVOUR.search(ctx.text, max(s0, m.start - 40), m.start))
            )
        return True

    if trig is not None and trig.end <= fig.start:
        mid = [m for m in ctx.between(max(lo, trig.end), fig.start) if ok(m, direct=True)]
        if mid:
            return mid[-1]
    start = max(fig.end, trig.end if trig is not None else fig.end)
    after = [m for m in ctx.between(start, min(hi, s1)) if ok(m)]
    return after[0] if after else None


_CLAUSE_START = re.compile(r"[,;()]|\s(?:and|et|y|e|und|ainsi\s+que|as\s+well\s+as)\s")


def _clause_start(ctx: _Context, lo: int, pos: int) -> int:
    """Start of the clause that holds `pos`: after the last comma or "and"/"et" in [lo, pos)."""
    last = lo
    for m in _CLAUSE_START.finditer(ctx.text, lo, pos):
        last = m.end()
    return last


_CLAUSE_BREAK = re.compile(
    r"[;()]|,\s*(?:et|and|ou|or|mais|but|tandis|while|whereas|alors|dont|qui|which|who|soit|y|e|und|aber|"
    r"pero|mas|ainsi|as\s+well)\b"
)


def _clause_end(ctx: _Context, pos: int, hi: int) -> int:
    """End of the clause that starts at `pos`: a comma before a participle continues it
    ("30 M$, menée par X"), one before "et"/"and"/"qui" does not."""
    m = _CLAUSE_BREAK.search(ctx.text, pos, hi)
    return m.start() if m else hi


def _near_marked(
    ctx: _Context,
    rx: re.Pattern[str],
    trig: _Hit | None,
    fig: Figure,
    lo: int,
    hi: int,
    typ: str,
    skip: str | None,
) -> Mention | None:
    """A giver or investor of this amount: marked by `rx` between its trigger and the
    amount, or after the amount within its clause ("un prêt de 150 M€, et un pool mené
    par X pour 1,1 Md" gives X to the second amount only)."""
    left = max(lo, trig.end) if trig is not None and trig.end <= fig.start else fig.start
    m = _marked(ctx, rx, left, fig.start, typ, skip) if left < fig.start else None
    return m or _marked(ctx, rx, fig.end, _clause_end(ctx, fig.end, hi), typ, skip)


def _subject_any(ctx: _Context, lo: int, hi: int, typ: str) -> Mention | None:
    """Nearest usable organisation left of `hi`, whatever its role ("Les analystes de
    Sigma Bourse estiment ...") : owners of results and estimates only."""
    ms = [
        m
        for m in ctx.between(lo, hi)
        if m.kind in ("org", "fund")
        and ctx.usable(m, typ)
        and (ctx.role(m)[0] == "core" or ctx.role(m)[1] in _GENITIVE)
    ]
    return ms[-1] if ms else None


def _anaphoric_owner(
    ctx: _Context, trig: _Hit | None, si: int, fig: Figure, typ: str
) -> Mention | None:
    """ "sa valorisation" / "cette valorisation": the owner named with the same kind of
    figure in the previous sentence ("La montée en puissance d'OpenAI ... sa valorisation")."""
    if trig is None or not _has_possessive(ctx, trig):
        return None
    prev = ctx.previous(si, fig)
    if prev is None:
        return None
    p0, p1 = ctx.spans[prev]
    for h in ctx.hits(prev):
        if h.kind == trig.kind:
            return _attached(ctx, h, p0, p1, typ) or _subject_any(ctx, p0, h.start, typ)
    return None


def _has_possessive(ctx: _Context, trig: _Hit) -> bool:
    words = re.findall(r"[\w'’]+", ctx.text[max(0, trig.start - 20) : trig.start])
    return bool(words) and words[-1].casefold() in ctx.lex.possessives


def _roles(ctx: _Context, cls: str, trig: _Hit | None, fig: Figure, si: int, lo: int, hi: int):
    """(actor, counterpart) mentions for one amount: see the module docstring."""
    actor, cp = _parties(ctx, cls, trig, fig, si, lo, hi)
    if cp is None and actor is not None and cls == "investment":
        # "Kingsbridge's owners, a consortium led by Northern Shield, injected £300
        # million": an investor other than the page's company, in a sentence that names
        # that company, invests in it.
        t = ctx.topic
        s0, s1 = ctx.spans[si]
        if (
            t is not None
            and t.canonical != actor.canonical
            and any(m.canonical == t.canonical for m in ctx.between(s0, s1))
        ):
            cp = t
    return actor, cp


def _parties(ctx: _Context, cls: str, trig: _Hit | None, fig: Figure, si: int, lo: int, hi: int):
    typ = "other" if cls == "contract" else cls
    s0, s1 = ctx.spans[si]
    in_sentence = trig is not None and s0 <= trig.start < s1
    if (
        trig is not None
        and not in_sentence
        and typ in ("acquisition", "stake_sale", "fundraising", "loan", "fine")
        and not any(m.kind in ("org", "fund") for m in ctx.between(s0, s1))
    ):
        # "Zugleich verkauft der Konzern seine Sparte an Lakeshore Partners. Der Kaufpreis
        # soll bei 650 Millionen Euro liegen.": a sentence that only gives the price of
        # the previous sentence's deal has that deal's parties.
        psi = ctx.sentence(trig.start)
        p0, p1 = ctx.spans[psi]
        return _parties(ctx, cls, trig, replace(fig, start=p1, end=p1), psi, p0, p1)
    anchor = trig.start if in_sentence else fig.start
    subj = None
    if lo > s0:
        # "Québec apportera un prêt de 500 M$ et Ottawa une subvention de 300 M$": after
        # an earlier amount, a coordinated name starts this amount's clause.
        own = [
            m
            for m in ctx.between(lo, min(anchor, fig.start) if anchor > lo else fig.start)
            if ctx.role(m)[0] in ("core", "coord") and ctx.usable(m, typ)
        ]
        subj = own[-1] if own else None
    subj = (
        subj
        or _subject(ctx, s0, anchor, typ)
        or (_subject(ctx, s0, fig.start, typ) if anchor > fig.start else None)
    )
    if subj is None and in_sentence and ctx.lex.subject_after_verb:
        # German: "Zugleich verkauft der Konzern seine Sparte an X" has its subject
        # right after the verb.
        after = ctx.between(trig.end, min(s1, trig.end + 40))  # type: ignore[union-attr]
        if after and ctx.role(after[0])[0] == "core" and ctx.usable(after[0], typ):
            subj = after[0]
    receive = subj is not None and bool(
        ctx.dl.receive.search(
            ctx.text[subj.end : max(subj.end, (trig.end + 12) if in_sentence else fig.start)]
        )
    )
    tr = trig if in_sentence else None
    if typ in ATTRIBUTE_TYPES:
        owner = _attached(ctx, trig, s0, s1, typ) if in_sentence else None
        if (
            owner is None
            and subj is None
            and typ == "other"
            and ctx.dl.receive.search(ctx.text, s0, min(anchor, fig.start))
            and not ctx.between(s0, fig.start)
        ):
            # "Die Gründer erhalten eine Zahlung von bis zu CHF 150 Millionen": unnamed
            # receivers; the figure is the payer's, the page's company unless named.
            giver = _near_marked(ctx, ctx.dl.giver, tr, fig, lo, hi, typ, None)
            return giver or ctx.topic, None
        owner = (
            owner or subj or _frame_owner(ctx, s0, fig) or _anaphoric_owner(ctx, tr, si, fig, typ)
        )
        owner = (
            owner
            or _subject_any(ctx, s0, anchor, typ)
            or (_source_owner(ctx, s0, s1) if cls == "other" else None)
            or _fallback_actor(ctx, si, fig, typ)
        )
        cp = None
        if typ == "other" and receive and subj is not None and owner is subj:
            # "L'État ... a perçu 8,5 milliards de redevances"; "X percevra en outre une
            # prime": the giver named, else the one X last received from, else the topic
            giver = _near_marked(ctx, ctx.dl.giver, tr, fig, lo, hi, typ, subj.canonical)
            owner, cp = giver or ctx.last_giver.get(subj.canonical) or ctx.topic, subj
        elif cls == "contract" and trig is not None:
            cp = _right_of(ctx, trig, fig, lo, hi, s0, s1, typ, owner.canonical if owner else None)
        return owner, cp
    if typ == "fundraising":
        actor = subj or _fallback_actor(ctx, si, fig, typ)
        name = actor.canonical if actor else None
        investor = _near_marked(ctx, ctx.dl.investor, tr, fig, lo, hi, typ, name)
        return actor, investor or _next_subscriber(ctx, si, fig, name)
    giver = _near_marked(ctx, ctx.dl.giver, tr, fig, lo, hi, typ, subj.canonical if subj else None)
    if giver is None and tr is not None and typ in ("loan", "financing", "fine"):
        giver = _public_giver(ctx, tr, lo, fig, typ)
        if giver is not None and subj is not None and subj.canonical == giver.canonical:
            subj = None
    if typ == "acquisition":
        if giver is not None and _passive(ctx, trig):
            return giver, subj or _right_of(ctx, tr, fig, lo, hi, s0, s1, typ, giver.canonical)
        actor = subj or _fallback_actor(ctx, si, fig, typ)
        return actor, _right_of(
            ctx, tr, fig, lo, hi, s0, s1, typ, actor.canonical if actor else None
        )
    if typ == "stake_sale":
        actor = subj or _fallback_actor(ctx, si, fig, typ)
        name = actor.canonical if actor else None
        return actor, _right_of(ctx, tr, fig, lo, hi, s0, s1, typ, name) or _stake_holding(
            ctx, s0, s1, name
        )
    if typ == "project_cost":
        p0, p1 = s0, s1
        actor = subj
        prev = ctx.previous(si, fig)
        if actor is None and prev is not None:
            # "Le projet, piloté par X et Y, ... . Le coût total s'élève à ...": the sponsor
            # named with "piloté par"/"led by" in the previous sentence.
            p0, p1 = ctx.spans[prev]
            actor = _marked(ctx, ctx.dl.giver, p0, p1, typ, None)
        if actor is None:
            p0, p1 = s0, s1
            actor = _fallback_actor(ctx, si, fig, typ)
        partner = None
        if actor is not None:
            partner = _marked(ctx, ctx.dl.partner, max(p0, actor.end), p1, typ, actor.canonical)
        return actor, partner
    if typ in ("loan", "fine", "financing", "investment"):
        if giver is not None or receive:
            # The subject receives: "X a obtenu un prêt ... auprès de Y", "X was fined ... by Y".
            actor = giver if giver is not None else None
            cp = (
                subj
                if subj is not None and (actor is None or subj.canonical != actor.canonical)
                else None
            )
            if actor is None and typ in ("financing", "investment") and not receive:
                actor, cp = subj, None
            if (
                cp is None
                and typ in ("loan", "fine", "financing")
                and ctx.topic is not None
                and (actor is None or ctx.topic.canonical != actor.canonical)
            ):
                cp = ctx.topic
            return _bank_lender(ctx, typ, actor, cp, _clause_start(ctx, lo, fig.start), hi)
        actor = subj
        if actor is None and typ in ("financing", "investment"):
            actor = _fallback_actor(ctx, si, fig, typ)
        name = actor.canonical if actor else None
        cp = _right_of(ctx, tr, fig, lo, hi, s0, s1, typ, name, beneficiary=True)
        if cp is None and typ in ("loan", "financing"):
            prev = ctx.previous(si, fig)
            cp = _stake_holding(ctx, s0, s1, name) or (
                _stake_holding(ctx, *ctx.spans[prev], name) if prev is not None else None
            )
        if (
            cp is None
            and (typ in ("loan", "fine") or (typ == "financing" and actor and is_public(name)))
            and ctx.topic is not None
            and ctx.topic.canonical != name
        ):
            cp = ctx.topic  # "Ottawa une subvention de 300 M$": for the page's company
        return _bank_lender(ctx, typ, actor, cp, lo, hi)
    actor = subj or _fallback_actor(ctx, si, fig, typ)
    return actor, None


def _public_giver(ctx: _Context, trig: _Hit, lo: int, fig: Figure, typ: str) -> Mention | None:
    """A public body (or, for a loan, a bank) that gives: attached to the trigger ("une
    subvention de l'État") or the nearest name of the trigger's clause ("with the
    government contributing a subsidy")."""
    s0, s1 = ctx.spans[ctx.sentence(trig.start)]
    nxt = ctx.between(trig.end, min(s1, trig.end + 40))
    if nxt and _GENITIVE_GAP.fullmatch(ctx.text, trig.end, nxt[0].start):
        m = nxt[0]
        if m.kind == "org" and (
            is_public(m.canonical) or (typ == "loan" and _BANKISH.search(m.canonical))
        ):
            return m
    before = ctx.between(_clause_start(ctx, max(lo, s0), trig.start), trig.start)
    if before:
        m = before[-1]
        if m.kind == "org" and is_public(m.canonical) and ctx.role(m)[0] == "oblique":
            return m  # a subject is found by `_subject`; this is "with the government"
    return None


_GENITIVE_GAP = re.compile(
    r"\s*(?:de|du|des|d['’]|of|from|del|do|da|dos|das|von|der)?\s*"
    r"(?:l['’]|(?:la|le|les|the|el|los|las|o|a|os|as|der|die|das|dem|den)\s+)?",
    re.IGNORECASE,
)


def _frame_owner(ctx: _Context, s0: int, fig: Figure) -> Mention | None:
    """ "Pour l'État, les recettes attendues ...": a name framed at the sentence start."""
    for m in ctx.between(s0, min(fig.start, s0 + 60)):
        role, word = ctx.role(m)
        if (
            role == "oblique"
            and word in _FRAME
            and m.kind in ("org", "fund")
            and m.start - s0 <= 12  # "Pour l'État," opens the sentence
            and ctx.text[m.end : m.end + 2].lstrip(" ").startswith(",")
        ):
            return m
        break
    return None


_FRAME = frozenset({"pour", "for", "para", "für"})


def _source_owner(ctx: _Context, s0: int, s1: int) -> Mention | None:
    """ "Selon Bruxelles, la pratique aurait coûté ... 400 millions": an estimate whose only
    named party is its source is that source's figure (as "les analystes de Sigma
    Bourse estiment les synergies à 90 MDH" is Sigma Bourse's)."""
    ms = [m for m in ctx.between(s0, s1) if m.kind in ("org", "fund")]
    if ms and all(ctx.role(m)[0] == "source" for m in ms):
        return ms[0]
    return None


def _next_subscriber(ctx: _Context, si: int, fig: Figure, skip: str | None) -> Mention | None:
    """The investor of a raise named in the next sentence ("El fondo Mirador Capital, su
    primer accionista, suscribirá al menos el 40 % de la emisión")."""
    if ctx.in_title(fig.start, fig.end) or si + 1 >= len(ctx.spans):
        return None
    n0, n1 = ctx.spans[si + 1]
    cue = ctx.dl.subscribe.search(ctx.text, n0, n1)
    if cue is None or any(n0 <= f.start < cue.start() for f in ctx.figs):
        return None
    for m in ctx.between(n0, cue.start()):
        if m.kind in ("org", "fund") and m.canonical != skip and ctx.role(m)[0] == "core":
            return m
    return None


def _passive(ctx: _Context, trig: _Hit | None) -> bool:
    if trig is None:
        return False
    before = ctx.text[max(0, trig.start - 25) : trig.start].casefold()
    return bool(
        re.search(r"\b(?:été|est|sont|was|were|been|being|is|are|fue|foi|wurde|par)\s+$", before)
    ) or (
        trig.text.casefold().startswith(
            ("rachat", "acquisition", "takeover", "purchase", "reprise")
        )
    )


def _bank_lender(
    ctx: _Context, typ: str, lender: Mention | None, borrower: Mention | None, s0: int, s1: int
):
    """A loan's lender is the bank of the sentence when the text does not say otherwise."""
    if typ == "loan" and (lender is None or not _BANKISH.search(lender.canonical)):
        banks = [
            m
            for m in ctx.between(s0, s1)
            if m.kind == "org"
            and _BANKISH.search(m.canonical)
            and (borrower is None or m.canonical != borrower.canonical)
            and ctx.usable(m, typ)
        ]
        if banks and (
            lender is None or (borrower is not None and _BANKISH.search(borrower.canonical))
        ):
            if (
                lender is not None
                and borrower is not None
                and lender.canonical != banks[0].canonical
            ):
                borrower = lender if _BANKISH.search(borrower.canonical) else borrower
            lender = banks[0]
    if lender is not None and borrower is not None and lender.canonical == borrower.canonical:
        borrower = None
    if (
        typ == "loan"
        and lender is not None
        and borrower is not None
        and _BANKISH.search(borrower.canonical)
        and _BANKISH.search(lender.canonical)
    ):
        # two banks: the other one is a co-lender; the borrower is the page's company
        t = ctx.topic
        borrower = t if t is not None and not _BANKISH.search(t.canonical) else None
    return lender, borrower


# --------------------------------------------------------------------------- entry point


def find_deals(
    text: str,
    lang: str,
    money: list[Figure],
    mentions: list[Mention],
    *,
    title_span: tuple[int, int] | None = None,
    doc_id: str = "",
) -> list[Deal]:
    """One `Deal` per money figure of `money` (other kinds are ignored), in text order.

    `mentions` come from `entities.find_mentions` on the same `text`; `title_span` is the
    title's (start, end) in `text`, so its amounts can be matched with the body's;
    `doc_id` goes into `event_id` so events of different pages never collide.
    """
    figs = sorted((f for f in money if f.kind == "money"), key=lambda f: f.start)
    if not figs:
        return []
    ctx = _Context(text, lang, figs, mentions, title_span)
    deals: list[Deal] = []
    for k, fig in enumerate(figs):
        si = ctx.sentence(fig.start)
        s0, s1 = ctx.spans[si]
        # [lo, hi): this amount's stretch of the sentence, between its neighbours
        lo = s0
        for j in range(k - 1, -1, -1):
            f = figs[j]
            if s0 < f.end <= fig.start and f.end > lo:
                lo = f.end
            if f.start < s0 - 300:  # no amount is that long: none earlier reaches s0
                break
        hi = figs[k + 1].start if k + 1 < len(figs) and figs[k + 1].start < s1 else s1
        status = _status(ctx, fig, si)
        small = _is_small(fig) or bool(ctx.dl.per_unit.match(text, fig.end))
        prev_deal = deals[-1] if deals else None
        link = _link(ctx, prev_deal.figure, fig, si) if prev_deal is not None else None
        if prev_deal is not None and link is not None and not small:
            # Same event in another currency, a restatement ("soit ...") or the same
            # measure at another date ("contre 4 milliards un an plus tôt").
            typ = "other" if small else prev_deal.event_type
            deals.append(
                Deal(
                    "",
                    typ,
                    prev_deal.status if link == "conversion" else status,
                    prev_deal.actor,
                    prev_deal.actor_kind,
                    prev_deal.counterpart,
                    prev_deal.counterpart_kind,
                    fig,
                    ctx.in_title(fig.start, fig.end),
                    prev_deal.trigger,
                )
            )
            continue
        trig = _trigger(ctx, fig, si, lo, hi)
        cls = trig.kind if trig is not None else "other"
        if small:
            cls = "other"
            if trig is not None and trig.kind not in ("other", "contract"):
                trig = None
        actor, counterpart = _roles(ctx, cls, trig, fig, si, lo, hi)
        if ctx.market_level(si):
            # "Global container trade is worth an estimated $1.2 trillion": no party
            actor = counterpart = None
            if cls in _MARKET_TYPES:
                cls = "other"
        if (
            counterpart is None
            and cls in ("loan", "financing")
            and prev_deal is not None
            and prev_deal.actor is not None
            and (actor is None or actor.canonical != prev_deal.actor)
            and _PART_OF.match(text, prev_deal.figure.end, fig.start)
        ):
            # "Le coût total s'élève à 4,8 milliards, dont 1,2 milliard financé par un
            # consortium de banques": the part is lent to the owner of the whole.
            counterpart = _named(ctx, prev_deal.actor)
        if (
            actor is not None
            and counterpart is not None
            and actor.canonical == counterpart.canonical
        ):
            counterpart = None
        if actor is not None and counterpart is not None:
            ctx.last_giver[counterpart.canonical] = actor
        deals.append(
            Deal(
                event_id="",
                event_type="other" if cls == "contract" else cls,
                status=status,
                actor=actor.canonical if actor else None,
                actor_kind=actor.kind if actor else None,
                counterpart=counterpart.canonical if counterpart else None,
                counterpart_kind=counterpart.kind if counterpart else None,
                figure=fig,
                in_title=ctx.in_title(fig.start, fig.end),
                trigger=trig.text if trig else None,
            )
        )
    _merge_title(deals)
    for d in deals:
        d.event_id = event_id(doc_id, d)
    return deals


_PART_OF = re.compile(
    r"[\s,;(]*(?:dont|of\s+which|including|davon|de\s+(?:los|las)\s+cuales|dos\s+quais|das\s+quais)\b",
    re.IGNORECASE,
)


def _named(ctx: _Context, canonical: str) -> Mention | None:
    return next((m for m in ctx.mentions if m.canonical == canonical), None)


def _link(ctx: _Context, prev: Figure, fig: Figure, si: int) -> str | None:
    """How `fig` relates to the amount before it, if it restates it.

    "conversion": the same amount in another currency ("45 milliards de FCFA (environ
    68,6 millions d'euros)", "Le montant équivaut à quelque 520 milliards de yens");
    "restatement": ", soit une enveloppe de 610 millions"; "comparison": the same
    measure at another time ("5 milliards ..., contre 4 milliards un an plus tôt").
    """
    if prev.end > fig.start:
        return None
    gap = ctx.text[prev.end : fig.start]
    if len(gap) <= 60 and "\n" not in gap and _RESTATE_GAP.match(gap):
        return "restatement"
    if len(gap) <= 40 and "\n" not in gap and _COMPARE_GAP.match(gap):
        return "comparison"
    if not prev.currency or not fig.currency or prev.currency == fig.currency:
        return None
    if len(gap) <= 30 and _CONVERSION_GAP.match(gap):
        return "conversion"
    s0, _ = ctx.spans[si]
    if ctx.sentence(prev.start) in (si, si - 1) and _EQUIVALENT.search(
        ctx.text, max(s0, prev.end), fig.start
    ):
        return "conversion"
    return None


def event_id(doc_id: str, deal: Deal) -> str:
    """Stable id of the event: the same deal mentioned twice on a page gets one id."""
    v = deal.value
    value = "" if v is None else f"{v:.6g}"
    return stable_id(
        doc_id, deal.event_type, deal.actor, deal.counterpart, value, deal.figure.currency
    )


def _same_amount(a: Deal, b: Deal) -> bool:
    fa, fb = a.figure, b.figure
    return (fa.value, fa.min, fa.max) == (fb.value, fb.min, fb.max) and fa.currency == fb.currency


def _merge_title(deals: list[Deal]) -> None:
    """Give a title amount the reading of the body amount of the same deal.

    Same value and currency, and actors that agree (or one unknown): the body sentence
    has more context, so its type, actor and counterpart win; the title fills what the
    body misses. Then both have the same `event_id`.
    """
    body = [d for d in deals if not d.in_title]
    for t in (d for d in deals if d.in_title):
        for b in body:
            if not _same_amount(t, b) or (t.actor and b.actor and t.actor != b.actor):
                continue
            if b.event_type == "other" and t.event_type != "other":
                b.event_type = t.event_type
            if b.actor is None:
                b.actor, b.actor_kind = t.actor, t.actor_kind
            if b.counterpart is None:
                b.counterpart, b.counterpart_kind = t.counterpart, t.counterpart_kind
            t.event_type, t.actor, t.actor_kind = b.event_type, b.actor, b.actor_kind
            t.counterpart, t.counterpart_kind = b.counterpart, b.counterpart_kind
            break


def unique_events(deals: Sequence[Deal]) -> list[Deal]:
    """One deal per `event_id` (the first body mention, else the title): `fact_deal` rows."""
    best: dict[str, Deal] = {}
    for d in deals:
        cur = best.get(d.event_id)
        if cur is None or (cur.in_title and not d.in_title):
            best[d.event_id] = d
    return sorted(best.values(), key=lambda d: d.start)
