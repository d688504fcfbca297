"""Deal events: what each money amount on a page is, who pays or does it, and to whom.

Why: "22,5 milliards de dollars" is only useful beside "SoftBank invests in OpenAI".
`find_deals` gives every money figure an event type, a status, an actor and a
counterpart, from the sentence of the amount, the stretch around it and the previous
sentence. Trigger words per language are data (languages/<lang>/mention_cues.txt); the rules
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
  government (`entities`, mentions/data/governments.txt); a page that names no country
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

- Payments (`payments`): a payment verb governing the amount (nearer it than any other
  trigger) makes the payer the actor and the payee (behind "to", "à", "with") the
  counterpart, type other; a penalty noun after the amount, or a public payee on a
  page or in a sentence about a fine, makes it a fine (authority actor, payer
  counterpart); the tax authority ("le fisc") is the state. A receipt verb right
  before the amount ("Fiat is to get 1bn euros") makes the subject the payee and the
  payer whoever the page showed paying it. "with another 550m" is more of the previous
  amount's event; an amount tied to "the deal" ("as part of the deal", "the deal's
  total value") is the page's latest deal event; money spent "to buy" is an acquisition;
  a result said to be negative is a loss; "le groupe dans son ensemble" is the page's
  parent. Public budgets without an owner in their sentence are the public body the
  page names ("Indiana lawmakers"). Words and patterns: languages/<lang>/words.toml.
- Types re-read: an amount a legislature votes ("aprobaron Q150 millones en el
  Congreso") and the money a public body spends ("The UK government will spend £2.5bn")
  are budgets; a list item whose nearest deal word sits inside the previous item
  ("$500 million toward grants and about $120 million to ...") keeps that item's type;
  a sentence opened by a pronoun ("Celle-ci", "It") carries the previous sentence's
  result word to its first amount; a results noun linked by one preposition ("614
  millions de marge", "$1bn in one-off charges") beats a farther or weaker word; a funding
  amount told again with a vaguer funding word (same value, currency, actor) keeps the
  earlier, more specific event (`repeats`).
- Parties the local rules miss (`obliques`): the party named between verb and trigger
  ("verhängte gegen X ein Bußgeld"); a described acquisition target named right after
  a deal word in the next sentence; the payee of a payment that the next word-less
  amounts break down ("Dans le détail, la charge s'élève à ..."); a contract's client
  behind "with"/"con"; a models' price is the maker's named in the product's name
  ("Rivian R1T"). Authors of studies ("projections from X") and media after a press
  verb (", rapportent Les Echos") own no figure; a forecaster of a market figure ("X
  estimates that the market ...") makes no owner.

Every rule has examples in languages/<lang>/examples/deals.jsonl (run by
tests/languages/test_deal_examples.py): the examples are the specification.

A title amount and a body amount with the same value and currency whose actors agree
are one event: the body's reading (more context) wins and both share `event_id` =
stable hash of (doc_id, type, actor, counterpart, value, currency). Actor and
counterpart are entity canonical names; `entities.entity_id(kind, name)` maps them to
`dim_entity` ids.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from transforms import languages
from transforms.contract.figure import Figure
from transforms.contract.ids import stable_id
from transforms.deals.classify import _is_small, _status, _trigger, coordinated_type
from transforms.deals.confidence import ROLE_FLOOR, name_quality
from transforms.deals.context import _Context, _Hit
from transforms.deals.obliques import (
    continued_payee,
    country_beneficiary,
    next_sentence_target,
    product_maker,
)
from transforms.deals.payments import (
    _NOT_OWNERS,
    _budget_owner,
    _payment,
    _public_funding,
    _public_spending,
    _receipt,
    _voted,
)
from transforms.deals.repeats import repeated_deal, same_deal
from transforms.deals.roles import _roles
from transforms.deals.vocabulary import (
    _COMPARE_GAP,
    _CONVERSION_GAP,
    _EQUIVALENT,
    _MARKET_TYPES,
    _RESTATE_GAP,
    Deal,
)
from transforms.mentions.descriptions import is_public
from transforms.mentions.records import Mention

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
        if prev_deal is not None and cls not in ("other", "contract"):
            cls = coordinated_type(ctx, prev_deal.event_type, prev_deal.end, fig, trig) or cls
        if small:
            cls = "other"
            if trig is not None and trig.kind not in ("other", "contract"):
                trig = None
        pay = _payment(ctx, fig, si, lo, cls, trig) or _receipt(ctx, fig, si, lo, cls)
        further = _further(ctx, prev_deal, fig, si) if pay is None else None
        if further is None and pay is None and cls in _PAGE_DEAL_TYPES | _REFERRING:
            further = _page_deal(ctx, deals, fig, si)
            if further is not None and cls in _PAGE_DEAL_TYPES and further.event_type != cls:
                further = None  # "as part of the deal, X invests ...": its own event
        if further is not None:
            cls = further.event_type
        listed = (
            _enumerated(ctx, prev_deal, fig, si, cls, trig)
            if pay is None and further is None
            else None
        )
        if further is not None:
            listed = (_named(ctx, further.actor) if further.actor else None,
                      _named(ctx, further.counterpart) if further.counterpart else None)
        if pay is not None:
            cls, actor, counterpart = pay
        elif listed is not None:
            actor, counterpart = listed
        else:
            actor, counterpart = _roles(ctx, cls, trig, fig, si, lo, hi)
        if cls in ("investment", "other", "contract") and _buys(ctx, fig, si):
            cls = "acquisition"
            if counterpart is None:
                name = actor.canonical if actor is not None else None
                counterpart = next_sentence_target(ctx, si, fig, trig, cls, name)
        if cls == "profit" and _negative(ctx, trig, fig):
            cls = "loss"
        if (
            actor is not None
            and actor.resolved_from == "description"
            and ctx.topic is not None
            and _AS_A_WHOLE.match(text, actor.end)
        ):
            actor = ctx.topic  # "le groupe dans son ensemble": the parent, not a unit
        if actor is not None and actor.canonical in _NOT_OWNERS and not s0 <= actor.start < s1:
            actor = None  # a party or a building taken from another sentence owns nothing
        if cls == "fundraising" and _public_funding(ctx, trig, si, actor):
            cls = "budget"
        elif _public_spending(ctx, cls, trig, actor):
            cls, counterpart = "budget", None
        elif _voted(ctx, cls, si):
            cls, counterpart = "budget", None
            if actor is not None and not is_public(actor.canonical):
                actor = None  # the ministry paying it out is not the budget's owner
        if cls == "budget" and (
            actor is None
            or actor.kind != "org"
            or actor.canonical in _NOT_OWNERS
            or name_quality(actor.canonical, actor.kind, lang) < ROLE_FLOOR
        ):
            actor = _budget_owner(ctx, public_too=actor is None) or actor
        elif cls == "budget" and actor is not None and not s0 <= actor.start < s1:
            # an owner taken from elsewhere on the page yields to the public body the
            # page names as the budget's ("Indiana lawmakers", "le budget du Québec")
            actor = _budget_owner(ctx, public_too=False) or actor
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
        if cls == "other" and (actor is None or not s0 <= actor.start < s1):
            actor = product_maker(ctx, fig, si, actor) or actor
        if counterpart is None and cls in ("loan", "financing"):
            counterpart = country_beneficiary(ctx, fig, trig, s1)
        again = repeated_deal(deals, fig, cls, actor.canonical if actor else None)
        if again is not None:
            cls = again.event_type
            counterpart = counterpart or (_named(ctx, again.counterpart) if again.counterpart else None)
        if counterpart is None:
            told = same_deal(deals, fig, cls, actor.canonical if actor else None)
            counterpart = _named(ctx, told.counterpart) if told and told.counterpart else None
        if counterpart is None:
            payee = continued_payee(ctx, deals, fig, si, cls, trig, actor)
            counterpart = _named(ctx, payee) if payee is not None else None
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


_LIST_GAP = re.compile(
    r"\s*,?\s*(?:ainsi\s+que|de\s+même\s+que|as\s+well\s+as|along\s+with|así\s+como|"
    r"assim\s+como|sowie|et|and|y|e|und)\s",
    re.IGNORECASE,
)
_LIST_TYPES = frozenset({"acquisition", "stake_sale", "investment", "fundraising", "financing"})


def _enumerated(
    ctx: _Context, prev: Deal | None, fig: Figure, si: int, cls: str, trig: _Hit | None
) -> tuple[Mention | None, Mention | None] | None:
    """ "La plateforme a racheté Gimlet pour 230 millions, ainsi que l'interface Anchor
    pour plus de 100 millions": a second item of the same deal verb keeps the first's
    actor; the name listed with it is its counterpart."""
    if (
        prev is None
        or prev.actor is None
        or cls not in _LIST_TYPES
        or prev.event_type != cls
        or trig is None
        or prev.trigger != trig.text
        or ctx.sentence(prev.figure.start) != si
        or not _LIST_GAP.match(ctx.text, prev.figure.end, fig.start)
    ):
        return None
    named = [
        m
        for m in ctx.between(prev.figure.end, fig.start)
        if m.kind in ("org", "fund") and m.canonical != prev.actor
    ]
    if not named:
        return None
    return _named(ctx, prev.actor), named[-1]


# "Fiat is to get 1bn euros immediately, with another 550m to follow": more of the same
_FURTHER_GAP = re.compile(
    r"[^.;:]{0,25}?\b(?:with|and|plus|avec|et|y|con|e|mit|und)\s+(?:another|a\s+further|an\s+"
    r"additional|un\s+autre|une\s+autre|encore|otros?|otras?|outros?|outras?|weitere)\s*$",
    re.IGNORECASE,
)


_PURPOSE_BUY = {
    lang: re.compile(r"\s*(?:\([^()]{0,40}\)\s*)?(?:" + rx + ")", re.IGNORECASE)
    for lang, rx in languages.word_table("words.toml", "acquisition_purpose").items()
}


def _buys(ctx: _Context, fig: Figure, si: int) -> bool:
    """ "said it would spend $3.3bn (£1.8bn) to buy one of South Korea's main retail
    banks": money spent to buy is an acquisition, whatever verb spends it."""
    rx = _PURPOSE_BUY.get(ctx.lex.lang)
    return rx is not None and bool(rx.match(ctx.text, fig.end, ctx.spans[si][1]))


