"""Countries and the governments that stand for them: one entity per government.

Why: a page says "le gouvernement français", another "l'État", a third "France" or
"Paris" for the same party; the deals gold (and any reader) wants one entity linked to
the country code, named in every language ("France", "US", "المغرب"). The names are data
(mentions/data/countries.tsv, and the government names of mentions/data/governments.txt),
read once at import; nothing here does I/O at call time.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

_DATA = Path(__file__).with_name("data")
COUNTRY_LANGS = ("fr", "en", "es", "de", "pt", "ar", "it", "nl")


def _fold(s: str) -> str:
    nfkd = unicodedata.normalize("NFKD", s.replace("’", "'"))
    return " ".join("".join(c for c in nfkd if not unicodedata.combining(c)).casefold().split())


def _load_countries() -> dict[str, dict[str, list[str]]]:
    """countries.tsv: ISO -> language -> names."""
    out: dict[str, dict[str, list[str]]] = {}
    for ln in (_DATA / "countries.tsv").read_text(encoding="utf-8").splitlines():
        if not ln.strip() or ln.startswith("#"):
            continue
        cells = ln.split("\t")
        iso, names = cells[0].strip(), cells[1:]
        per = out.setdefault(iso, {})
        for lang, cell in zip(COUNTRY_LANGS, names, strict=False):
            per[lang] = [n.strip() for n in cell.split(";") if n.strip()]
    return out


def _load_government_names() -> dict[str, str]:
    """governments.txt's per-language sections: government or state name -> ISO."""
    out: dict[str, str] = {}
    section = None
    for ln in (_DATA / "governments.txt").read_text(encoding="utf-8").splitlines():
        ln = ln.strip()
        if not ln or ln.startswith("#"):
            continue
        if ln.startswith("[") and ln.endswith("]"):
            section = ln[1:-1]
            continue
        if section in (None, "countries"):
            continue
        parts = [p.strip() for p in ln.split("|")]
        for name in parts[1:3]:
            if name:
                out[_fold(name)] = parts[0]
    return out


COUNTRIES = _load_countries()
_GOVERNMENT_ISO = _load_government_names()
_COUNTRY_ISO = {_fold(n): iso for iso, per in COUNTRIES.items() for ns in per.values() for n in ns}


def government_iso(name: str) -> str | None:
    """The ISO code of a government or state name ("État français" -> "FR"), else None."""
    return _GOVERNMENT_ISO.get(_fold(name))


def country_iso(name: str) -> str | None:
    """The ISO code of a country name in any listed language ("Marruecos" -> "MA")."""
    return _COUNTRY_ISO.get(_fold(name))


def country_names(iso: str, lang: str | None = None) -> list[str]:
    """The country's names, in `lang` only or in every language (first: the language's own)."""
    per = COUNTRIES.get(iso, {})
    if lang is not None:
        return list(per.get(lang, ()))
    return [n for lg in COUNTRY_LANGS for n in per.get(lg, ())]


def government_key(name: str) -> str | None:
    """The cross-page key shared by every name of one government ("government fr")."""
    iso = government_iso(name)
    return f"government {iso.lower()}" if iso else None
