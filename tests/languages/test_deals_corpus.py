"""Deal events on the sample corpus gold (data/sample/*.gold.json), scored as in
bench/deals_eval.py: precision and recall on (type, actor, counterpart, amount).

The issue's bar is precision >= 0.90 and recall >= 0.80: a plain test since the rules
reach it. The floors below are today's scores minus a small margin: a rule change that
loses events fails here.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
pytestmark = pytest.mark.skipif(not any(SAMPLE.glob("*.gold.json")), reason="no sample gold corpus")

FLOOR_GOLD_INPUT = 0.91  # measured 0.928 / 0.928
FLOOR_EXTRACTOR_INPUT = 0.89  # measured 0.928 / 0.928 with transforms.figures


def _bench():
    spec = importlib.util.spec_from_file_location("deals_eval", ROOT / "bench" / "deals_eval.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def scores():
    return _bench().evaluate(SAMPLE)


def test_corpus_is_big_enough(scores):
    assert scores["gold_events"] >= 45
    _, fr_gold = scores["by_lang"].get("fr", (0, 0))
    assert fr_gold * 2 >= scores["gold_events"]


def test_corpus_floor_with_gold_amounts(scores):
    assert scores["precision"] >= FLOOR_GOLD_INPUT, scores
    assert scores["recall"] >= FLOOR_GOLD_INPUT, scores


def test_corpus_floor_with_the_extractor():
    bench = _bench()
    try:
        from transforms.figures import extract  # noqa: F401
    except ImportError:
        pytest.skip("extractor not available")
    r = bench.evaluate(SAMPLE, use_extractor=True)
    assert r["precision"] >= FLOOR_EXTRACTOR_INPUT, r
    assert r["recall"] >= FLOOR_EXTRACTOR_INPUT, r


def test_corpus_issue_target(scores):
    assert scores["precision"] >= 0.90, scores
    assert scores["recall"] >= 0.80, scores


def test_every_language_scores(scores):
    for lang, (ok, gold) in scores["by_lang"].items():
        assert gold and ok / gold >= 0.80, (lang, ok, gold)
