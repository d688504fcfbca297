"""Payments, public funding and budget owners: rules that re-read an amount's type or
parties once the usual roles are known.

- "X is to pay Fiat 1.55bn euros", "X paiera 2 M€ à Y": a payment verb governing the
  amount makes it X's payment to Y (`other`), whatever trigger the sentence has ("GM
  pays $2bn to evade Fiat buyout" is no acquisition); a penalty noun right after the
  amount keeps it a fine, the payee (the authority) as actor and the payer fined as
  counterpart. "a termination fee of $15 million payable to Verizon" names the payee.
- "add about $300 million in school funding": bare "funding" in a sentence about a
  state, schools or lawmakers, with no company raising it, is public spending (budget).
- A public budget the sentence gives no owner is the page's most named public body
  ("Indiana lawmakers", "le budget du Québec"), else a government the page names.

The words are data (languages/<lang>/words.toml: `payment_verbs`, `penalty_nouns`,
`public_context`, `budget_owner`, `not_budget_owners`, `legislature_verbs`,
`legislature_bodies`), read once at import.

- "aprobaron Q150 millones en el Congreso": a subsidy or public investment a legislature
  votes is a budget line of that public body.
"""

from __future__ import annotations

import re
from collections import Counter

from transforms import languages
from transforms.contract.figure import Figure
from transforms.deals.classify import _AND_BREAK
from transforms.deals.context import _Context, _Hit
from transforms.deals.roles import _subject
from transforms.mentions.descriptions import has_org_shape, is_public
from transforms.mentions.records import Mention

_PAYMENTS = {
    lang: (re.compile(pay, re.IGNORECASE), re.compile(pen, re.IGNORECASE))
    for lang, pay in languages.word_table("words.toml", "payment_verbs").items()
    for pen in [languages.word_table("words.toml", "penalty_nouns")[lang]]
}
_PAYEE_AFTER = re.compile(
    r"\s*(?:\([^()]{0,40}\)\s*)?(?:[^\W\d_][\w-]*\s+){0,3}?(?:to|à|au|aux|a|al|an|avec|with|con|com)\s+"
    r"(?:the\s+|l['’]|la\s+|le\s+|el\s+)?"
)
_PAYABLE = re.compile(
    r"\s*(?:\([^()]{0,40}\)\s*)?(?:payable|paid|owed|due|versés?|versées?|payables?|pagaderos?)\s+"
    r"(?:to|à|au|aux|a|al)\s+(?:the\s+|l['’]|la\s+|le\s+|el\s+)?",
    re.IGNORECASE,
)
# types a payment verb overrides: "GM pays $2bn to evade Fiat buyout" is no acquisition
_PAYMENT_OVERRIDES = frozenset({"acquisition", "stake_sale", "investment", "other", "contract", "fine"})


def _payable(
    ctx: _Context, fig: Figure, s0: int, s1: int, cls: str
) -> tuple[str, Mention | None, Mention | None] | None:
    """ "a termination fee of $15 million payable to Verizon": no payment verb before the
    amount, but a payee after it; the payer is the sentence's subject, else the page's."""
    m = _PAYABLE.match(ctx.text, fig.end, s1)
    if m is None or cls not in ("other", "contract"):
        return None
    nxt = ctx.between(m.end(), min(s1, m.end() + 60))
    if not nxt or nxt[0].start != m.end() or nxt[0].kind not in ("org", "fund"):
        return None
    payer = _subject(ctx, s0, fig.start, "other") or ctx.topic
    if payer is None or payer.canonical == nxt[0].canonical:
        return None
    return "other", payer, nxt[0]


