"""Every line of every language's deal examples (transforms/languages/XX/examples/deals.jsonl).

The examples are the deal rules' specification by example, one rule a line: a text (its
first line is the title when "title" is true), the amount as written ("nth" picks a
later occurrence), an optional site country, and the expected event type, actor and
counterpart (canonical names; null for none; a field left out is not checked), and
optionally "kept_actor" / "kept_counterpart": the name left once roles under
`confidence.ROLE_FLOOR` are nulled, as `fact_deal` holds it. "rule"
says which rule of transforms/deals/ the line illustrates. The amounts come from the real
extractor and the names from the real mention finder: nothing here is stubbed.
"""

from __future__ import annotations

import json
from importlib import resources

import pytest

from transforms.deals.confidence import ROLE_FLOOR, assess
from transforms.deals.events import find_deals
from transforms.deals.vocabulary import EVENT_TYPES
from transforms.figures import LANGS, extract
from transforms.mentions.finder import find_mentions


def _cases():
    for lang in LANGS:
        ref = resources.files("transforms.languages") / lang / "examples" / "deals.jsonl"
        if not ref.is_file():
            continue
        for i, line in enumerate(ref.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                yield pytest.param(lang, json.loads(line), id=f"{lang}-{i}")


def test_the_deal_languages_have_examples() -> None:
    assert {"fr", "en", "es"} <= {p.values[0] for p in _cases()}


@pytest.mark.parametrize("lang", ["fr", "en", "es", "de", "pt", "ar"])
def test_every_event_type_has_examples_in_each_deal_language(lang: str) -> None:
    """The type definitions of transforms/deals/events.py hold in every language: each
    type is illustrated by at least one example of the language."""
    types = {case.get("type") for code, case in (p.values for p in _cases()) if code == lang}
    assert set(EVENT_TYPES) <= types, sorted(set(EVENT_TYPES) - types)


@pytest.mark.parametrize(("lang", "case"), list(_cases()))
def test_deal_example(lang: str, case: dict) -> None:
    text = case["text"]
    title_span = (0, text.index("\n")) if case.get("title") else None
    figs = [f for f in extract(text, lang, country=case.get("country")) if f.kind == "money"]
    mentions = find_mentions(text, lang, spans_to_skip=[(f.start, f.end) for f in figs],
                             country=case.get("country"))
    deals = find_deals(text, lang, figs, mentions, title_span=title_span)
    hits = [d for d in deals if d.figure.surface == case["amount"]]
    assert len(hits) > case.get("nth", 0), (case["amount"], [d.figure.surface for d in deals])
    d = hits[case.get("nth", 0)]
    got = {"type": d.event_type, "actor": d.actor, "counterpart": d.counterpart}
    (conf,) = assess(text, lang, [d], mentions, title_span[1] if title_span else 0)
    got["kept_actor"] = d.actor if conf.actor >= ROLE_FLOOR else None
    got["kept_counterpart"] = d.counterpart if conf.counterpart >= ROLE_FLOOR else None
    want = {k: case[k] for k in ("type", "actor", "counterpart", "kept_actor", "kept_counterpart")
            if k in case}
    assert {k: got[k] for k in want} == want, case.get("rule")
