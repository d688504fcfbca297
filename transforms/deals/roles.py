"""Actor and counterpart of an event: subject and object positions, genitives,
beneficiaries, stakes, governments and owners of attribute figures.

The rules are spelt out in the docstring of transforms/deals/events.py.
"""

from __future__ import annotations

import re
from dataclasses import replace

from transforms import languages
from transforms.contract.figure import Figure
from transforms.deals.context import _ATTACHED_AFTER, _ATTACHED_BEFORE, _Context, _Hit
from transforms.deals.obliques import (
    active_punishment,
    contract_client,
    next_sentence_target,
    oblique_before_trigger,
)
from transforms.deals.vocabulary import (
    _AGENT,
    _BANKISH,
    _BENEFICIARY,
    _FAVOUR,
    _GENITIVE,
    _PUNISHED,
    _STAKE,
    ATTRIBUTE_TYPES,
)
from transforms.mentions.descriptions import is_public
from transforms.mentions.records import Mention

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
        if rx.search(ctx.text, max(lo, m.start - 60), m.start) and not _guarantor(ctx, m):
            return m
    return None


def _guarantor(ctx: _Context, m: Mention) -> bool:
    """ "un prêt ... garanti par l'État", "a loan guaranteed by the state": a guarantor
    neither lends nor pays (words.toml `guarantor`)."""
    rx = _GUARANTOR.get(ctx.lex.lang)
    return rx is not None and bool(rx.search(ctx.text, max(0, m.start - 40), m.start))


_GUARANTOR = {
    lang: re.compile(rf"(?<![\w])(?:{pattern})$", re.IGNORECASE)
    for lang, pattern in languages.word_table("words.toml", "guarantor").items()
}
_RELATIVE = {
    lang: re.compile(
        r"\s*,?\s*(?:" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE
    )
    for lang, words in languages.word_table("words.toml", "relative_pronouns").items()
}


def _relative_owner(ctx: _Context, s0: int, fig: Figure, typ: str) -> Mention | None:
    """ "Lancôme fait partie de la division luxe de L'Oréal qui ... à 2,47 milliards": the
    name right before a relative pronoun owns the figure of its relative clause, whatever
    the main clause's subject; none when another name stands between pronoun and amount."""
    rx = _RELATIVE.get(ctx.lex.lang)
    if rx is None:
        return None
    names = ctx.between(s0, fig.start)
    for i in range(len(names) - 1, -1, -1):
        m = names[i]
        if m.kind not in ("org", "fund"):
            continue
        if rx.match(ctx.text, m.end, fig.start) and ctx.usable(m, typ):
            role, word = ctx.role(m)
            if any(n.kind in ("org", "fund") for n in names[i + 1 :]) or not (
                role == "core" or word in _GENITIVE
            ):
                # "the deal struck with Mozilla, which may result in a payment": a name
                # behind "with" is not what the clause is about
                return None
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
    # within reach: a sentence glued to the next by a missing space must not lend its
    # names ("... de la plateforme.\"Cela restera gratuit\", a écrit X sur Instagram")
    after = [
        m
        for m in ctx.between(start, min(hi, s1, start + 150))
        if ok(m) and not _NEW_CLAUSE.fullmatch(ctx.text, start, m.start)
    ]
    return after[0] if after else None


# "Rossel a offert 250.000 euros, IPM, qui ..., 150.000": a name right behind the
# amount's comma opens the next item or clause; it is not what the trigger acts on
_NEW_CLAUSE = re.compile(r"\s*[,;]\s*")


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
        and (ctx.role(m)[0] == "core" or ctx.role(m)[1] in _GENITIVE or ctx.role(m)[1] in _AGENT)
    ]
    return ms[-1] if ms else None


_PRONOUN_CLAUSE = re.compile(
    r"\b(?:qu['’]il|qu['’]elle|s['’]il|il|elle|it|its|he|she|él|ella|er|sie|ele)\b", re.IGNORECASE
)


def _cataphoric_subject(
    ctx: _Context, s0: int, s1: int, fig: Figure, typ: str
) -> Mention | None:
    """ "Alors qu'il avait engrangé 2,5 milliards ..., l'électricien EDF accuse ...": a
    pronoun before the amount and no name; the subject is the first name after the
    clause's comma in the same sentence."""
    if ctx.between(s0, fig.start) or not _PRONOUN_CLAUSE.search(ctx.text, s0, fig.start):
        return None
    comma = ctx.text.find(",", fig.end, s1)
    if comma < 0:
        return None
    for m in ctx.between(comma, s1):
        if m.kind in ("org", "fund") and ctx.usable(m, typ) and ctx.role(m)[0] == "core":
            return m
        break
    return None


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
            # "La montée en puissance d'OpenAI se reflète dans sa valorisation": the
            # owner attached to the same kind of figure comes first
            return (
                _attached(ctx, h, p0, p1, typ)
                or _described_subject(ctx, prev, typ)
                or _subject_any(ctx, p0, h.start, typ)
            )
    return _described_subject(ctx, prev, typ)


