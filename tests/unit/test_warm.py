"""The warm-up the Dask workers' parent runs (newsfacts/dask_warm.py): every language's
examples through the stages, so what they compile is ready before the first page."""

from __future__ import annotations

from transforms.figures import LANGS
from transforms.figures.lexicon import load
from transforms.rows.warm import example_texts, warm_up


def test_every_language_has_example_texts_to_warm_with() -> None:
    for lang in LANGS:
        texts = example_texts(lang)
        assert texts and all(isinstance(t, str) and t.strip() for t in texts), lang


def test_warm_up_runs_each_language_and_leaves_its_lexicon_compiled() -> None:
    n = warm_up(LANGS)
    assert n == sum(len(example_texts(lang)) for lang in LANGS)
    # cached per process: what a page of any language asks for is already there
    assert load.cache_info().currsize >= len(LANGS)
