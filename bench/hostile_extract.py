"""Is the figure extractor linear on pathological text? Times extract() at 3 sizes.

    python bench/hostile_extract.py [--base 20000]

Each pathological shape (long digit runs, separator and currency-symbol storms, one
huge line) is built at `base`, 2x and 4x its size; the table prints milliseconds and
the 4x/1x ratio: about 4 is linear, 16 quadratic. Shapes come from the same families
as newsfacts.testing.hostile, at controlled sizes.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from transforms.figures import extract

LEAD = "Le groupe investit 1,2 milliard de dirhams. "


def shapes(k: int) -> dict[str, str]:
    rng = random.Random(k)
    units = ["$", "€", "£", "MDH", "DH", "F CFA", "USD", "dirhams", "millions", "milliards", "%", "M$", "Md€"]
    cur = " ".join(rng.choice(units) + (f" {rng.randint(1, 999)}" if rng.random() < .5 else "") for _ in range(k // 4))
    return {
        "digit run": LEAD + "9" * k + " dirhams",
        "digit run, random": LEAD + "".join(rng.choice("0123456789") for _ in range(k)) + " %",
        "spaced digits '1 1 1'": LEAD + "1 " * (k // 2) + "dirhams",
        "'1.1.1'": LEAD + "1." * (k // 2) + "1 €",
        "'1,000,1,000'": LEAD + "1,000," * (k // 6) + " $",
        "NBSP groups": LEAD + "1\u202f000\u00a0" * (k // 6) + "MDH",
        "'1 à 2 et 3'": LEAD + "1 à 2 et 3 " * (k // 11) + "millions",
        "currency storm": LEAD + cur,
        "dollar storm": LEAD + "$" * k,
        "'- - -'": LEAD + "- " * (k // 2),
        "words, one line": (LEAD * (k // len(LEAD) + 1))[:k],
    }


def timed(text: str) -> float:
    t = time.perf_counter()
    extract(text, "fr")
    return (time.perf_counter() - t) * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", type=int, default=20_000)
    args = ap.parse_args()
    extract(LEAD, "fr")  # warm the lexicons
    sizes = (args.base, 2 * args.base, 4 * args.base)
    print(f"{'shape':<24}" + "".join(f"{f'{n:,} ch ms':>14}" for n in sizes) + f"{'4x/1x':>8}")
    for name in shapes(sizes[0]):
        ms = [timed(shapes(n)[name]) for n in sizes]
        print(f"{name:<24}" + "".join(f"{m:>14.1f}" for m in ms) + f"{ms[2] / max(ms[0], 1e-3):>8.1f}")


if __name__ == "__main__":
    main()