_NEGATIVE = {
    lang: re.compile(rf"\b(?:{rx})\b", re.IGNORECASE)
    for lang, rx in languages.word_table("words.toml", "negative_result").items()
}


def _negative(ctx: _Context, trig: _Hit | None, fig: Figure) -> bool:
    """ "le résultat net reste négatif, à -301 millions": a minus sign before the amount,
    or a word saying the result is negative between its trigger and the amount."""
    if ctx.text[max(0, fig.start - 1) : fig.start] in ("-", "−"):
        return True
    rx = _NEGATIVE.get(ctx.lex.lang)
    return rx is not None and trig is not None and bool(rx.search(ctx.text, trig.end, fig.start))


_AS_A_WHOLE = re.compile(
    r"\s*,?\s*(?:dans\s+son\s+ensemble|as\s+a\s+whole|en\s+su\s+conjunto|como\s+um\s+todo|"
    r"insgesamt|als\s+Ganzes)\b",
    re.IGNORECASE,
)
_DEAL_REFERENCE = {
    lang: re.compile(rx, re.IGNORECASE)
    for lang, rx in languages.word_table("words.toml", "deal_reference").items()
}
_PAGE_DEAL_TYPES = frozenset({"acquisition", "stake_sale", "investment", "fundraising"})
_REFERRING = frozenset({"other", "contract", "valuation"})  # types "the deal" may override


def _page_deal(ctx: _Context, deals: list[Deal], fig: Figure, si: int) -> Deal | None:
    """ "As part of the deal, Federated will assume $6bn of May's debt, bringing the deal's
    total value to $17bn": an amount its sentence ties to "the deal" belongs to the page's
    latest deal event (type and parties), when the page has one."""
    rx = _DEAL_REFERENCE.get(ctx.lex.lang)
    s0, s1 = ctx.spans[si]
    if rx is None or not rx.search(ctx.text, s0, s1):
        return None
    return next(
        (d for d in reversed(deals) if d.event_type in _PAGE_DEAL_TYPES and d.actor), None
    )


def _further(ctx: _Context, prev: Deal | None, fig: Figure, si: int) -> Deal | None:
    """The previous amount's event when this one is "another" amount of it in the same
    sentence; None otherwise."""
    if (
        prev is None
        or ctx.sentence(prev.figure.start) != si
        or not _FURTHER_GAP.match(ctx.text, prev.figure.end, fig.start)
    ):
        return None
    return prev


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
