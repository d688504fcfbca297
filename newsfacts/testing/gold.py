"""Reading the sample corpus gold files, and the money scorer that the corpus test uses.

The gold files in data/sample/ are hand-made readings of each page (see any
NNN_slug.gold.json). Tests, benchmarks and whoever tunes the extractor must read them
the same way: decode each page with the encoding its gold names (two pages are cp1252 on
purpose), match predictions on the exact offset, value and currency, and ignore what an
extractor finds in page furniture (ads, menus, related-article lists, the repeated title)
unless the gold lists it, since that text never reaches the body.

Run as a script to check or repair offsets after editing a page:
    python -m newsfacts.testing.gold check [DIR]
    python -m newsfacts.testing.gold reanchor [DIR]   # moves each surface to its nearest match
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "data" / "sample"
REL_TOL = 1e-6


def load_gold(directory: str | Path = SAMPLE_DIR) -> list[dict]:
    """Every NAME.gold.json in `directory`, sorted by document name."""
    paths = sorted(Path(directory).glob("*.gold.json"))
    return [json.loads(p.read_text(encoding="utf-8")) for p in paths]


def read_page(directory: str | Path, gold: dict) -> str:
    """The page text, decoded with the encoding the gold notes (UTF-8 unless it says otherwise)."""
    raw = (Path(directory) / gold["doc"]).read_bytes()
    return raw.decode(gold.get("encoding", "utf-8"))


def sidecar_path(directory: str | Path, gold: dict) -> Path:
    return Path(directory) / (gold["doc"].removesuffix(".txt") + ".meta.json")


def read_sidecar(directory: str | Path, gold: dict) -> dict | None:
    path = sidecar_path(directory, gold)
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _get(obj, key):
    """Field access for both contract dicts and Figure-like objects."""
    if isinstance(obj, dict):
        return obj.get(key)
    return getattr(obj, key, None)


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    a, b = float(a), float(b)
    return abs(a - b) <= REL_TOL * max(abs(a), abs(b)) or a == b


def amount_matches(pred, gold: dict) -> bool:
    """Same start, same currency, and the same value (or, for ranges and open bounds, min and max)."""
    if _get(pred, "start") != gold["start"]:
        return False
    if (_get(pred, "currency") or None) != gold["currency"]:
        return False
    if gold["value"] is not None:
        return _close(_get(pred, "value"), gold["value"])
    return _close(_get(pred, "min"), gold["min"]) and _close(_get(pred, "max"), gold["max"])


def money_only(pred: list) -> list:
    """Predictions of kind money; a record without a kind counts as money."""
    return [p for p in pred if (_get(p, "kind") or "money") == "money"]


def match_money(pred: list, gold_amounts: list[dict]) -> tuple[list, list, list]:
    """One-to-one matching: (matched (pred, gold) pairs, unmatched preds, unmatched golds)."""
    pending = list(money_only(pred))
    pairs, missed = [], []
    for g in gold_amounts:
        for i, p in enumerate(pending):
            if amount_matches(p, g):
                pairs.append((p, g))
                del pending[i]
                break
        else:
            missed.append(g)
    return pairs, pending, missed


def score_money(pred: list, gold_amounts: list[dict]) -> tuple[int, int, int]:
    """(tp, fp, fn) of money predictions against gold amounts, matched on start, value, currency."""
    pairs, extra, missed = match_money(pred, gold_amounts)
    return len(pairs), len(extra), len(missed)


def f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def furniture_spans(text: str, gold: dict) -> list[tuple[int, int]]:
    """Offsets of the lines of `text` that the gold marks as furniture."""
    furniture = set(gold["furniture"])
    spans, pos = [], 0
    for line in text.split("\n"):
        if line.strip() in furniture:
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def score_page(pred: list, text: str, gold: dict) -> dict:
    """Score one page; predictions on furniture lines that match no gold amount are not counted.

    Title amounts are in the gold (the first title line), so the title line counts only
    through them; the repeated title, ads and 'most read' lists cannot cost precision.
    """
    spans = furniture_spans(text, gold)
    pairs, extra, missed = match_money(pred, gold["amounts"])

    def on_furniture(p) -> bool:
        s = _get(p, "start")
        return s is not None and any(a <= s < b for a, b in spans)

    extra = [p for p in extra if not on_furniture(p)]
    return {"tp": len(pairs), "fp": len(extra), "fn": len(missed), "false_alarms": extra, "misses": missed}


def _dump(gold: dict) -> str:
    """The layout the gold files use: one key a line, list items one a line."""
    out = ["{"]
    keys = list(gold)
    for i, k in enumerate(keys):
        v = gold[k]
        comma = "," if i < len(keys) - 1 else ""
        if isinstance(v, list) and v and (isinstance(v[0], dict) or len(json.dumps(v, ensure_ascii=False)) > 100):
            out.append(f"  {json.dumps(k)}: [")
            out.extend("    " + json.dumps(item, ensure_ascii=False) + ("," if j < len(v) - 1 else "")
                       for j, item in enumerate(v))
            out.append("  ]" + comma)
        else:
            out.append(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}{comma}")
    out.append("}")
    return "\n".join(out) + "\n"


def _nearest(text: str, surface: str, old: int) -> int | None:
    hits, i = [], text.find(surface)
    while i != -1:
        hits.append(i)
        i = text.find(surface, i + 1)
    return min(hits, key=lambda h: abs(h - old)) if hits else None


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("check", "reanchor"):
        print(__doc__)
        return 2
    directory = Path(argv[1]) if len(argv) > 1 else SAMPLE_DIR
    bad = 0
    for gold in load_gold(directory):
        text = read_page(directory, gold)
        changed = False
        for item in gold["amounts"] + gold["figures"]:
            s, surface = item["start"], item["surface"]
            if text[s:s + len(surface)] == surface:
                continue
            new = _nearest(text, surface, s) if argv[0] == "reanchor" else None
            if new is None:
                bad += 1
                print(f"{gold['doc']}: {surface!r} not at {s}")
            else:
                item["start"], changed = new, True
        if changed:
            for key in ("amounts", "figures"):
                gold[key].sort(key=lambda x: x["start"])
            path = Path(directory) / (gold["doc"].removesuffix(".txt") + ".gold.json")
            path.write_text(_dump(gold), encoding="utf-8")
            print(f"{gold['doc']}: offsets updated")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
