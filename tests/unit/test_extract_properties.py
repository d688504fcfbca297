"""Properties of extract() on random and adversarial text, and its time budget.

Whatever the input, extract must not raise, and its figures must be well-formed:
valid offsets, surface equal to the slice, sorted, never overlapping. The adversarial
page checks the regexes cannot backtrack catastrophically (every repetition bounded,
rejection done inside the regex engine).
"""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transforms.contract.figure import KINDS, QUALIFIERS
from transforms.figures import LANGS, extract

PIECES = ["$", "€", "£", "US$", "R$", "Rs.", "DH", "MDH", "MMDH", "F CFA", "%", " ", "\u00a0",
          "\u202f", ",", ".", "'", "-", "–", "1", "22", "000", "5,8", "1.234", "12,34,567",
          "milliards", "millions", "de", "d'", "dollars", "euros", "dirhams", "environ",
          "près de", "entre", "et", "à", "plus de", "moins de", "about", "between", "and",
          "billion", "bn", "k", "M", "Md", "Mrd.", "Mio.", "cents", "centimes", "dix", "vingt",
          "deux", "un", "une", "a", "quarter", "of", "half", "dizaines", "plusieurs",
          "gigawatts", "GW", "MW", "tonnes", "salariés", "employees", "%", "pour cent",
          "zwei", "Milliarden", "dreiundzwanzig", "mil", "millones", "bilhões", "\n", "14:44",
          "2024", "Covid-19", "A320", "contre", "estimée à", "X", "é",
          # Arabic: the normaliser inserts and deletes characters, offsets must still hold
          "٣٠٠", "٫", "٬", "،", "ر", "9 ر8", "مليون", "ملايير", "درهم", "دولار", "و", "ب", "بـ",
          "ـ", "\u200f", "\u064b", "أكثر من", "على الأقل", "بالمائة", "عشرة", "وعشرون", "ما بين",
          "%", "إلى", "سنتيم"]

texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(PIECES), max_size=60).map("".join),
    st.lists(st.sampled_from(PIECES), max_size=30).map(" ".join),
)


def check(text: str, figs) -> None:
    prev_end = 0
    for f in figs:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start:f.end] == f.surface
        assert f.start >= prev_end, "overlap or unsorted"
        prev_end = f.end
        assert f.kind in KINDS
        assert f.qualifier in QUALIFIERS
        if f.value is None:
            assert f.min is not None or f.max is not None
        if f.min is not None and f.max is not None:
            assert f.min <= f.max


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, lang=st.sampled_from([*LANGS, "auto", None]),
       site=st.sampled_from([None, "walaw.press", "lapresse.ca", "example.cm"]))
def test_never_raises_and_well_formed(text: str, lang, site) -> None:
    check(text, extract(text, lang, site=site))


def _adversarial_page() -> str:
    parts = [
        "9" * 100_000,
        "1.1." * 25_000,
        "$" * 50_000,
        "1 " * 50_000,
        "€1 " * 3_000,
        "1,1," * 20_000,
        "1 000 " * 10_000,
        "de " * 20_000,
        "entre 1 et " * 3_000,
        "milliards " * 5_000,
        "- " * 30_000,
        "'1'" * 20_000,
    ]
    page = "".join(parts)
    return page[:1_000_000] if len(page) > 1_000_000 else page + "x" * (1_000_000 - len(page))


@pytest.mark.parametrize("lang", LANGS)
def test_adversarial_megabyte_under_a_second(lang: str) -> None:
    page = _adversarial_page()
    assert len(page) == 1_000_000
    extract("warm up 1 €", lang)
    # CPU time of this process: the budget is ours, not the load of a shared machine
    t0 = time.process_time()
    figs = extract(page, lang)
    dt = time.process_time() - t0
    check(page, figs)
    assert dt < 1.0, f"{lang}: {dt:.2f}s on the adversarial page"


def test_long_digit_run_is_not_a_figure() -> None:
    assert extract("9" * 100_000 + " dollars", "en") == []
