"""Rule mentions vs spaCy's French pipeline on the real dev articles: recall of the gold
deal parties among each one's ORG/PER names, precision of those names, time per page.

    python bench/ner_compare.py [--news-dev ../shared/eval/news_dev] [--spacy]

Why: issue 14 asked whether `fr_core_news_md` finds the organisations and people of real
French news better than the rules. spaCy is not a dependency: `--spacy` needs a scratch
environment with `spacy` and `fr-core-news-md` installed (both on the package index; the
model is a package, nothing is downloaded at run time). A gold name counts as found when
one name's token set (case- and accent-folded) contains the other's, as in the deals
scorer.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _tokens(name: str) -> frozenset[str]:
    s = unicodedata.normalize("NFKD", name.casefold())
    return frozenset(re.findall(r"\w+", "".join(c for c in s if not unicodedata.combining(c))))


def _match(a: str, b: str) -> bool:
    ta, tb = _tokens(a), _tokens(b)
    return bool(ta) and bool(tb) and (ta <= tb or tb <= ta)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--news-dev", default=str(ROOT.parent / "shared" / "eval" / "news_dev"))
    ap.add_argument("--spacy", action="store_true", help="measure fr_core_news_md instead of the rules")
    args = ap.parse_args()
    dev = Path(args.news_dev)
    gold = [json.loads(ln) for ln in (dev / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    gold = [g for g in gold if g["lang"] == "fr"]
    if args.spacy:
        import spacy  # only in a scratch environment

        t0 = time.perf_counter()
        nlp = spacy.load("fr_core_news_md")
        load = time.perf_counter() - t0

        def names(text: str) -> set[str]:
            return {e.text for e in nlp(text).ents if e.label_ in ("ORG", "PER")}
    else:
        from transforms.mentions.finder import find_mentions

        load = 0.0

        def names(text: str) -> set[str]:
            return {m.canonical for m in find_mentions(text, "fr") if m.kind in ("org", "person")}

    found = total = right = predicted = 0
    secs = 0.0
    for g in gold:
        text = (dev / "docs" / g["doc"]).read_text(encoding="utf-8")
        parties = {n for e in g["events"] for n in (e["actor"], e["counterpart"]) if n}
        t0 = time.perf_counter()
        got = names(text)
        secs += time.perf_counter() - t0
        total += len(parties)
        found += sum(any(_match(p, n) for n in got) for p in parties)
        predicted += len(got)
        right += sum(any(_match(p, n) for p in parties) for n in got)
    label = "spacy fr_core_news_md" if args.spacy else "rules"
    print(f"{label}: parties found {found}/{total} = {found / total:.2f}; names that are parties "
          f"{right}/{predicted} = {right / predicted:.2f}; {secs / len(gold) * 1000:.1f} ms/page "
          f"over {len(gold)} pages (load {load:.1f} s)")


if __name__ == "__main__":
    main()
