"""The extractor's speed-ups must not change what it finds.

The engine reads the common shapes with fused regexes (one `match` for several
readers), asks one combined look-behind question before a figure instead of three,
and starts its page scans on cheap character classes. Each shortcut claims to give
exactly what the step-by-step reading gives; these tests check the claims directly
on random lexicon-made text, so that a lexicon change that breaks one fails here.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transforms.figures import LANGS
from transforms.figures.engine import Extraction
from transforms.figures.lexicon import DIGIT_SUPERSET, load
from transforms.text.tries import WS0, trie

FIELDS = ("start", "end", "num", "value", "scale", "has_scale", "kind", "currency", "unit",
          "pct", "noun", "int_like", "qualifier", "vmin")
NUMS = ["1", "5", "12", "250", "1 000", "2,5", "3.5", "1.234", "12,34,567.89", "2024", "0,5"]
SEPS = ["", " ", " ", "  ", "\u00a0", "-", ", ", ". ", "\n", "'"]


def _tokens(code: str) -> list[str]:
    L = load(code)
    toks = (list(L.scale_words) + list(L.scale_abbr) + list(L.cur_names)[:60] + list(L.cur_syms)
            + list(L.subunits) + list(L.sub_syms) + list(L.percent_words) + list(L.percent_syms)
            + list(L.unit_words)[:60] + list(L.unit_syms)[:40] + sorted(L.nouns)[:40]
            + sorted(L.and_words) + sorted(L.halves) + sorted(L.articles)
            + ["de", "of", "d'", "USD", "XYZ", "eur", "Usd"])
    return toks + [t.upper() for t in toks[:40]] + [t.capitalize() for t in toks[:40]]


TOKENS = {code: _tokens(code) for code in LANGS}


@st.composite
def phrases(draw):
    code = draw(st.sampled_from(LANGS))
    parts = [draw(st.sampled_from(["", "", "$", "€", "US$ ", "£", "R$ ", "EUR "])),
             draw(st.sampled_from(NUMS))]
    for _ in range(draw(st.integers(0, 6))):
        parts.append(draw(st.sampled_from(SEPS)))
        parts.append(draw(st.sampled_from(TOKENS[code])))
    return code, "".join(parts)


def _fields(atom):
    return None if atom is None else tuple(getattr(atom, f) for f in FIELDS)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(phrases(), st.sampled_from([None, "CA", "MA", "CM"]))
def test_fused_readers_read_as_the_sequential_reader(case, country) -> None:
    code, text = case
    for pos, ch in enumerate(text):
        if not ch.isdigit() or (pos and text[pos - 1].isdigit()):
            continue
        for prefix in (None, (0, "USD"), (0, "@dollar")):
            fast = Extraction(text, load(code), country).parse_atom(pos, prefix)
            slow = Extraction(text, load(code), country)._parse_atom_seq(pos, prefix)
            assert _fields(fast) == _fields(slow), (text, pos, prefix)


def _reference_connector(L):
    """The range-connector test as the engine asked it before R["before"]."""
    conn = set(L.range_bare) | {c for cs in L.range_openers.values() for c in cs}
    conn -= {"-", "–", "—"}
    words = sorted({c[::-1] for c in conn}, key=len, reverse=True)
    return re.compile(WS0 + "(?:[-–—]|" + trie(words, ci=True) + r"(?![^\W_]))")


@st.composite
def contexts(draw):
    code = draw(st.sampled_from(LANGS))
    L = load(code)
    pool = (list(L.back["qual"].values) + list(L.back["ctx"].values) + sorted(L.range_bare)
            + ["plus", "de", "les", "the", "x", "a", "é", "estimated", "2", "-", "’"])
    parts = [draw(st.sampled_from(pool)) + draw(st.sampled_from(SEPS[:6]))
             for _ in range(draw(st.integers(1, 5)))]
    return code, "".join(parts) + "5 €", draw(st.integers(0, 8))


@settings(max_examples=3000, deadline=None)
@given(contexts())
def test_before_answers_as_the_three_questions(case) -> None:
    code, text, limit = case
    L = load(code)
    ex = Extraction(text, L, None)
    pos = len(text) - 3
    limit = min(limit, pos)
    n = len(text)
    bm = ex._before(pos, limit)
    conn = _reference_connector(L).match(ex.rev, n - pos, n - max(limit, pos - 12)) is not None
    qual = L.back["qual"].match(ex.rev, pos, limit)
    ctx = L.back["ctx"].match(ex.rev, pos, limit)
    if bm is None:
        assert not conn and qual is None and ctx is None
    elif bm.lastgroup == "c":
        assert conn
    elif bm.lastgroup == "q":
        assert not conn
        val = L.back["qual"].value_of(bm.group("q"))
        assert qual == (None if val is None else (n - bm.end(), val))
    else:
        assert bm.lastgroup == "x" and not conn and qual is None


def test_digit_class_holds_every_decimal_digit() -> None:
    digits = [c for c in map(chr, range(0x110000)) if c.isdecimal()]
    assert len(digits) > 600
    sup = re.compile(DIGIT_SUPERSET)
    assert all(re.match(r"\d", c) and sup.match(c) for c in digits)


@pytest.mark.parametrize("code", LANGS)
def test_page_pieces_cover_their_phrases(code: str) -> None:
    """Every context phrase contains one of its page pieces, and every piece a gate."""
    L = load(code)
    for ph in L.back["ctx"].values:
        assert any(p in ph for p in L.ctx_pieces)
    for p in L.ctx_pieces:
        assert any(g in p for g in L.ctx_gate)
    for cue in L.estimate_cues:
        assert any(g in cue for g in L.cue_gate)
