"""Generate a large corpus for throughput benchmarks from the bundled sample pages.

    python -m newsfacts.testing.corpus --pages 10000 --out /tmp/corpus [--seed 1]

Why generate rather than copy: a benchmark over 10,000 copies of 40 pages measures caches
and deduplication (doc_id is a hash of the bytes), not the pipeline. Each generated page
starts from one sample page and varies it deterministically from (seed, page number):
digits inside numbers (the first digit and years are kept, so magnitudes, formats and
dates stay plausible), organisation names (from the gold lists), the order of the body
paragraphs after the lead, and the sidecar's url and fetched_at. Pages keep the
template's encoding (the cp1252 samples stay cp1252) and pages whose template has no
sidecar get none, so the ingest fallbacks are exercised at scale too. Every page is
distinct in bytes. No gold is written: offsets move when digits and names change.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "data" / "sample"

# A number as printed: digit runs joined by the separators the sample pages use.
NUMBER = re.compile(r"\d+(?:[.,'’\u00a0\u202f ]\d+)*")
YEAR = re.compile(r"(?:19|20)\d\d")

# Invented names to swap in for the organisations of the sample pages (ASCII, so they
# encode in cp1252 too).
NAME_HEADS = ("Atlas", "Nova", "Sahel", "Orion", "Cedar", "Tamaris", "Boreal", "Lumen", "Kestrel",
              "Argan", "Meridia", "Solano", "Vireo", "Halden", "Corvus", "Tidewater", "Ouzoud",
              "Marlin", "Quarry", "Pelican", "Zenara", "Ridgeway", "Oasis", "Falcon")
NAME_TAILS = ("Holding", "Group", "Capital", "Industries", "Partners", "Energy", "Finance",
              "Logistics", "Mining", "Telecom", "Assurances", "Bank", "Ventures", "Resources")
NAMES = tuple(f"{h} {t}" for h in NAME_HEADS for t in NAME_TAILS)


@dataclass
class Template:
    """A sample page cut into literal text and slots (numbers, organisation names) to vary.

    Each distinct number or name is one slot, so a value repeated on a page (the title and
    its repetition, a name used twice) is replaced the same way everywhere on that page.
    """

    slug: str
    encoding: str
    meta: dict | None
    lines: list[list]  # per line: str (literal) or int (slot index)
    slots: list[tuple[str, list[str], list[int]]]  # (kind, chars, indices of digits to vary)
    body_lines: list[int]  # line indices of the body paragraphs
    org_slots: int = 0

    def __post_init__(self) -> None:
        self.org_slots = sum(1 for kind, _, _ in self.slots if kind == "org")


def _cut(text: str, names: list[str], furniture: set[str]) -> tuple[list[list], list, list[int]]:
    alternatives = [rf"(?<!\w){re.escape(n)}(?!\w)" for n in names]
    token = re.compile("|".join([*alternatives, NUMBER.pattern]))
    slots: list[tuple[str, list[str], list[int]]] = []
    index: dict[str, int] = {}
    lines: list[list] = []
    body_lines: list[int] = []
    for n, line in enumerate(text.split("\n")):
        if line.strip() and line.strip() not in furniture:
            body_lines.append(n)
        parts: list = []
        pos = 0
        for m in token.finditer(line):
            s = m.group(0)
            if s[0].isdigit():
                digits = [i for i, c in enumerate(s) if c.isdigit()][1:]
                if YEAR.fullmatch(s) or not digits:
                    continue  # years and one-digit numbers stay as printed
                slot = ("num", list(s), digits)
            else:
                slot = ("org", [s], [])
            if s not in index:
                index[s] = len(slots)
                slots.append(slot)
            parts.extend([line[pos:m.start()], index[s]])
            pos = m.end()
        parts.append(line[pos:])
        lines.append(parts)
    return lines, slots, body_lines


def load_templates(sample_dir: Path) -> list[Template]:
    """Every page of the sample folder with its gold (for encoding, organisations, furniture)."""
    templates = []
    for gold_path in sorted(sample_dir.glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        stem = gold["doc"].removesuffix(".txt")
        encoding = gold.get("encoding", "utf-8")
        text = (sample_dir / gold["doc"]).read_bytes().decode(encoding)
        meta_path = sample_dir / f"{stem}.meta.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else None
        names = sorted(set(gold.get("organisations", [])), key=len, reverse=True)
        lines, slots, body_lines = _cut(text, names, set(gold.get("furniture", [])))
        templates.append(Template(stem.split("_", 1)[-1], encoding, meta, lines, slots, body_lines))
    if not templates:
        raise SystemExit(f"no sample pages with gold in {sample_dir}")
    return templates


def vary_page(t: Template, rng: random.Random) -> str:
    """The template with new digits, new organisation names and the body paragraphs reordered."""
    names = iter(rng.sample(NAMES, t.org_slots))  # distinct organisations stay distinct
    values = []
    for kind, chars, digits in t.slots:
        if kind == "org":
            values.append(next(names))
            continue
        new = list(chars)
        drawn = str(rng.randrange(10 ** len(digits))).zfill(len(digits))
        for i, d in zip(digits, drawn, strict=True):
            new[i] = d
        values.append("".join(new))
    order = list(range(len(t.lines)))
    if len(t.body_lines) > 2:
        rest = t.body_lines[1:]
        shuffled = rest[:]
        rng.shuffle(shuffled)
        for i, j in zip(rest, shuffled, strict=True):
            order[i] = j
    return "\n".join("".join(p if isinstance(p, str) else values[p] for p in t.lines[i]) for i in order)


def vary_meta(meta: dict, n: int, rng: random.Random) -> dict:
    fetched = datetime.fromisoformat(meta["fetched_at"])
    fetched += timedelta(days=rng.randint(0, 30), minutes=rng.randint(0, 1439))
    url = re.sub(r"(\.html)?(/)?$", lambda m: f"-g{n:06d}{m.group(1) or ''}{m.group(2) or ''}",
                 meta["url"], count=1)
    return {**meta, "url": url, "fetched_at": fetched.isoformat()}


def generate(pages: int, out: Path, seed: int = 1, sample_dir: Path = SAMPLE_DIR) -> dict:
    """Write `pages` pages (and sidecars) into `out`; returns counts for the summary line."""
    templates = load_templates(sample_dir)
    out.mkdir(parents=True, exist_ok=True)
    seen: set[bytes] = set()
    written_bytes = sidecars = 0
    for n in range(pages):
        t = templates[n % len(templates)]
        rng = random.Random(f"{seed}:{n}")
        raw = vary_page(t, rng).encode(t.encoding)
        digest = hashlib.blake2b(raw, digest_size=16).digest()
        if digest in seen:  # vanishingly rare; a reference line makes it unique
            raw += f"\nRéf. {seed}-{n}\n".encode(t.encoding)
            digest = hashlib.blake2b(raw, digest_size=16).digest()
        seen.add(digest)
        name = f"g{n:06d}_{t.slug}"
        with open(f"{out}/{name}.txt", "wb") as fh:
            fh.write(raw)
        written_bytes += len(raw)
        if t.meta is not None:
            meta = vary_meta(t.meta, n, rng)
            with open(f"{out}/{name}.meta.json", "w", encoding="utf-8") as fh:
                fh.write(json.dumps(meta, ensure_ascii=False))
            sidecars += 1
    return {"pages": pages, "sidecars": sidecars, "bytes": written_bytes, "templates": len(templates)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, required=True, help="number of pages to write")
    parser.add_argument("--out", type=Path, required=True, help="output folder (created if missing)")
    parser.add_argument("--seed", type=int, default=1, help="same seed, same bytes")
    parser.add_argument("--sample", type=Path, default=SAMPLE_DIR, help="sample folder with gold files")
    args = parser.parse_args(argv)
    if args.pages < 1:
        parser.error("--pages must be at least 1")
    t0 = time.perf_counter()
    stats = generate(args.pages, args.out, args.seed, args.sample)
    dt = time.perf_counter() - t0
    print(f"wrote {stats['pages']} pages ({stats['sidecars']} sidecars, {stats['bytes'] / 1e6:.1f} MB) "
          f"from {stats['templates']} templates into {args.out} in {dt:.2f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