def _payment(
    ctx: _Context, fig: Figure, si: int, lo: int, cls: str, trig: _Hit | None = None
) -> tuple[str, Mention | None, Mention | None] | None:
    """ "X is to pay Fiat 1.55bn euros", "X paiera 2 M€ à Y": (type, payer, payee) when a
    payment verb governs the amount, else None. With a penalty noun after the amount
    ("to pay a $1.5m fine") it stays a fine: the authority paid is the actor, the payer the
    party fined; so does a payment to a public authority on a page or in a sentence that
    speaks of a fine ("Monsanto fined ..." / "agreed to pay $1m to the Department of
    Justice"). A payment verb nearer the amount than the trigger word governs it whatever
    the trigger ("10 % du bénéfice net : L'Oréal va verser 320 millions au fisc")."""
    pats = _PAYMENTS.get(ctx.lex.lang)
    if pats is None:
        return None
    pay_re, penalty_re = pats
    s0, s1 = ctx.spans[si]
    win0 = max(lo, s0, fig.start - 45)
    verbs = list(pay_re.finditer(ctx.text, win0, fig.start))
    if cls not in _PAYMENT_OVERRIDES and not (
        verbs and trig is not None and verbs[-1].start() >= trig.end
    ):
        return None
    if not verbs:
        return _payable(ctx, fig, s0, s1, cls)
    v = verbs[-1]
    between = ctx.between(v.end(), fig.start)
    if len(between) > 1 or _AND_BREAK.search(ctx.text, v.end(), fig.start):
        return None
    payer = _subject(ctx, s0, v.start(), "other")
    payee = between[0] if between and between[0].kind in ("org", "fund") else None
    if payee is None:
        payee = _payee_after(ctx, fig, s1)
    if payer is None:
        return None  # "its U.S. unit agreed to pay": the usual rules find the party
    if penalty_re.search(ctx.text[fig.end : fig.end + 60]) or cls == "fine":
        return "fine", payee or _imposer_after(ctx, fig, s1, payer), payer
    if payee is not None and is_public(payee.canonical) and _fine_context(ctx, si):
        return "fine", payee, payer
    return "other", payer, payee


def _imposer_after(ctx: _Context, fig: Figure, s1: int, payer: Mention) -> Mention | None:
    """ "a $500 million fine imposed by the FTC", "une amende ... infligée par
    l'Autorité de la concurrence": the authority named after the penalty, behind a giver
    phrase of the language (mention_cues [giver]), within the amount's sentence."""
    for m in ctx.between(fig.end, min(s1, fig.end + 120)):
        if (
            m.kind in ("org", "fund")
            and m.canonical != payer.canonical
            and ctx.dl.giver.search(ctx.text, max(fig.end, m.start - 40), m.start)
        ):
            return m
    return None


def _payee_after(ctx: _Context, fig: Figure, s1: int) -> Mention | None:
    """The party right behind "to"/"à"/"with" after the amount; a government mention may
    hold its preposition ("au fisc français")."""
    m = _PAYEE_AFTER.match(ctx.text, fig.end, s1)
    if m is None:
        return None
    nxt = ctx.between(fig.end, min(s1, m.end() + 60))
    if nxt and fig.end <= nxt[0].start <= m.end() and nxt[0].kind in ("org", "fund"):
        return nxt[0]
    return None


_RECEIPTS = {
    lang: re.compile(rx + r"\s+(?:(?:a|an|some|about|around|nearly|almost|up\s+to|jusqu['’]à|près\s+de|environ|unos|cerca\s+de)\s+)?$", re.IGNORECASE)
    for lang, rx in languages.word_table("words.toml", "receipt_verbs").items()
}


def _receipt(
    ctx: _Context, fig: Figure, si: int, lo: int, cls: str
) -> tuple[str, Mention | None, Mention | None] | None:
    """ "Fiat is to get 1bn euros immediately", "Y touchera 2 M€": a receipt verb right
    before the amount makes the sentence's subject the payee (counterpart); the payer is
    whoever the page last showed paying that payee (its earlier payment), else unknown."""
    rx = _RECEIPTS.get(ctx.lex.lang)
    if rx is None or cls not in ("other", "contract"):
        return None
    s0, _s1 = ctx.spans[si]
    v = rx.search(ctx.text, max(lo, s0, fig.start - 40), fig.start)
    if v is None:
        return None
    payee = _subject(ctx, s0, v.start(), "other")
    if payee is None:
        return None
    payer = ctx.last_giver.get(payee.canonical)
    return "other", payer, payee


def _fine_context(ctx: _Context, si: int) -> bool:
    """Whether the amount's sentence or the page's title has a fine word."""
    sents = [si]
    if ctx.title_span is not None:
        sents.append(ctx.sentence(ctx.title_span[0]))
    return any(h.kind == "fine" for s in sents for h in ctx.hits(s))


