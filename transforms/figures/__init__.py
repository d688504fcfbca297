"""Figure extraction: money, percentages, quantities and counts with exact offsets.

Public API (other stages depend on it; keep it stable):

    extract(text, lang="auto", *, site=None, country=None) -> list[Figure]

Figures are sorted by start and never overlap; `surface == text[start:end]` always.
`lang` is fr, en, es, pt, de, ar, or "auto"/None to detect it. `site` (a domain) and
`country` (ISO alpha-2) resolve ambiguous symbols: "$" is CAD on a .ca site, "dinars"
stay unknown unless the country says which. The engine is language-independent; each
language is data in transforms/languages/XX/figures.toml, with examples in
examples/figures.jsonl beside it.
"""

from __future__ import annotations

from transforms.contract.figure import Figure

from .context import refine
from .engine import Extraction, country_for_site
from .lexicon import LANGS, load

__all__ = ["LANGS", "extract"]

try:  # the page stage's detector; a tiny fallback keeps this package self-contained
    from transforms.page.language import detect_language as _detect
except ImportError:  # pragma: no cover - only before transforms.page.language exists
    def _detect(text: str, default: str = "fr") -> str:
        return default


def extract(text: str, lang: str | None = "auto", *, site: str | None = None,
            country: str | None = None) -> list[Figure]:
    """Figures in `text`, sorted by start, never overlapping.

    Pure: no I/O after the first call (lexicons are compiled once per process).
    """
    if not text:
        return []
    if not isinstance(text, str):
        raise TypeError("text must be str")
    code = (lang or "auto").lower()
    if code not in LANGS:
        code = _detect(text)
        if code not in LANGS:
            code = "fr"
    if country is None:
        country = country_for_site(site)
    L = load(code)
    if L.normaliser is None:
        return refine(text, L, Extraction(text, L, country).run(), country)
    # Arabic: the engine reads a normalised copy; offsets come back to `text` (the
    # normaliser reads its own datelines and qualifiers written after the figure)
    norm, remap = L.normaliser.prepare(text, L)
    if country is None:
        country = L.normaliser.page_country(norm, L)
    return L.normaliser.restore(Extraction(norm, L, country).run(), text, norm, remap, L)
