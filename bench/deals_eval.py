"""Precision and recall of deal events on the sample corpus (data/sample/*.gold.json).

Why: the project's bar is precision >= 0.90 and recall >= 0.80 on (type, actor,
counterpart, amount). Run from the repo root:

    .venv/bin/python bench/deals_eval.py            # gold amounts as the money input
    .venv/bin/python bench/deals_eval.py --extractor # the figure extractor's money output
    .venv/bin/python bench/deals_eval.py -v          # plus every wrong event

Scoring unit: an event of a page, the tuple (type, actor key, counterpart key, amount),
where the amount is (value, min, max, currency) and names are compared by
`entities.canonical_key` (case, accents, articles, legal suffixes ignored). A title
amount and its body twin are one event in the gold (same tuple), so they count once.
The gold "financing_capacity" reads as "financing". Page furniture listed in the gold is
blanked (same length, offsets kept) to stand in for the clean stage; the title's first
occurrence is the title span. Amount-level accuracy (each gold amount's full tuple) is
printed too, as it shows where errors sit.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from transforms.contract.figure import Figure  # noqa: E402
from transforms.deals.events import find_deals  # noqa: E402
from transforms.mentions.finder import find_mentions  # noqa: E402
from transforms.mentions.records import canonical_key  # noqa: E402
from transforms.page.sites import site_country  # noqa: E402

SAMPLE = ROOT / "data" / "sample"
TYPE_ALIASES = {"financing_capacity": "financing"}


def _site_countries() -> dict[str, str]:
    """The `site_country` overrides of newsfacts.toml (and NEWSFACTS_* env), as a run has them."""
    from newsfacts.settings import Settings

    return Settings().site_country


def _key(name: str | None) -> str:
    return canonical_key(name).replace("’", "'") if name else ""


def _amount(value, vmin, vmax, currency) -> tuple:
    r = lambda v: None if v is None else round(float(v), 4)  # noqa: E731
    return r(value), r(vmin), r(vmax), currency


def load_page(gold_path: Path) -> tuple[str, dict, tuple[int, int] | None]:
    """Text with gold furniture blanked, the gold record, and the title span."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    raw = (gold_path.parent / gold["doc"]).read_bytes()
    text = raw.decode(gold.get("encoding") or "utf-8").replace("\r\n", "\n")
    title = gold.get("title")
    title_span = None
    if title and title in text:
        ts = text.index(title)
        title_span = (ts, ts + len(title))
    drop = {
        ln.strip()
        for ln in [
            *gold.get("furniture", []),
            *gold.get("boilerplate", {}).get("lines_to_drop", []),
        ]
    }
    out, pos = [], 0
    for line in text.split("\n"):
        keep = line.strip() not in drop or (
            title_span is not None and pos <= title_span[0] < pos + len(line) + 1
        )
        out.append(line if keep else " " * len(line))
        pos += len(line) + 1
    text = "\n".join(out)
    return text, gold, title_span


def gold_figures(gold: dict) -> list[Figure]:
    out = []
    for a in gold.get("amounts", []):
        s = a["start"]
        out.append(
            Figure(
                "money",
                a["surface"],
                s,
                s + len(a["surface"]),
                value=a.get("value"),
                min=a.get("min"),
                max=a.get("max"),
                currency=a.get("currency"),
                qualifier=a.get("qualifier") or "exact",
            )
        )
    return out


def gold_events(gold: dict) -> set[tuple]:
    return {
        (
            TYPE_ALIASES.get(a["event"], a["event"]),
            _key(a.get("actor")),
            _key(a.get("counterpart")),
            _amount(a.get("value"), a.get("min"), a.get("max"), a.get("currency")),
        )
        for a in gold.get("amounts", [])
        if a.get("event")
    }


def predict(
    text: str, lang: str, money: list[Figure], title_span, country: str | None = None
) -> list:
    mentions = find_mentions(
        text, lang, spans_to_skip=[(f.start, f.end) for f in money], country=country
    )
    return find_deals(text, lang, money, mentions, title_span=title_span, doc_id="eval")


def evaluate(sample: Path = SAMPLE, use_extractor: bool = False, verbose: bool = False) -> dict:
    """Score every page of `sample`; returns counts, precision, recall and per-language data."""
    tp = n_pred = n_gold = 0
    amt_ok = amt_n = 0
    by_lang: Counter[str] = Counter()
    by_lang_ok: Counter[str] = Counter()
    field_err: Counter[str] = Counter()
    pages = sorted(sample.glob("*.gold.json"))
    overrides = _site_countries()
    for gp in pages:
        text, gold, title_span = load_page(gp)
        lang = gold.get("lang", "fr")
        if use_extractor:
            from transforms.figures import extract

            money = [f for f in extract(text, lang, site=gold.get("site")) if f.kind == "money"]
        else:
            money = gold_figures(gold)
        # the site's country, as the pipeline gives it (newsfacts.toml overrides included)
        country = site_country(gold.get("site"), overrides)
        deals = predict(text, lang, money, title_span, country)
        pred = {
            (
                d.event_type,
                _key(d.actor),
                _key(d.counterpart),
                _amount(d.figure.value, d.figure.min, d.figure.max, d.figure.currency),
            )
            for d in deals
        }
        want = gold_events(gold)
        hit = pred & want
        tp += len(hit)
        n_pred += len(pred)
        n_gold += len(want)
        by_lang[lang] += len(want)
        by_lang_ok[lang] += len(hit)
        if not use_extractor:
            for a, d in zip(gold.get("amounts", []), deals, strict=True):
                amt_n += 1
                g = (
                    TYPE_ALIASES.get(a["event"], a["event"]),
                    _key(a.get("actor")),
                    _key(a.get("counterpart")),
                )
                p = (d.event_type, _key(d.actor), _key(d.counterpart))
                amt_ok += g == p
                for name, gi, pi in zip(("type", "actor", "counterpart"), g, p, strict=True):
                    field_err[name] += gi != pi
                if verbose and g != p:
                    print(
                        f"{gp.name[:40]:40} {a['surface'][:28]:28} gold={g} pred={p} trig={d.trigger!r}"
                    )
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    return {
        "pages": len(pages),
        "gold_events": n_gold,
        "pred_events": n_pred,
        "correct": tp,
        "precision": precision,
        "recall": recall,
        "amount_accuracy": amt_ok / amt_n if amt_n else None,
        "amounts": amt_n,
        "field_errors": dict(field_err),
        "by_lang": {k: (by_lang_ok[k], by_lang[k]) for k in sorted(by_lang)},
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sample", type=Path, default=SAMPLE)
    ap.add_argument(
        "--extractor", action="store_true", help="money figures from transforms.figures"
    )
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    r = evaluate(args.sample, args.extractor, args.verbose)
    src = "extractor" if args.extractor else "gold amounts"
    print(
        f"pages {r['pages']}  gold events {r['gold_events']}  predicted {r['pred_events']}  "
        f"correct {r['correct']}  (money input: {src})"
    )
    if r["amount_accuracy"] is not None:
        print(
            f"amount-level accuracy {r['amount_accuracy']:.3f} over {r['amounts']} amounts; "
            f"field errors {r['field_errors']}"
        )
    print(
        "by language (correct/gold): "
        + ", ".join(f"{k} {a}/{b}" for k, (a, b) in r["by_lang"].items())
    )
    print(f"precision {r['precision']:.3f}  recall {r['recall']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
