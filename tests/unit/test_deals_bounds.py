"""Deal typing stays linear on pathological pages (issue 11).

A 2 MB line or a currency-symbol storm is one "sentence" to the splitter; typing every
amount against every trigger and every other amount of its sentence was cubic there, and
one such page held a whole run for minutes. Sentences are now typed in pieces of at most
MAX_SENTENCE_CHARS, and a sentence's other amounts are found by bisection.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from transforms.contract.pages import RawPage
from transforms.deals.context import _bounded
from transforms.deals.vocabulary import MAX_SENTENCE_CHARS
from transforms.mentions.context import sentence_spans
from transforms.page.ingest import prepare_page
from transforms.rows.batch import figures_of, link_entities

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
SHARED_EVAL = ROOT.parent / "shared" / "eval"
UNITS = ["$", "€", "£", "MDH", "DH", "F CFA", "USD", "dirhams", "millions", "milliards", "%", "M$"]
WORDS = ["le", "groupe", "investit", "1,2", "milliard", "de", "dirhams", "et", "rachète", "Atlas"]


def test_bounded_cuts_only_long_spans():
    assert _bounded([(0, 10), (11, 30)], 100) == [(0, 10), (11, 30)]
    assert _bounded([(5, 255)], 100) == [(5, 105), (105, 205), (205, 255)]


def test_no_sample_sentence_is_near_the_bound():
    """The bound must never touch real prose: every sample sentence is far shorter."""
    longest = max(e - s for p in SAMPLE.glob("*.txt")
                  for s, e in sentence_spans(p.read_text(encoding="utf-8", errors="replace")))
    assert longest < MAX_SENTENCE_CHARS / 2


@pytest.mark.skipif(not SHARED_EVAL.is_dir(), reason="../shared is absent")
def test_no_real_article_sentence_reaches_the_bound():
    """Real bodies (../shared/eval) run up to ~2,700-character "sentences": under the bound."""
    longest = 0
    for path in SHARED_EVAL.rglob("*.txt"):
        page = prepare_page(RawPage(str(path), path.read_bytes(), datetime.now(UTC)))
        if hasattr(page, "body"):
            longest = max(longest, *(e - s for s, e in sentence_spans(page.body)), 0)
    assert 0 < longest < MAX_SENTENCE_CHARS


def _page(filler: str):
    text = ("Atlas Ciment investit 1,2 milliard de dirhams\n\n"
            f"Le groupe Atlas Ciment investit 1,2 milliard de dirhams à Settat.\n\n{filler}\n")
    return prepare_page(RawPage("x.txt", text.encode(), datetime.now(UTC)))


def _seconds(page) -> float:
    pf = figures_of(page)
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        link_entities([pf])
        best = min(best, time.perf_counter() - t)
    return best


def test_entities_and_deals_scale_about_linearly_on_storms():
    rng = random.Random(7)

    def storm(k: int) -> str:
        return " ".join(rng.choice(UNITS) + (f" {rng.randint(1, 999)}" if rng.random() < .5 else "")
                        for _ in range(k))

    def line(k: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(k))

    _seconds(_page(storm(200)))  # warm the lexicons
    for make in (storm, line):
        small, large = _seconds(_page(make(3000))), _seconds(_page(make(12000)))
        # 4x the text: ~4x is linear, 16x quadratic, 64x cubic (the old behaviour)
        assert large < 10 * small + 0.05, (make.__name__, small, large)
