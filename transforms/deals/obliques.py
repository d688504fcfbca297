"""Parties the sentence-local role rules miss.

Why: the role rules of roles.py read one clause around the trigger. News also puts the
party elsewhere: before the money noun ("verhängte gegen X ein Bußgeld von ...",
"impuso a X una multa de ..."), in the next sentence ("... to buy one of South Korea's
main banks. Standard Chartered said acquiring Korea First Bank ..."), in an earlier
payment that later amounts break down ("verser 320 millions au fisc ... la charge
s'élève à 47 millions pour Lancôme"), behind "with" after a contract's amount, or in a
product's name ("le Rivian R1T ... Le prix de ces deux modèles"). Each rule here is
narrow (bounded windows, one name, same payer) so that a wrong name stays rarer than a
missing one. Words are data: languages/<lang>/words.toml (`beneficiary`,
`contract_with`, `products`).
"""

from __future__ import annotations

import re

from transforms import languages
from transforms.contract.figure import Figure
from transforms.deals.context import _PRODUCT_NOUNS, _Context, _Hit
from transforms.deals.vocabulary import _BENEFICIARY, Deal
from transforms.mentions.governments import _COUNTRY_NAMES, _COUNTRY_RE, _GOV_NAMES
from transforms.mentions.records import Mention


def oblique_before_trigger(
    ctx: _Context,
    subj: Mention | None,
    trig: _Hit | None,
    fig: Figure,
    typ: str,
    skip: str | None,
) -> Mention | None:
    """The last usable name behind a beneficiary preposition between `subj` and the
    trigger (both in the amount's sentence, the trigger before the amount), or None."""
    if subj is None or trig is None or not (subj.end <= trig.start <= fig.start):
        return None
    found = None
    for m in ctx.between(subj.end, trig.start):
        if m.canonical == skip or m.kind == "person" or not ctx.usable(m, typ):
            continue
        if ctx.placeish(m):
            continue
        role, word = ctx.role(m)
        if role == "oblique" and word in _BENEFICIARY:
            found = m
    return found


def next_sentence_target(
    ctx: _Context, si: int, fig: Figure, trig: _Hit | None, typ: str, skip: str | None
) -> Mention | None:
    """ "X would spend $3.3bn to buy one of South Korea's main retail banks. X said
    acquiring Korea First Bank (KFB) fulfilled ...": a deal whose object is only
    described ("one of ... banks") names it in the next sentence, right after a trigger
    of the deal's type. Taken only when the amount's sentence names no other party, the
    next sentence has no amount of its own, and the name follows the trigger within a
    few words."""
    if trig is None or si + 1 >= len(ctx.spans) or ctx.in_title(fig.start, fig.end):
        return None
    s0, s1 = ctx.spans[si]
    if any(m.canonical != skip and m.kind in ("org", "fund") for m in ctx.between(s0, s1)):
        return None
    n0, n1 = ctx.spans[si + 1]
    if any(n0 <= f.start < n1 for f in ctx.figs):
        return None
    for h in ctx.hits(si + 1):
        if h.kind != typ:
            continue
        after = ctx.between(h.end, min(n1, h.end + 30))
        if (
            after
            and after[0].canonical != skip
            and ctx.usable(after[0], typ)
            and ctx.text[h.end : after[0].start].strip().count(" ") <= 2
        ):
            return after[0]
    return None


def continued_payee(
    ctx: _Context,
    deals: list[Deal],
    fig: Figure,
    si: int,
    cls: str,
    trig: _Hit | None,
    actor: Mention | None,
) -> str | None:
    """ "L'Oréal va verser 320 millions d'euros au fisc ... Dans le détail, la charge
    s'élève à 47 millions d'euros pour Lancôme ...": an amount with no deal word of its
    own, after a payment of the same payer to a named party, is a part or a sum of that
    payment and goes to the same party. Only for `other` (payments), when the payer is
    the same or unnamed, within five sentences with no deal word between, and with only
    such word-less amounts since that payment."""
    if cls != "other" or trig is not None or ctx.in_title(fig.start, fig.end):
        return None
    for prev in deals[: -31 : -1]:  # the last 30 deals at most
        if prev.event_type != "other" or ctx.in_title(prev.start, prev.end):
            return None
        if si - ctx.sentence(prev.start) > 5:
            return None  # bounded: a page of thousands of amounts stays linear
        if prev.counterpart is None:
            if prev.trigger is not None:
                return None
            continue
        sp = ctx.sentence(prev.start)
        if any(ctx.hits(k) for k in range(sp + 1, si + 1)):
            return None  # far away, or a deal word in between starts another subject
        if actor is not None and actor.canonical != prev.actor:
            return None
        return prev.counterpart
    return None


_WITH = languages.word_set("words.toml", "contract_with")
_WORD = re.compile(r"[\w’'-]+")


