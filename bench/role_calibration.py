"""Calibration of the deal role confidences on the news dev set (issue 14).

Why: `transforms/deals/confidence.py` gives each actor and counterpart a confidence and
the flow leaves a role null under `ROLE_FLOOR`. A floor is only worth what the
confidences are: this script checks that they order right names above wrong ones, and
shows what each floor would give, so the floor is chosen from evidence, not by feel.

It runs the pure stages in process (clean, figures, mentions, deals, confidences) on the
news dev documents with no floor at all, pairs each gold amount with a predicted amount
the way ../shared/eval/news_dev/score_news_deals.py does (same start first, then the
largest overlap) and judges every named role with that scorer's name match (token sets,
aliases of the entity included). Then it prints:

- per role, per confidence bucket: named roles, share right;
- per candidate floor: named-role precision and the tuple F1 the scorer would print
  (spurious events included), with the floor applied to both roles.

    .venv/bin/python bench/role_calibration.py                    # ../shared/eval/news_dev
    .venv/bin/python bench/role_calibration.py --wrong            # plus every wrong named role
    .venv/bin/python bench/role_calibration.py --dump /tmp/r.jsonl  # one line per named role

Its tuple F1 at the current floor should be close to the scorer's (the scorer runs the
whole flow: furniture learnt across a batch can differ a little).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from transforms.contract.pages import Page, RawPage  # noqa: E402
from transforms.deals import confidence  # noqa: E402
from transforms.page.htmlpage import prepare_any  # noqa: E402
from transforms.rows import batch  # noqa: E402

NEWS_DEV = ROOT.parent / "shared" / "eval" / "news_dev"
BUCKETS = (0.0, 0.3, 0.4, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9, 1.01)
FLOORS = (0.0, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8)


def _scorer(path: Path):
    spec = importlib.util.spec_from_file_location("score_news_deals", path)
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def _pages(gold: list[dict], docs: Path) -> list[Page]:
    pages = []
    for g in gold:
        meta = {"site": g["site"]} if g.get("site") else {}
        if g.get("date"):
            meta["fetched_at"] = g["date"] + "T12:00:00"
        raw = RawPage(str(docs / g["doc"]), (docs / g["doc"]).read_bytes(),
                      datetime(2020, 1, 1, tzinfo=UTC), meta or None)
        page = prepare_any(raw, furniture={}, max_bytes=50_000_000, site_tz={}, site_country={})
        if isinstance(page, Page):
            pages.append(page)
    return pages


def collect(news_dev: Path) -> tuple[list[dict], int]:
    """One record per gold event (with the unfloored prediction) and the spurious count."""
    sc = _scorer(news_dev / "score_news_deals.py")
    gold = sc.load_jsonl(str(news_dev / "gold.jsonl"))
    pages = _pages(gold, news_dev / "docs")
    evidence: dict[str, dict[str, dict]] = {}

    def assess_explained(text, lang, events, mentions, title_end=0):
        out = []
        for d in events:  # one deal at a time, to know whose evidence is whose
            ex: list[dict] = []
            out.extend(confidence.assess(text, lang, [d], mentions, title_end, explain=ex))
            evidence[d.event_id] = {e["role_of"]: e for e in ex}
        return out

    saved = batch.ROLE_FLOOR, batch.assess
    batch.ROLE_FLOOR, batch.assess = 0.0, assess_explained  # keep every role: floors below
    try:
        t = batch.extract_batch(pages, "calibration").tables
    finally:
        batch.ROLE_FLOOR, batch.assess = saved
    path_of = {p.doc_id: Path(p.source_path).name for p in pages}
    ents = {r["entity_id"]: r for r in t["dim_entity"].to_pylist()}
    deals = t["fact_deal"].to_pylist()
    by_event = {d["event_id"]: d for d in deals}
    by_amount = {d["amount_id"]: d for d in deals}
    preds: dict[str, list[dict]] = {}
    for a in t["fact_amount"].to_pylist():
        d = by_event.get(a.get("event_id")) or by_amount.get(a["amount_id"])
        preds.setdefault(path_of[a["doc_id"]], []).append({**a, "deal": d})
    records, spurious = [], 0
    for g in gold:
        ps = sorted(preds.get(g["doc"], []), key=lambda a: (a["raw_start"], a["raw_end"]))
        spans = [(e["start"], e["start"] + len(e["surface"])) for e in g["events"]]
        g2p, rest = sc.align(spans, ps)
        boiler = [(b["start"], b["end"]) for b in g.get("boilerplate_amounts", [])]
        for pi in rest:
            p = ps[pi]
            if p["deal"] is not None and not any(
                min(be, p["raw_end"]) - max(bs, p["raw_start"]) > 0 for bs, be in boiler
            ):
                spurious += 1
        for gi, e in enumerate(g["events"]):
            d = ps[g2p[gi]]["deal"] if gi in g2p else None
            rec = {"doc": g["doc"], "start": e["start"], "gold": e, "deal": None}
            if d is not None:
                rec["deal"] = {
                    "type": d["event_type"],
                    "actor": ents.get(d["actor_id"]) if d["actor_id"] else None,
                    "counterpart": ents.get(d["counterpart_id"]) if d["counterpart_id"] else None,
                    "actor_conf": d["actor_confidence"] or 0.0,
                    "counterpart_conf": d["counterpart_confidence"] or 0.0,
                    "evidence": evidence.get(d["event_id"], {}),
                }
            records.append(rec)
    for r in records:
        d, e = r["deal"], r["gold"]
        if d is None:
            continue
        d["type_ok"] = d["type"] == e["event_type"]
        for role, gkey in (("actor", "actor"), ("counterpart", "counterpart")):
            d[f"{role}_right"] = sc.name_ok(e[gkey], d[role]) if d[role] else None
            d[f"{role}_null_ok"] = e[gkey] is None
    return records, spurious


def _bucket(c: float) -> str:
    for lo, hi in pairwise(BUCKETS):
        if lo <= c < hi:
            return f"[{lo:.2f},{min(hi, 1.0):.2f})"
    return "?"


def table(records: list[dict]) -> None:
    print("confidence bucket -> named roles, share right (actor | counterpart | both)")
    rows: dict[str, list[int]] = {}
    for r in records:
        d = r["deal"]
        if d is None:
            continue
        for i, role in enumerate(("actor", "counterpart")):
            if d[role] is None:
                continue
            b = rows.setdefault(_bucket(d[f"{role}_conf"]), [0] * 4)
            b[2 * i] += 1
            b[2 * i + 1] += bool(d[f"{role}_right"])
    for b in sorted(rows):
        na, ra, nc, rc = rows[b]
        tot = na + nc
        print(f"  {b:<12} actor {ra:>3}/{na:<3} {ra / na if na else 0:>5.2f} | counterpart "
              f"{rc:>3}/{nc:<3} {rc / nc if nc else 0:>5.2f} | both {(ra + rc) / tot if tot else 0:.2f}")


def at_floor(records: list[dict], spurious: int, floor: float) -> tuple[float, float, int]:
    """Named-role precision, tuple F1 and named roles with `floor` applied."""
    named = right = tp = npred = 0
    for r in records:
        d = r["deal"]
        if d is None:
            continue
        npred += 1
        ok = d["type_ok"]
        for role in ("actor", "counterpart"):
            kept = d[role] is not None and d[f"{role}_conf"] >= floor
            if kept:
                named += 1
                right += bool(d[f"{role}_right"])
                ok = ok and bool(d[f"{role}_right"])
            else:
                ok = ok and d[f"{role}_null_ok"]
        tp += ok
    npred += spurious
    p, rc = tp / max(npred, 1), tp / max(len(records), 1)
    return right / max(named, 1), 2 * p * rc / (p + rc) if p + rc else 0.0, named


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--news-dev", type=Path, default=NEWS_DEV)
    ap.add_argument("--wrong", action="store_true", help="print every wrong named role")
    ap.add_argument("--dump", type=Path, help="write one JSON line per named role here")
    args = ap.parse_args()
    if not (args.news_dev / "gold.jsonl").is_file():
        sys.exit(f"no news dev set at {args.news_dev}")
    records, spurious = collect(args.news_dev)
    table(records)
    print(f"\nfloor -> named-role precision, tuple F1, named roles "
          f"(current ROLE_FLOOR {confidence.ROLE_FLOOR}, VIEW_MIN {confidence.VIEW_MIN})")
    for f in sorted({*FLOORS, confidence.ROLE_FLOOR}):
        prec, f1, named = at_floor(records, spurious, f)
        mark = "  <- ROLE_FLOOR" if f == confidence.ROLE_FLOOR else ""
        print(f"  {f:.2f}  precision {prec:.3f}  F1 {f1:.3f}  named {named}{mark}")
    out = open(args.dump, "w", encoding="utf-8") if args.dump else None  # noqa: SIM115
    for r in records:
        d = r["deal"]
        if d is None:
            continue
        for role in ("actor", "counterpart"):
            if d[role] is None:
                continue
            row = {"doc": r["doc"], "start": r["start"], "role": role, "name": d[role]["name"],
                   "gold": r["gold"][role], "conf": d[f"{role}_conf"], "right": d[f"{role}_right"],
                   "type": d["type"], "gold_type": r["gold"]["event_type"],
                   "evidence": d["evidence"].get(role, {})}
            if out:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
            if args.wrong and not d[f"{role}_right"]:
                print(f"  WRONG {row['conf']:.2f} {role:<11} {row['name']!r:<32} gold {row['gold']!r:<28}"
                      f" {r['doc'][:22]}@{r['start']} {row['type']}")
    if out:
        out.close()


if __name__ == "__main__":
    main()
