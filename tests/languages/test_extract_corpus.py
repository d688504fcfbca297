"""Every line of every language corpus (transforms/languages/XX/examples/figures.jsonl).

The corpus is the extractor's specification by example: each line gives a text, an
optional site/country, and the complete list of figures expected, field by field
(fields left out are not checked; "implied" and "furniture" are checked where given). An optional
"class" names the kind of real-page difficulty the line stands for. Adding a language means adding a lexicon and a
corpus; this test picks the corpus up without any change.
"""

from __future__ import annotations

import json
from importlib import resources

import pytest

from transforms.figures import LANGS, extract

FIELDS = ("kind", "surface", "value", "min", "max", "currency", "unit", "qualifier",
          "counted_noun")


def _cases():
    for lang in LANGS:
        ref = resources.files("transforms.languages") / lang / "examples" / "figures.jsonl"
        for i, line in enumerate(ref.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                yield pytest.param(lang, json.loads(line), id=f"{lang}-{i}")


def test_every_language_has_a_corpus() -> None:
    langs = {p.values[0] for p in _cases()}
    assert langs == set(LANGS)


@pytest.mark.parametrize(("lang", "case"), list(_cases()))
def test_corpus_line(lang: str, case: dict) -> None:
    text = case["text"]
    figs = extract(text, lang, site=case.get("site"), country=case.get("country"))
    # "implied": the currency or scale came from the context (another amount, the page)
    # "furniture": an amount on a widget line (a price box, a ticker), not body text
    got = [{**{k: getattr(f, k) for k in FIELDS}, "implied": bool(f.extra.get("implied")),
            "furniture": bool(f.extra.get("furniture"))} for f in figs]
    want = case["figures"]
    assert len(got) == len(want), f"{text!r}: got {got}"
    for g, w in zip(got, want, strict=True):
        for k, v in w.items():
            if isinstance(v, float) and g[k] is not None:
                assert g[k] == pytest.approx(v, rel=1e-9), (text, k, g)
            else:
                assert g[k] == v, (text, k, g)
        # fields the corpus leaves out must be empty, except the defaults
        for k in ("value", "min", "max", "currency", "unit", "counted_noun"):
            if k not in w:
                assert g[k] is None, (text, k, g)
    for f in figs:
        assert text[f.start:f.end] == f.surface
