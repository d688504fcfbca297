"""Figure extraction: money, percentages, quantities and counts with exact offsets.

Public API (other stages depend on it; keep it stable):

    extract(text, lang="auto", *, site=None, country=None) -> list[Figure]

Figures are sorted by start and never overlap; `surface == text[start:end]` always.
`lang` is fr, en, es, pt, de, or "auto"/None to detect it. `site` (a domain) and
`country` (ISO alpha-2) resolve ambiguous symbols: "$" is CAD on a .ca site, "dinars"
stay unknown unless the country says which. The engine is language-independent; each
language is data in languages/XX/lexicon.toml, with examples in corpus.jsonl.
"""

from __future__ import annotations

from transforms.figures import Figure

from .context import refine
from .engine import Extraction, country_for_site
from .lexicon import LANGS, load

__all__ = ["LANGS", "extract"]

try:  # the coordinator's detector; a tiny fallback keeps this package self-contained
    from transforms.language import detect_language as _detect
except ImportError:  # pragma: no cover - only before transforms.language exists
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
    return refine(text, L, Extraction(text, L, country).run(), country)