# A sentence that opens with a description ("Le leader mondial de la publicité ...",
# "The group ...") or a possessive ("Son bénéfice ...") continues the subject named before.
_DESCRIPTION_OPEN = re.compile(
    r"[\s\W]{0,3}(?i:le|la|les|l['’]|the|el|los|las|son|sa|ses|its|their|su|sus)\s*[a-zà-ÿ]"
)


_FIRST_VERB = re.compile(
    r"\s(?:est|a|ont|sont|était|se|is|was|has|are|were|es|ha|fue)\s", re.IGNORECASE
)
_GLUED_STOP = re.compile(r"[.!?][\"»”’]?(?=[A-ZÀ-Ý])")


def _described_subject(ctx: _Context, prev: int, typ: str) -> Mention | None:
    """ "Alphabet, la maison mère de Google, ... . Son bénéfice net ... . Le leader mondial
    de la publicité est plus exposé que Facebook ... . Ses recettes ...": while the
    sentences before open with a description or a possessive, "ses" is the last named
    sentence subject (Alphabet), not a name inside the description's sentence. None when
    the previous sentence does not open with a description."""
    idx = prev
    for _ in range(3):
        p0, p1 = ctx.spans[idx]
        if idx != prev:
            # a sentence glued after a quote ('situation".Alphabet, la maison mère'): its
            # last part opens where the glued full stop is
            for g in _GLUED_STOP.finditer(ctx.text, p0, p1):
                p0 = g.end()
        ms = ctx.between(p0, p1)
        if ms and ctx.text[p0 : ms[0].start].strip(" \t\n\"'«“-") == "":
            m = ms[0]
            if idx == prev or m.kind not in ("org", "fund") or not ctx.usable(m, typ):
                return None  # a named previous subject: the figure-kind rule decides
            return m
        if not _DESCRIPTION_OPEN.match(ctx.text, p0):
            return None
        verb = _FIRST_VERB.search(ctx.text, p0, p1)
        if ms and verb is not None and ms[0].start < verb.start():
            return None  # "La montée en puissance d'OpenAI se reflète": named in the subject
        if idx == 0 or ctx.in_title(*ctx.spans[idx - 1]):
            return None
        idx -= 1
    return None


def _has_possessive(ctx: _Context, trig: _Hit) -> bool:
    words = re.findall(r"[\w'’]+", ctx.text[max(0, trig.start - 20) : trig.start])
    return bool(words) and words[-1].casefold() in ctx.lex.possessives


# "a investi 500 millions dans ses activités", "invested $1bn in its business"
_INTO_ITS = re.compile(r"\s*(?:\([^()]{0,40}\)\s*)?(?:dans|in|into|en)\s+(?:ses|son|sa|its|their|sus|su)\b",
                       re.IGNORECASE)


def _possessive_investee(ctx: _Context, fig: Figure, si: int, actor: Mention) -> Mention | None:
    """ "Rivian a confirmé que Ford a investi 500 millions dans ses activités": money put
    into "its" business goes to the other organisation the sentence makes a subject."""
    s0, s1 = ctx.spans[si]
    if not _INTO_ITS.match(ctx.text, fig.end, s1):
        return None
    for m in ctx.between(s0, fig.start):
        if (
            m.kind in ("org", "fund")
            and m.canonical != actor.canonical
            and ctx.role(m)[0] == "core"
            and ctx.usable(m, "investment")
        ):
            return m
    return None


