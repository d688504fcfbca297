"""All of a language's data, one folder per language code (fr, en, es, pt, de, ...).

Each folder may hold the figure lexicon (`figures.toml`) and its examples
(`examples/figures.jsonl`, which are tests), page-furniture lines (`furniture.txt`),
detection words (`detect.toml`) and the mention and deal cue words (`mention_cues.txt`).
No rules here: the engines live in the stages and read these files once, at import.

`LANGS` is discovered here, once, so that adding a language is adding a folder: a
folder is a language when it holds a `figures.toml` (the one file every language
needs); each stage then uses `having(...)` to take the languages it has data for.
"""

from __future__ import annotations

from importlib import resources

ROOT = resources.files(__name__)
# The project's first languages keep their historical order (it breaks ties in
# language detection); any other folder follows in alphabetical order.
_FIRST = ("fr", "en", "es", "pt", "de")


def _discover() -> tuple[str, ...]:
    found = {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "figures.toml").is_file()}
    return tuple([c for c in _FIRST if c in found] + sorted(found - set(_FIRST)))


LANGS: tuple[str, ...] = _discover()


def having(name: str) -> tuple[str, ...]:
    """The languages (in LANGS order) whose folder holds the data file `name`."""
    return tuple(code for code in LANGS if (ROOT / code / name).is_file())


def read_text(code: str, name: str) -> str:
    """The text of one data file of language `code`."""
    return (ROOT / code / name).read_text(encoding="utf-8")


def word_set(name: str, key: str) -> frozenset[str]:
    """The union, over every language, of the word list `key` of its TOML file `name`."""
    import tomllib

    return frozenset(w for code in having(name)
                     for w in tomllib.loads(read_text(code, name)).get(key, ()))


def word_table(name: str, key: str) -> dict:
    """Per language (code -> value), the entry `key` of its TOML file `name`, for the
    languages that have one: lists and patterns that must not mix across languages."""
    import tomllib

    out = {}
    for code in having(name):
        value = tomllib.loads(read_text(code, name)).get(key)
        if value is not None:
            out[code] = value
    return out
