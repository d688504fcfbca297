"""Cheap language identification for news pages (fr, en, es, pt, de, ...).

Why hand-rolled: the pipeline sees 10,000+ pages per run and the extractor calls this
on short snippets too, so we need something that costs microseconds, never raises and
has no model to load. Counting function words is enough to tell these five languages
apart on a paragraph; on a 2-word snippet we fall back to `default` unless one
language clearly wins.

Scoring: each token found in a language's word list adds 1 / (number of languages that
list it), so a shared word ("de", "la") counts a little for each and a distinctive one
("the", "und", "dix") counts fully. A few letters (ñ, ß, ã/õ, ç, è/ê) add a small
weight. Ties go to `default` when it is among the leaders. The words and letters are
data, one transforms/languages/<lang>/detect.toml per language. A language with a script
of its own (Arabic) names it there (`script`, a character class): each token written in
that script adds 1 (a French page quoting an Arabic name stays French; an Arabic page
has hundreds of such tokens).
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter

from transforms import languages

# Every language folder is a language a page may be tagged with (a sidecar's "lang" is
# trusted for any of them); detection scores the ones whose folder has a detect.toml.
LANGS: tuple[str, ...] = languages.LANGS
_DETECT_DATA = {code: tomllib.loads(languages.read_text(code, "detect.toml"))
                for code in languages.having("detect.toml")}
_DETECT: tuple[str, ...] = tuple(_DETECT_DATA)

# Function words and frequent news words (transforms/languages/<lang>/detect.toml).
_WORDS: dict[str, str] = {code: d.get("words", "") for code, d in _DETECT_DATA.items()}

_WEIGHTS: dict[str, dict[str, float]] = {}
for _lang, _blob in _WORDS.items():
    for _w in set(_blob.split()):
        _WEIGHTS.setdefault(_w, {})[_lang] = 1.0
for _w, _langs in _WEIGHTS.items():
    _share = 1.0 / len(_langs)
    for _lang in _langs:
        _langs[_lang] = _share
# Sentence-initial and upper-case forms share the same weights, so the sample need not
# be lower-cased (str.lower on non-ASCII text is a measurable cost per page).
for _w in list(_WEIGHTS):
    _WEIGHTS.setdefault(_w.capitalize(), _WEIGHTS[_w])
    _WEIGHTS.setdefault(_w.upper(), _WEIGHTS[_w])

# Letters that are strong hints (counted once per occurrence, small weight each).
_LETTER_HINTS: tuple[tuple[str, str, float], ...] = tuple(
    (needle, code, float(w)) for code, d in _DETECT_DATA.items()
    for needle, w in d.get("letters", {}).items()
)

# Languages told by their script (detect.toml `script`: a regex character class).
_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (code, re.compile(d["script"])) for code, d in _DETECT_DATA.items() if d.get("script")
)

_SAMPLE_CHARS = 1200  # ~200 words: plenty for function-word counts, cheap to scan
_KEYS = frozenset(_WEIGHTS)
_SPACED = (",", ".", ";", ":", "!", "?", "(", ")", "«", "»", '"', "“", "”", "’", "'")


def language_scores(text: str) -> dict[str, float]:
    """Score of each language on the first few KB of `text` (exposed for tests/debugging).

    Punctuation and apostrophes become blanks (so "l’année" gives "l" and "année"),
    the sample is split on blanks and only the tokens that are in a word list are
    visited: a set intersection in C instead of a Python loop over every token.
    """
    scores = dict.fromkeys(_DETECT, 0.0)
    if not text:
        return scores
    sample = text[:_SAMPLE_CHARS]
    for ch in _SPACED:
        if ch in sample:
            sample = sample.replace(ch, " ")
    counts = Counter(sample.split())
    for tok in counts.keys() & _KEYS:
        c = counts[tok]
        for lang, w in _WEIGHTS[tok].items():
            scores[lang] += w * c
    for code, script in _SCRIPTS:
        if script.search(sample):
            scores[code] = float(sum(c for tok, c in counts.items() if script.match(tok)))
    ranked = sorted(scores.values(), reverse=True)
    if ranked[0] >= 4 and ranked[0] >= 2 * ranked[1]:
        return scores  # clear winner: letter hints could not change it
    for needle, lang, w in _LETTER_HINTS:
        n = sample.count(needle) + sample.count(needle.upper())
        if n:
            scores[lang] += w * min(n, 20)
    return scores


def detect_language(text: str, default: str = "fr") -> str:
    """Best guess among the detectable languages; `default` when the text gives no clear signal.

    Never raises: non-str or empty input gives `default` (or "fr" when `default` is
    not one of the five).
    """
    fallback = default if default in LANGS else "fr"
    if not isinstance(text, str) or not text:
        return fallback
    try:
        scores = language_scores(text)
    except Exception:  # defensive: this runs inside batch tasks and must never fail a page
        return fallback
    best = max(scores.values())
    if best <= 0.0:
        return fallback
    leaders = [lang for lang in _DETECT if scores[lang] >= best - 1e-9]
    if fallback in leaders or len(leaders) > 1:
        return fallback if fallback in leaders else leaders[0]
    return leaders[0]