_PUBLIC_CONTEXT = {
    lang: re.compile(rf"\b(?:{'|'.join(words)})\b", re.IGNORECASE)
    for lang, words in languages.word_table("words.toml", "public_context").items()
}
_BARE_FUNDING = re.compile(r"(?:total\s+)?funding|financement|financiación|financiamento", re.IGNORECASE)


def _public_funding(ctx: _Context, trig: _Hit | None, si: int, actor: Mention | None) -> bool:
    """ "add about $300 million in school funding": bare "funding" in a sentence about a
    state, schools or lawmakers, with no company raising it, is public spending (budget)."""
    if trig is None or not _BARE_FUNDING.fullmatch(trig.text):
        return False
    if (
        actor is not None
        and actor.kind in ("org", "fund")
        and not is_public(actor.canonical)
        and has_org_shape(actor.canonical)
    ):
        return False
    rx = _PUBLIC_CONTEXT.get(ctx.lex.lang)
    s0, s1 = ctx.spans[si]
    return rx is not None and bool(rx.search(ctx.text, s0, s1))


_LEGISLATURE = {
    lang: (re.compile(verbs, re.IGNORECASE), re.compile(bodies))
    for lang, verbs in languages.word_table("words.toml", "legislature_verbs").items()
    for bodies in [languages.word_table("words.toml", "legislature_bodies")[lang]]
}
# types a vote re-reads: a subsidy or public investment voted is a budget line; a
# capital increase voted by shareholders stays a raise
_VOTED_TYPES = frozenset({"financing", "investment"})


def _voted(ctx: _Context, cls: str, si: int) -> bool:
    """ "Para el subsidio al propano aprobaron Q150 millones en el Congreso": an amount a
    legislature votes (words.toml `legislature_verbs` and `legislature_bodies`, both in
    the amount's sentence) is public spending, a budget, not a subsidy paid out."""
    pats = _LEGISLATURE.get(ctx.lex.lang)
    if cls not in _VOTED_TYPES or pats is None:
        return False
    s0, s1 = ctx.spans[si]
    return bool(pats[0].search(ctx.text, s0, s1) and pats[1].search(ctx.text, s0, s1))


_SPEND = {
    lang: re.compile(p, re.IGNORECASE) for lang, p in languages.word_table("words.toml", "spend_words").items()
}


def _public_spending(ctx: _Context, cls: str, trig: _Hit | None, actor: Mention | None) -> bool:
    """ "The UK government will spend £2.5bn on new hospitals": a public body that spends
    carries out its budget; "spend" makes a company's money an investment only."""
    rx = _SPEND.get(ctx.lex.lang)
    return (
        cls == "investment"
        and rx is not None
        and trig is not None
        and actor is not None
        and is_public(actor.canonical)
        and bool(rx.fullmatch(trig.text))
    )


_BUDGET_OWNER_RES = {
    lang: re.compile(p) for lang, p in languages.word_table("words.toml", "budget_owner").items()
}
# parties and buildings: a public budget is the public body's
_NOT_OWNERS = languages.word_set("words.toml", "not_budget_owners")


def _budget_owner(ctx: _Context, public_too: bool = True) -> Mention | None:
    """ "Indiana lawmakers ... the state budget": a public budget the sentence gives no
    owner is the page's most named public body (words.toml `budget_owner`), a
    government the page names, else none."""
    if ctx.budget_owner is not None:
        return (ctx.budget_owner or None) if public_too or ctx.budget_named else None
    rx = _BUDGET_OWNER_RES.get(ctx.lex.lang)
    found: Counter[str] = Counter()
    first: dict[str, tuple[int, int]] = {}
    if rx is not None:
        for m in rx.finditer(ctx.text):
            name = m.group(1)
            if name.casefold() in ctx.lex.stop or name in _NOT_OWNERS:
                continue
            found[name] += 1
            first.setdefault(name, m.span(1))
    owner: Mention | None = None
    ctx.budget_named = False
    if found:
        ranked = found.most_common(2)
        name, n = ranked[0]
        if len(ranked) == 1 or n > ranked[1][1]:
            s, e = first[name]
            owner = Mention(name, s, e, "org", name, "alias")
            ctx.budget_named = True
    if owner is None:
        govs = [m for m in ctx.mentions if m.kind == "org" and is_public(m.canonical)]
        owner = govs[0] if govs else None
    ctx.budget_owner = owner or False
    return owner if public_too or ctx.budget_named else None
