"""A deal the page tells twice: the same sum, by the same party, in other words.

Why: news repeats its main figure. The lead says "un prêt conditionnel de 200 millions
de dollars au Cirque du Soleil", the quote below "une aide financière de jusqu'à 200
millions de dollars pour la relance du cirque": one loan, not a loan and a grant of
the same size. Funding words (loan, financing, investment) are loose synonyms in
journalism, so an amount equal to an earlier one of the page (same value, same
currency, at least a million), with the same actor or none, and typed with a vaguer
funding word, takes the earlier event's type and, when it has none, its counterpart.
"""

from __future__ import annotations

from transforms.contract.figure import Figure
from transforms.deals.vocabulary import Deal

# funding words, the more specific first: a "prêt" told again as an "aide financière"
# stays a loan; a financing told again as a loan does not turn the loan back
_SPECIFIC = {"loan": 2, "investment": 1, "financing": 0}
# types whose repeated sum is the same deal told again
_DEAL_TYPES = frozenset({"acquisition", "stake_sale", "investment", "fundraising", "loan", "financing", "fine"})
_MIN_VALUE = 1_000_000  # small sums repeat by chance (prices, fees)


def repeated_deal(deals: list[Deal], fig: Figure, cls: str, actor: str | None) -> Deal | None:
    """The earlier funding event this amount repeats in other words, or None."""
    if cls not in _SPECIFIC or fig.currency is None:
        return None
    value = fig.value if fig.value is not None else fig.max
    if value is None or value < _MIN_VALUE:
        return None
    for d in deals[-200:]:  # bounded: a page of thousands of amounts stays linear
        f = d.figure
        v = f.value if f.value is not None else f.max
        if (
            _SPECIFIC.get(d.event_type, -1) > _SPECIFIC[cls]
            and f.currency == fig.currency
            and v is not None
            and abs(v - value) <= value * 1e-9
            and (actor is None or d.actor == actor)
        ):
            return d
    return None


def same_deal(deals: list[Deal], fig: Figure, cls: str, actor: str | None) -> Deal | None:
    """ "Yahoo's $4.8 billion sale to Verizon ... the $4.8 billion will be paid to
    Yahoo": an earlier event of the same type, value, currency and actor that names a
    counterpart is this one, told again without it (deal types only: prices and
    results repeat by chance)."""
    if cls not in _DEAL_TYPES or fig.currency is None or actor is None:
        return None
    value = fig.value if fig.value is not None else fig.max
    if value is None or value < _MIN_VALUE:
        return None
    for d in deals[-200:]:
        f = d.figure
        v = f.value if f.value is not None else f.max
        if (
            d.event_type == cls
            and d.actor == actor
            and d.counterpart is not None
            and f.currency == fig.currency
            and v is not None
            and abs(v - value) <= value * 1e-9
        ):
            return d
    return None

