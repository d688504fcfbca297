"""The receiving party named between the verb and the trigger.

Why: most languages can put the party a payment goes to before the money noun:
"verhängte gegen X ein Bußgeld von ...", "impuso a X una multa de ...", "a accordé à X
un prêt de ...". The beneficiary rule of roles.py looks from the trigger on (between
trigger and amount, then after the amount) and so misses it; this looks back, between
the subject and the trigger, for a name behind a beneficiary preposition of the
language (languages/<lang>/words.toml "beneficiary").
"""

from __future__ import annotations

from transforms.contract.figure import Figure
from transforms.deals.context import _Context, _Hit
from transforms.deals.vocabulary import _BENEFICIARY
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
