"""The seed page: its seven amounts and the gigawatt quantity, exactly as in the gold.

The raw page repeats its title (line 13, which the gold lists as boilerplate for the
clean stage to drop), so extract on the raw text finds the title amount a third time;
every figure beyond the gold must lie on a boilerplate line.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from transforms.figures import extract


def _shared() -> Path | None:
    env = os.environ.get("NEWSFACTS_SHARED")
    for cand in (Path(env) if env else None, Path(__file__).resolve().parents[3] / "shared",
                 Path(__file__).resolve().parents[2] / ".." / "shared"):
        if cand is not None and (cand / "seeds").is_dir():
            return cand
    return None


SHARED = _shared()
pytestmark = pytest.mark.skipif(SHARED is None, reason="shared/ (seeds) not available")
SEED = "000_750ff92621c124c4"


@pytest.fixture(scope="module")
def seed():
    text = (SHARED / "seeds" / f"{SEED}.txt").read_text(encoding="utf-8")
    gold = json.loads((SHARED / "seeds" / f"{SEED}.gold.json").read_text(encoding="utf-8"))
    return text, gold, extract(text, gold["lang"], site=gold["site"])


def test_amounts_match_gold(seed) -> None:
    _, gold, figs = seed
    money = {f.start: f for f in figs if f.kind == "money"}
    for a in gold["amounts"]:
        f = money.get(a["start"])
        assert f is not None, f"missing {a['surface']!r} at {a['start']}"
        assert f.surface == a["surface"]
        assert f.value == pytest.approx(a["value"])
        assert f.currency == a["currency"]
        assert f.qualifier == a["qualifier"]
        assert f.min is None and f.max is None


def test_extra_money_only_on_boilerplate_lines(seed) -> None:
    text, gold, figs = seed
    starts = {a["start"] for a in gold["amounts"]}
    line_of = lambda pos: text.count("\n", 0, pos) + 1  # noqa: E731
    boiler = {gold["boilerplate"]["repeated_title_line"]}
    extra = [f for f in figs if f.kind == "money" and f.start not in starts]
    assert all(line_of(f.start) in boiler for f in extra), extra


def test_gigawatt_quantity(seed) -> None:
    _, gold, figs = seed
    for q in gold["quantities"]:
        f = next(f for f in figs if f.start == q["start"])
        assert f.kind == "quantity"
        assert f.surface == q["surface"]
        assert f.unit == q["unit"]
        assert f.qualifier == q["qualifier"]
        assert f.min == pytest.approx(q["min"])
        assert f.max is None and f.value is None
        assert f.si_unit == "W" and f.si_min == pytest.approx(q["min"] * 1e9)


def test_not_figures(seed) -> None:
    text, _, figs = seed
    for bad in ("14:44", "T-Mobile US"):
        pos = text.index(bad)
        assert not any(f.start <= pos < f.end for f in figs), bad


def test_no_other_figure_kinds_slip_in(seed) -> None:
    _, gold, figs = seed
    assert sorted({f.kind for f in figs}) == ["money", "quantity"]
    assert len([f for f in figs if f.kind == "quantity"]) == len(gold["quantities"])