def _roles(ctx: _Context, cls: str, trig: _Hit | None, fig: Figure, si: int, lo: int, hi: int):
    """(actor, counterpart) mentions for one amount: see the module docstring."""
    actor, cp = _parties(ctx, cls, trig, fig, si, lo, hi)
    if cp is None and actor is not None and cls == "investment":
        cp = _possessive_investee(ctx, fig, si, actor)
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
        or (_relative_owner(ctx, s0, fig, typ) if typ in ATTRIBUTE_TYPES else None)
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
    if typ == "other":
        purpose = _purpose_parties(ctx, fig, s1, typ)
        if purpose is not None:
            return purpose
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
            or _cataphoric_subject(ctx, s0, s1, fig, typ)
            or _fallback_actor(ctx, si, fig, typ)
        )
        cp = None
        punished = receive and _PUNISHED.search(ctx.text, subj.end, max(subj.end, fig.start))  # type: ignore[union-attr]
        if typ == "other" and receive and not punished and subj is not None and owner is subj:
            # "L'État ... a perçu 8,5 milliards de redevances"; "X percevra en outre une
            # prime": the giver named, else the one X last received from, else the topic
            giver = _near_marked(ctx, ctx.dl.giver, tr, fig, lo, hi, typ, subj.canonical)
            owner, cp = giver or ctx.last_giver.get(subj.canonical) or ctx.topic, subj
        elif cls == "contract" and trig is not None:
            cp = contract_client(ctx, fig, hi)
            if cp is not None and owner is not None and owner.canonical.split()[0] == cp.canonical.split()[0]:
                owner = None  # the client is no contractor
            cp = cp or _right_of(ctx, trig, fig, lo, hi, s0, s1, typ, owner.canonical if owner else None)
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
        name = actor.canonical if actor else None
        return actor, _right_of(ctx, tr, fig, lo, hi, s0, s1, typ, name) or next_sentence_target(
            ctx, si, fig, tr, typ, name
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
        punished = active_punishment(ctx, tr, s0, typ)
        if punished is not None:
            return punished
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
        cp = cp or oblique_before_trigger(ctx, subj, tr, fig, typ, name)
        if cp is None and typ in ("loan", "financing"):
            cp = _purpose_beneficiary(ctx, tr, typ, name)
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
    if nxt and _GENITIVE_GAP.fullmatch(ctx.text, trig.end, nxt[0].start) and not _purpose(ctx, trig):
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


def _purpose(ctx: _Context, trig: _Hit) -> bool:
    """A trigger that says what the money is for ("لدعم السلطات", "to support the
    authorities"): the name it governs is the one supported, never the giver."""
    word = ctx.text[trig.start : trig.end]
    return bool(
        _PURPOSE_PREFIX.match(word)
        or _PURPOSE_BEFORE.search(ctx.text, max(0, trig.start - 16), trig.start)
    )


def _purpose_beneficiary(ctx: _Context, trig: _Hit | None, typ: str, skip: str | None) -> Mention | None:
    """The name right after a purpose trigger: "برنامج ... لدعم السلطات المغربية"."""
    if trig is None or not _purpose(ctx, trig):
        return None
    s1 = ctx.spans[ctx.sentence(trig.start)][1]
    nxt = ctx.between(trig.end, min(s1, trig.end + 40))
    if nxt and _GENITIVE_GAP.fullmatch(ctx.text, trig.end, nxt[0].start):
        m = nxt[0]
        if m.canonical != skip and m.kind != "person" and ctx.usable(m, typ):
            return m
    return None


# Arabic glues the purpose particle ل ("for, to") to the verbal noun: "لدعم", "لتمويل".
_PURPOSE_PREFIX = re.compile(r"^ل(?!ا)[\u0600-\u06FF]")
_PURPOSE_BEFORE = re.compile(r"\b(?:to|pour|para|afin\s+de|um)\s+$", re.IGNORECASE)
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
# "a deal worth 1bn euros ($1.3bn; £690m) for Airbus to sell 23 planes to Air China"
_PURPOSE_GAP = re.compile(
    r"\s*(?:\([^()]{0,40}\)\s*)?(?:for|pour|para|für)\s+(?:l['’]|the\s+|le\s+|la\s+|el\s+)?"
)
_PURPOSE_VERB = re.compile(r"\s+(?:to|de|d['’]|pour|para|um)\s+[^\W\d_]+")


def _purpose_parties(
    ctx: _Context, fig: Figure, s1: int, typ: str
) -> tuple[Mention, Mention | None] | None:
    """A figure "for X to <verb>" is X's (the one who sells, builds, pays); the party the
    clause sends it to ("to Air China", "à Y") is the counterpart."""
    m = _PURPOSE_GAP.match(ctx.text, fig.end, s1)
    if m is None:
        return None
    after = ctx.between(m.end(), min(s1, m.end() + 60))
    if not after or after[0].start != m.end() or after[0].kind not in ("org", "fund"):
        return None
    owner = after[0]
    if not _PURPOSE_VERB.match(ctx.text, owner.end, s1):
        # "la charge s'élève à 47 millions d'euros pour Lancôme, 115 millions pour
        # Cosmétique Active": a breakdown whose clause names nobody before the amount
        # gives each part to the name behind "pour"/"for" (never to a public body, which
        # receives: "des dividendes de 2 milliards pour l'État")
        s0 = ctx.spans[ctx.sentence(fig.start)][0]
        before = ctx.between(_clause_start(ctx, s0, fig.start), fig.start)
        if (
            any(b.kind in ("org", "fund", "person") for b in before)
            or is_public(owner.canonical)
            or not ctx.usable(owner, typ)
        ):
            return None
        return owner, None
    end = _clause_end(ctx, owner.end, s1)
    for c in ctx.between(owner.end, end):
        _role, word = ctx.role(c)
        if c.kind in ("org", "fund") and c.canonical != owner.canonical and word in _BENEFICIARY:
            return owner, c
    return owner, None


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
            and not _guarantor(ctx, m)
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
