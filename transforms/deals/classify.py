"""Event type and status of one money amount: the trigger nearest to it in its sentence,
small-amount and market-figure checks, and the status words around it.

The rules are spelt out in the docstring of transforms/deals/events.py ("the module
docstring" below).
"""

from __future__ import annotations

import re
from bisect import bisect_left

from transforms import languages
from transforms.contract.figure import Figure
from transforms.deals.context import _Context, _distance, _gap, _Hit
from transforms.deals.vocabulary import _GENITIVE, ATTRIBUTE_TYPES, SMALL_AMOUNT

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
                elif len(words) == 1 and h.kind in _RESULTS and words[0].casefold() in _LINKS:
                    d = (h.start - fig.end) / 2  # "614 millions de marge", "$2bn in revenue"
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
            # "the merger will cost it $1bn in one-off charges": a noun linked to the
            # amount by one preposition says what the price is of
            linked = [
                h
                for h in hits
                if h.start >= fig.end
                and not ctx.dl.weak.fullmatch(h.text)
                and len(words := ctx.text[fig.end : h.start].split()) == 1
                and words[0].casefold() in _LINKS
            ]
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
            if linked:
                best = linked[0]
            elif stronger:
                best = stronger[-1]
        return best
    prev = ctx.previous(si, fig)
    if prev is not None:
        # "La marge opérationnelle ... . Celle-ci est en forte hausse à 5,6 milliards":
        # a sentence opened by a pronoun is about the previous sentence's figure, so a
        # result word carries over too; otherwise only a deal word does.
        s0 = ctx.spans[si][0]
        first = _FIRST_WORD.match(ctx.text, s0)
        anaphoric = (
            first is not None
            and first.group(1) in _ANAPHORIC
            and bisect_left(ctx.money_starts, s0) == bisect_left(ctx.money_starts, fig.start)
        )  # only the sentence's first amount is the pronoun's figure
        hits = [
            h
            for h in ctx.hits(prev)
            if h.kind != "contract" and (anaphoric or h.kind not in ATTRIBUTE_TYPES)
        ]
        if hits:
            return hits[-1]
    return None


_ANAPHORIC = languages.word_set("words.toml", "pronouns") | languages.word_set("words.toml", "demonstratives")
_FIRST_WORD = re.compile(r"[\s\"'«“(]*([\w’'-]+)")


# A results noun linked to the amount by one preposition names what the amount is:
# "614 millions de marge opérationnelle", "$2bn in revenue", "1,2 millones en ventas".
_RESULTS = frozenset({"revenue", "profit", "loss"})
_LINKS = frozenset({*_GENITIVE, "in", "en"})

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


# "... $500 million toward regional grants and about $120 million to fill ...": the
# words between a list's previous item and this amount, when they end in a coordinator
# (and a hedge), close the previous item.
_COORD_TAIL = re.compile(
    r"(?:^|\s|,)\s*(?:and|et|y|e|und|ainsi\s+que|as\s+well\s+as|así\s+como)\s+"
    r"(?:(?:about|around|some|nearly|almost|roughly|another|environ|près\s+de|quelque|"
    r"unos|unas|cerca\s+de|rund|etwa|mais\s+de)\s+)?$",
    re.IGNORECASE,
)


def coordinated_type(ctx: _Context, prev_type: str | None, prev_end: int, fig: Figure, trig: _Hit | None) -> str | None:
    """The previous item's type for the next item of a list of amounts ("budget
    provisions such as $500 million toward grants and about $120 million to ..."): when
    the trigger found for this amount stands inside the previous item, after its amount
    and before the coordinator, it is that item's word, not this one's."""
    if prev_type is None or trig is None or not prev_end <= trig.start < fig.start:
        return None
    if ctx.sentence(prev_end) != ctx.sentence(fig.start) or re.search(r"[.;:]", ctx.text[prev_end : fig.start]):
        return None
    if not _COORD_TAIL.search(ctx.text, trig.end, fig.start):
        return None
    return prev_type
