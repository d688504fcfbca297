"""A landing folder of hostile files: what crawlers, disks and people really hand over.

    python -m newsfacts.testing.hostile DIR [--scale 1]

`write_hostile_corpus(dir)` writes at least 500 files (deterministic for a seed) and
returns a manifest {kind: [file names]}; every kind is one way input goes wrong:

binary, nul_bytes, bad_utf8, utf16_bom, utf16_no_bom, huge_page (6 MB, over the 5 MB
default limit), digit_run (100,000 digits), long_line (2 MB without a newline),
separator_storm, currency_storm, broken_sidecar, lying_sidecar, odd_name, broken_html,
html_bomb (gzip that inflates past the limit), broken_gzip, truncated_warc, garbage_warc,
empty, duplicate (the same bytes under two names), and good pages (control: they must
load). Pages of different kinds never share bytes unless the kind says so. Files only: no code runs here
but writing, so the same corpus serves tests, benches and a person's manual checks.
"""

from __future__ import annotations

import gzip
import json
import random
import sys
from collections.abc import Callable
from pathlib import Path

from newsfacts.testing import warcgen

GOOD = (
    "Le groupe Atlas Ciment annonce un investissement de 1,2 milliard de dirhams dans une "
    "nouvelle ligne de production à Settat. Le chantier emploiera 400 personnes.\n\n"
    "La société a réalisé un chiffre d’affaires de 3,4 milliards de DH en 2024, en hausse de 7 %."
)
TITLE = "Atlas Ciment investit 1,2 milliard de dirhams à Settat"


TOWNS = ("Settat", "Safi", "Agadir", "Oujda", "Tétouan", "Nador", "Meknès", "Fès", "Béni Mellal", "Laâyoune")


def _good(n: int) -> str:
    """An article body of its own for page n: identical paragraphs on every page would be
    (rightly) taken for site furniture by the recurrence rule and leave no body."""
    town = TOWNS[n % len(TOWNS)]
    return (GOOD.replace("1,2 milliard", f"{n % 9 + 1},{n % 7} milliard").replace("Settat", f"{town} (lot {n})")
            .replace("400 personnes", f"{300 + n} personnes"))


def _page(n: int, body: str | None = None) -> str:
    body = _good(n) if body is None else body
    return f"Accueil\nÉconomie\n\n{TITLE} ({n})\n\nPublié le 12 mars 2025 à 10h05\n\n{body}\n\n© 2025 Exemple.ma\n"


def _sidecar(n: int) -> dict:
    return {"url": f"https://www.exemple.ma/eco/{n}.html", "fetched_at": "2025-03-12T12:00:00+01:00",
            "site": "exemple.ma", "lang": "fr"}


class _Writer:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.manifest: dict[str, list[str]] = {}

    def put(self, kind: str, name: str, data: bytes | str, sidecar: bytes | str | None = None) -> None:
        path = self.root / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        if sidecar is not None:
            meta = path.with_name(name.rsplit(".", 1)[0] + ".meta.json")
            meta.write_bytes(sidecar.encode("utf-8") if isinstance(sidecar, str) else sidecar)
        self.manifest.setdefault(kind, []).append(name)


def _binary(w: _Writer, rng: random.Random, n: int) -> None:
    magics = [b"\x89PNG\r\n\x1a\n", b"%PDF-1.7\n", b"PK\x03\x04", b"\x7fELF", b"", b"\xff\xd8\xff\xe0"]
    for i in range(n):
        w.put("binary", f"binary_{i:03d}.txt", magics[i % len(magics)] + rng.randbytes(rng.randint(10, 20_000)))


def _nul(w: _Writer, rng: random.Random, n: int) -> None:
    for i in range(n):
        text = _page(5000 + i).encode()
        cut = rng.randint(0, len(text))
        nuls = b"\x00" * (1 if i % 3 else rng.randint(2, 5000))
        w.put("nul_bytes", f"nul_{i:03d}.txt", text[:cut] + nuls + text[cut:], json.dumps(_sidecar(i)))


def _bad_utf8(w: _Writer, rng: random.Random, n: int) -> None:
    bad = [b"\xc3\x28", b"\xa0\xa1", b"\xe2\x28\xa1", b"\xf0\x28\x8c\xbc", b"\xed\xa0\x80", b"\xff", b"\xc0\xaf"]
    for i in range(n):
        text = _page(6000 + i).encode()
        for _ in range(1 + i % 20):
            cut = rng.randint(0, len(text))
            text = text[:cut] + rng.choice(bad) + text[cut:]
        w.put("bad_utf8", f"bad_utf8_{i:03d}.txt", text, json.dumps(_sidecar(i)))


def _utf16(w: _Writer, rng: random.Random, n: int) -> None:
    for i in range(n):
        text = _page(7000 + i)
        enc = "utf-16-le" if i % 2 else "utf-16-be"
        if i % 3:
            w.put("utf16_bom", f"utf16_bom_{i:03d}.txt", text.encode("utf-16"))
        else:
            w.put("utf16_no_bom", f"utf16_nobom_{i:03d}.txt", text.encode(enc))