def contract_client(ctx: _Context, fig: Figure, hi: int) -> Mention | None:
    """ "un contrato de $12.000 millones con la Alcaldía", "a $2bn contract with the
    Navy": the name right after the amount behind the language's "with" is the
    contract's other party (the client); the contractor is someone else."""
    nxt = ctx.between(fig.end, min(hi, fig.end + 40))
    if not nxt or nxt[0].kind == "person":
        return None
    role, word = ctx.role(nxt[0])
    if role != "oblique" or word not in _WITH:
        return None
    if ctx.text[fig.end : nxt[0].start].count(" ") > 3:
        return None
    return nxt[0]


def product_maker(ctx: _Context, fig: Figure, si: int, actor: Mention | None) -> Mention | None:
    """ "Le SUV R1S et le Rivian R1T ... Le prix de ces deux modèles s'établit autour de
    70 000 $": a price whose sentence speaks of products (words.toml `products`) is the
    maker's, when the page says who the maker is: a product named in this or the two
    sentences before (a product noun, or a model code with a digit) whose name starts
    with an organisation of the page ("Rivian R1T"), unless the actor found is the
    subject of one of those sentences.
    """
    nouns = _PRODUCT_NOUNS.get(ctx.lex.lang)
    s0, _ = ctx.spans[si]
    if not nouns or not any(w.casefold() in nouns for w in _WORD.findall(ctx.text, s0, fig.start)):
        return None
    lo = ctx.spans[max(0, si - 2)][0]
    if actor is not None and not _is_model(ctx, actor) and any(
        m.canonical == actor.canonical and ctx.role(m)[0] == "core" for m in ctx.between(lo, fig.start)
    ):
        return None  # "Microsoft doit lancer la Xbox Series X ... 299 dollars": said already
    for m in reversed(ctx.between(lo, fig.start)):
        first = m.canonical.partition(" ")[0]
        if _is_model(ctx, m):
            # the maker: an organisation the page shows acting ("Rivian a confirmé"),
            # not a brand only ever named as a product ("la Xbox")
            maker = next(
                (
                    o
                    for o in ctx.mentions
                    if o.canonical == first
                    and o.kind in ("org", "fund")
                    and ctx.role(o)[0] == "core"
                    and not ctx.productish(o)
                ),
                None,
            )
            if maker is not None:
                return maker
    return None


def _is_model(ctx: _Context, m: Mention) -> bool:
    """A product: after a product noun, or a name ending in a model code ("R1T", "K2")."""
    rest = m.canonical.partition(" ")[2]
    return bool(rest) and (ctx.productish(m) or any(c.isdigit() for c in rest))


_TO_COUNTRY = re.compile(
    r"\s*(?:[^\W\d_][\w’'-]*\s+){0,3}?(?:for|to|à|au|aux|a|al|para|an|für)\s+"
    r"(?:the\s+|la\s+|le\s+|l['’]|el\s+)?",
    re.IGNORECASE,
)


def country_beneficiary(ctx: _Context, fig: Figure, trig: _Hit | None, s1: int) -> Mention | None:
    """ "a $3bn bailout for Pakistan", "un prêt de 500 millions d'euros au Maroc": a
    country right after a loan or a financing, behind a beneficiary preposition, is its
    government (mentions/data/governments.txt, in the page's language); none when the
    data has no name for it there."""
    start = max(fig.end, trig.end) if trig is not None and trig.start >= fig.start else fig.end
    m = _TO_COUNTRY.match(ctx.text, start, s1)
    if m is None:
        return None
    c = _COUNTRY_RE.match(ctx.text, m.end(), s1)
    if c is None or not c.group():
        return None
    iso = _COUNTRY_NAMES.get(c.group().replace("\u00a0", " "))
    names = _GOV_NAMES.get(ctx.lex.lang, {})
    if iso is None or iso not in names:
        return None
    return Mention(c.group(), c.start(), c.end(), "org", names[iso][0], "alias")


_PUNISH_ACTIVE = {
    lang: re.compile(p) for lang, p in languages.word_table("words.toml", "punish_active").items()
}


def active_punishment(
    ctx: _Context, trig: _Hit | None, lo: int, typ: str
) -> tuple[Mention, Mention] | None:
    """ "La Commission européenne a condamné Kelvane Auto à une amende de 80 millions":
    before a fine's trigger, an active verb of punishment (words.toml `punish_active`)
    between two names makes the first the authority and the second the party fined; the
    nearest-subject rule would take the object for the subject."""
    rx = _PUNISH_ACTIVE.get(ctx.lex.lang)
    if typ != "fine" or trig is None or rx is None:
        return None
    verbs = list(rx.finditer(ctx.text, lo, trig.start))
    if not verbs:
        return None
    v = verbs[-1]
    before = [m for m in ctx.between(lo, v.start()) if ctx.role(m)[0] == "core" and ctx.usable(m, typ)]
    after = [  # a direct object: "condamné par X" is the passive, X the authority
        m for m in ctx.between(v.end(), trig.start) if ctx.role(m)[0] == "core" and ctx.usable(m, typ)
    ]
    if not before or not after or before[-1].canonical == after[0].canonical:
        return None
    return before[-1], after[0]
