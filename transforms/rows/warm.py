"""Compile every language's lexicons now, before the first page needs them.

The lexicons are compiled once per process, lazily, by the first page of each language
(3 to 4 s of CPU for all of them). A process that will extract many pages, or that
other processes are forked from, can pay that up front: `warm_up` runs each language's
own examples (the `examples/*.jsonl` of its folder, which are also its tests) through
the stages a page goes through, so whatever those stages compile and cache is ready,
without this module having to know which caches there are.
"""

from __future__ import annotations

import json
from importlib import resources

from transforms.deals.confidence import assess
from transforms.deals.events import find_deals
from transforms.figures import LANGS, extract
from transforms.mentions.finder import find_mentions

EXAMPLES_PER_FILE = 3


def example_texts(lang: str, per_file: int = EXAMPLES_PER_FILE) -> list[str]:
    """The first `per_file` example texts of each examples file of `lang`'s folder."""
    folder = resources.files("transforms.languages") / lang / "examples"
    texts: list[str] = []
    if not folder.is_dir():
        return texts
    for ref in sorted(folder.iterdir(), key=lambda r: r.name):
        if not ref.name.endswith(".jsonl"):
            continue
        lines = [line for line in ref.read_text(encoding="utf-8").splitlines() if line.strip()]
        texts.extend(json.loads(line)["text"] for line in lines[:per_file])
    return texts


def warm_up(langs: tuple[str, ...] | list[str] = LANGS) -> int:
    """Figures, mentions, deals and their confidences of each language's examples; the
    number of texts run. Nothing is returned from them: only the caches they fill count."""
    n = 0
    for lang in langs:
        for text in example_texts(lang):
            figs = extract(text, lang)
            money = [f for f in figs if f.kind == "money"]
            mentions = find_mentions(text, lang, spans_to_skip=[(f.start, f.end) for f in figs])
            deals = find_deals(text, lang, money, mentions)
            assess(text, lang, deals, mentions, 0)
            n += 1
    return n