def _huge(w: _Writer, rng: random.Random, n: int) -> None:
    para = GOOD + "\n\n"
    for i in range(n):
        w.put("huge_page", f"huge_{i:03d}.txt", _page(i, para * (6_000_000 // len(para.encode()) + 1)))


def _digit_runs(w: _Writer, rng: random.Random, n: int) -> None:
    for i in range(n):
        digits = "".join(rng.choice("0123456789") for _ in range(100_000)) if i % 2 else "9" * 100_000
        tail = [" dirhams", " %", " MDH", " millions de dollars", "", " €"][i % 6]
        w.put("digit_run", f"digits_{i:03d}.txt", _page(i, _good(i) + f"\n\nLe montant atteint {digits}{tail}."),
              json.dumps(_sidecar(i)))


def _long_lines(w: _Writer, rng: random.Random, n: int) -> None:
    words = ["le", "groupe", "investit", "1,2", "milliard", "de", "dirhams", "et", "12 %", "MDH", "à", "Settat"]
    for i in range(n):
        line = " ".join(rng.choice(words) for _ in range(2_000_000 // 6))[:2_000_000]
        w.put("long_line", f"longline_{i:03d}.txt", _page(i, _good(i) + "\n\n" + line), json.dumps(_sidecar(i)))


def _separator_storms(w: _Writer, rng: random.Random, n: int) -> None:
    storms = [
        lambda k: "1 " * k,
        lambda k: "1.1" * k,
        lambda k: "1,000," * k,
        lambda k: "1\u202f000\u00a0" * k,
        lambda k: "- " * k,
        lambda k: ", , ." * k,
        lambda k: "12'345'" * k,
        lambda k: "1/2/" * k,
        lambda k: "1 à 2 et 3 " * k,
        lambda k: "(1) " * k,
    ]
    for i in range(n):
        storm = storms[i % len(storms)](20_000 + 5_000 * (i // len(storms)))
        w.put("separator_storm", f"separators_{i:03d}.txt", _page(i, _good(i) + "\n\n" + storm + " dirhams"),
              json.dumps(_sidecar(i)))


def _currency_storms(w: _Writer, rng: random.Random, n: int) -> None:
    units = ["$", "€", "£", "¥", "MDH", "DH", "F CFA", "USD", "dirhams", "millions", "milliards", "%",
             "M$", "Md€", "bn", "k€"]
    for i in range(n):
        pieces = []
        for _ in range(20_000):
            pieces.append(rng.choice(units))
            if rng.random() < 0.5:
                pieces.append(str(rng.randint(1, 999)))
        w.put("currency_storm", f"currencies_{i:03d}.txt", _page(i, _good(i) + "\n\n" + " ".join(pieces)),
              json.dumps(_sidecar(i)))


def _sidecars(w: _Writer, rng: random.Random, n: int) -> None:
    broken = [b"{", b"", b"\xff\xfe\x00", b"[1, 2]", b"null", b'"a string"', b"{'single': 'quotes'}",
              json.dumps({"k": "v" * 3_000_000}).encode()]
    lying = [
        {"url": "javascript:alert(1)", "site": 42, "lang": "xx", "fetched_at": "yesterday"},
        {"url": "https://exemple.ma/a", "fetched_at": "9999-12-31T23:59:59+14:00", "lang": "fr"},
        {"url": "https://exemple.ma/a", "fetched_at": "0001-01-01T00:00:00", "site": ""},
        {"url": None, "fetched_at": None, "site": None, "lang": None},
        {"url": "https://" + "a" * 5000 + ".ma/", "site": "a" * 5000, "lang": "en"},
        {"url": "https://exemple.ma/a", "fetched_at": "2025-02-30T10:00:00", "lang": "de"},
        {"url": ["list"], "fetched_at": 12345, "site": {"nested": True}, "lang": 1.5},
    ]
    for i in range(n):
        if i % 2:
            w.put("broken_sidecar", f"sidecar_broken_{i:03d}.txt", _page(3000 + i), broken[i // 2 % len(broken)])
        else:
            w.put("lying_sidecar", f"sidecar_lying_{i:03d}.txt", _page(3000 + i),
                  json.dumps(lying[i // 2 % len(lying)]))


def _odd_names(w: _Writer, rng: random.Random, n: int) -> None:
    names = ["with space {i}.txt", "é-accentué-{i}.txt", "-leading-dash-{i}.txt", "UPPER_{i}.TXT",
             "{i}" + "x" * 200 + ".txt", "semi;colon'quote\"{i}.txt", "emoji-📈-{i}.txt",
             "dots...{i}..txt", "#hash&amp{i}.txt", "tab\t{i}.txt"]
    for i in range(n):
        w.put("odd_name", names[i % len(names)].format(i=i), _page(4000 + i), json.dumps(_sidecar(i)))


def _broken_html(w: _Writer, rng: random.Random, n: int) -> None:
    shapes: list[Callable[[int], bytes]] = [
        lambda i: b"<html><body><p>" + GOOD.encode() + b"<p><div><span>",  # never closed
        lambda i: b"<div>" * 100_000 + GOOD.encode(),  # nesting far past lxml's depth
        lambda i: b"<p>" + b"<b>a</b>" * 40_000,  # 80,000 elements
        lambda i: b"<html><head><script>" + b"var x=1;" * 50_000 + b"</script></head></html>",
        lambda i: b"<html><body><p title='" + b"x" * 1_000_000 + b"'>" + GOOD.encode() + b"</p></body></html>",
        lambda i: b"<<<>>><!--" + GOOD.encode(),  # an unterminated comment swallows it all
        lambda i: b"<?xml version='1.0' encoding='klingon'?><html><body><p>" + GOOD.encode() + b"</p></body></html>",
        lambda i: b"<html><body><table>" + b"<tr><td>1 000 $</td></tr>" * 5_000 + b"</table></body></html>",
        lambda i: b"<html><meta charset='utf-16'><body><p>" + GOOD.encode() + b"</p></body></html>",
        lambda i: b"<html><body><article><p>" + GOOD.encode("cp1252", "replace") + b"</p></article></body></html>",
    ]
    for i in range(n):
        ext = ".htm" if i % 4 == 0 else ".html"
        w.put("broken_html", f"broken_{i:03d}{ext}", shapes[i % len(shapes)](i) + b"<!-- %d -->" % i)


def _gzip(w: _Writer, rng: random.Random, n: int) -> None:
    good = f"<html><body><article><h1>{TITLE}</h1><p>{GOOD}</p></article></body></html>".encode()
    for i in range(n):
        if i % 3 == 0:
            w.put("html_bomb", f"bomb_{i:03d}.html.gz", gzip.compress(b"<p>%d" % i + b"a" * 50_000_000, 9, mtime=0))
        elif i % 3 == 1:
            w.put("broken_gzip", f"cut_{i:03d}.html.gz", gzip.compress(good, mtime=0)[: 10 + i])
        else:
            w.put("broken_gzip", f"garbage_{i:03d}.html.gz", b"\x1f\x8b\x08\x00" + rng.randbytes(500))


def _warcs(w: _Writer, rng: random.Random, n: int) -> None:
    html = f"<html><body><article><h1>{TITLE}</h1><p>{GOOD}</p></article></body></html>".encode()
    for i in range(n):
        recs = [warcgen.response(f"https://exemple.ma/w/{i}/{k}", html.replace(b"Settat", f"Settat-{i}-{k}".encode()))
                for k in range(3)]
        if i % 3 == 0:
            w.put("garbage_warc", f"garbage_{i:03d}.warc.gz", rng.randbytes(2000))
            continue
        members = [warcgen.gz_member(r) for r in recs]
        data = b"".join(members[:-1]) + members[-1][: len(members[-1]) // (2 + i % 5)]
        w.put("truncated_warc", f"truncated_{i:03d}.warc.gz", data)


def _empty(w: _Writer, rng: random.Random, n: int) -> None:
    for i in range(n):
        w.put("empty", f"empty_{i:03d}.txt", ["", " ", "\n\n\n", "\t \r\n", "\ufeff"][i % 5])


def _good_pages(w: _Writer, rng: random.Random, n: int) -> None:
    for i in range(n):
        w.put("good", f"good_{i:03d}.txt", _page(1000 + i), json.dumps(_sidecar(1000 + i)))


def _duplicates(w: _Writer, rng: random.Random, n: int) -> None:
    """The same bytes under two names (a re-download, "a (1).txt"), with and without a sidecar."""
    for i in range(n):
        page = _page(2000 + i)
        w.put("duplicate", f"dup_{i:03d}_a.txt", page, json.dumps(_sidecar(2000 + i)))
        w.put("duplicate", f"dup_{i:03d}_b copy.txt", page)


# kind writer, files at scale 1
KINDS: list[tuple[Callable[[_Writer, random.Random, int], None], int]] = [
    (_binary, 40), (_nul, 30), (_bad_utf8, 40), (_utf16, 30), (_huge, 3), (_digit_runs, 12),
    (_long_lines, 4), (_separator_storms, 60), (_currency_storms, 30), (_sidecars, 60),
    (_odd_names, 40), (_broken_html, 60), (_gzip, 30), (_warcs, 30), (_empty, 20), (_good_pages, 30), (_duplicates, 10),
]


def write_hostile_corpus(root: Path, *, scale: float = 1.0, seed: int = 11) -> dict[str, list[str]]:
    """Write the corpus into `root` (created); return {kind: [file names]} (sidecars not listed)."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    w = _Writer(root)
    for writer, count in KINDS:
        writer(w, rng, max(1, round(count * scale)))
    return w.manifest


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("data/hostile")
    scale = float(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[2] == "--scale" else 1.0
    manifest = write_hostile_corpus(target, scale=scale)
    files = sum(len(v) for v in manifest.values())
    size = sum(p.stat().st_size for p in target.iterdir())
    print(f"{files} files ({size / 2**20:.0f} MiB with sidecars) in {target}")
    for kind, names in manifest.items():
        print(f"  {kind:<16} {len(names)}")
