"""Trigger cues of each language compiled into one scanner: literal prefixes narrow the
text before the regular expressions run, so typing stays cheap on long pages.

The cue words are data (transforms/languages/<lang>/mention_cues.txt, `[type:...]`
sections); this module only compiles them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from transforms import languages
from transforms.deals.vocabulary import _CLASSES, STATUSES
from transforms.mentions.lexicon import LANGS, _alternation, lexicon, parse_cues

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
    sec = dict(lexicon(lang).sections) if lang in LANGS else {}
    if (languages.ROOT / lang / "deal_cues.txt").is_file():
        # a language without mention cues (Arabic: no capitals) has its deal cues apart
        sec.update(parse_cues(languages.read_text(lang, "deal_cues.txt")))
    # One scan for every class: alternatives longest first, so at one position the most
    # specific trigger wins ("budget d'investissement" is a budget, "dette comprise" is
    # ignored before "dette" is seen).
    pats = [(p, c) for c in _CLASSES for p in sec.get(f"type:{c}", [])]
    for p, c in pats:
        if re.compile(p).groups:
            raise ValueError(f"{lang}/mention_cues.txt [type:{c}] {p!r}: use (?:...), not capturing groups")
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


_DEAL_LEX = {lang: _build(lang) for lang in (*LANGS, *languages.having("deal_cues.txt"))}


def _deal_lexicon(lang: str) -> _DealLexicon:
    return _DEAL_LEX.get((lang or "en")[:2].lower(), _DEAL_LEX["en"])
