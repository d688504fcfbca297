"""Extraction speed: figures alone vs figures + mentions + deal events.

Why: the project requires that organisation/people mentions and deal events keep the
extract stage within 2x of figures alone. This script generates ~20 MB of news-like
pages (sample corpus pages with their names swapped for invented ones, and French and
English template pages; see `generate_pages`), then times in one run:

  A. `transforms.figures.extract` on every page (figures alone);
  B. `entities.find_mentions` + `deals.find_deals` on the same pages, fed A's money.

and prints MB/s for each and the ratios (A + mentions) / A and (A + B) / A; the
issue's budget is 2. Last, the time of the regex scans `find_mentions` makes over each
page, alone, as a ratio to A: the part of the finder that runs in C. If the extractor cannot be imported, only B's MB/s is printed.
The first 200 pages run once untimed (lexicon compilation, regex caches): the steady
state of a pipeline process is what is measured, on both sides alike.

    .venv/bin/python bench/mentions_speed.py            # ~20 MB
    .venv/bin/python bench/mentions_speed.py --mb 2     # quicker
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from transforms.deals.events import find_deals  # noqa: E402
from transforms.mentions.finder import find_mentions  # noqa: E402

SYLLABLES = [
    "ka",
    "lo",
    "ri",
    "ven",
    "tar",
    "mo",
    "zel",
    "bra",
    "dun",
    "sil",
    "ver",
    "nor",
    "ath",
    "quin",
    "pel",
    "rus",
    "gor",
    "lem",
    "via",
    "tes",
    "ban",
]
SUFFIXES_FR = ["SA", "Holding", "Groupe", "Industries", "Énergie", "Capital", "Immobilier", ""]
SUFFIXES_EN = ["Inc.", "Holdings", "Group", "Corp.", "Energy", "Capital", "Partners", ""]
GIVEN = ["Karim", "Nadia", "Youssef", "Sophie", "Marc", "Amina", "John", "Sarah", "David", "Laura"]
FAMILY_SYL = ["ben", "ala", "ou", "dar", "mer", "fil", "cha", "ron", "las", "tel"]

FR = [
    "{a} a annoncé un investissement de {m} dans {b}, selon un communiqué publié {d}.",
    "Le groupe {a} a cédé sa participation dans {b} pour environ {m}.",
    "{a} a réalisé un chiffre d'affaires de {m} en {y}, contre {m2} un an plus tôt.",
    "La société {a} prépare une levée de fonds de {m} auprès du fonds {b}.",
    "L'opération valorise {a} à {m}, a précisé {p}, directeur général du groupe.",
    "{b} a obtenu un prêt de {m} auprès de la banque {a}.",
    "Le projet, dont le coût est estimé à {m}, sera porté par {a} et {b}.",
    "L'Autorité de la concurrence a infligé une amende de {m} à {a}.",
    "Le conseil d'administration proposera un dividende de {s} par action.",
    "Les exportations ont progressé de 12 % sur la période, portées par la demande européenne.",
    "Depuis janvier, le marché a reculé de 3 %, a indiqué {p} lors d'une conférence à Casablanca.",
]
# Sentences without money: real articles have about one amount per three sentences.
FR_PLAIN = [
    "{a} emploie 3 200 personnes sur ses sites de Tanger et de Kénitra.",
    "La direction mise sur l'export vers l'Afrique de l'Ouest et l'Europe du Sud.",
    "Le groupe compte ouvrir deux nouvelles usines d'ici 2027, a précisé {p}.",
    "Les analystes saluent une stratégie prudente dans un marché très concurrentiel.",
    "Selon {p}, la demande reste soutenue malgré la hausse des coûts de l'énergie.",
    "Cette annonce intervient quelques semaines après la nomination de {p} à la tête de {a}.",
    "Le secteur a connu une année contrastée, marquée par la baisse des volumes au premier trimestre.",
    "Les syndicats ont demandé des garanties sur l'emploi lors d'une réunion avec la direction.",
]
EN_PLAIN = [
    "{a} employs about 4,000 people across its plants in Ohio and Ontario.",
    "Analysts said the move was widely expected after a difficult year for the sector.",
    "The company did not comment on the report, which was first published by a trade journal.",
    "Chief executive {p} told investors the group would focus on its core markets.",
    "Demand for the product has grown steadily since the pandemic, according to industry data.",
    "The deal still needs approval from competition authorities in Europe and the United States.",
]
EN = [
    "{a} said on {day} it would invest {m} in {b}.",
    "{a} has agreed to acquire {b} for {m}, including debt.",
    "The company reported revenue of {m} for {y}, compared with {m2} a year earlier.",
    "{b} raised {m} in a funding round led by {a}, valuing the company at {m2}.",
    "{a} secured a {m} loan from {b} to build a new plant in Texas.",
    "Chief executive {p} said the group was in talks to sell its stake in {b}.",
    "Shares of {a} rose 4% to {s} in New York trading.",
    "Regulators fined {a} {m} over reporting failures, the company said.",
]


def _name(rng: random.Random, suffixes: list[str]) -> str:
    base = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    if rng.random() < 0.3:
        base += " " + "".join(rng.choice(SYLLABLES) for _ in range(2)).capitalize()
    suf = rng.choice(suffixes)
    return f"{base} {suf}".strip()


def _person(rng: random.Random) -> str:
    return rng.choice(GIVEN) + " " + "".join(rng.choice(FAMILY_SYL) for _ in range(2)).capitalize()


def _money(rng: random.Random, lang: str) -> str:
    v = rng.choice(["1,2", "35", "450", "2,5", "7", "12,8", "300"])
    if lang == "fr":
        unit = rng.choice(
            ["millions de dirhams", "milliards de dollars", "millions d'euros", "MDH"]
        )
        return f"{v} {unit}"
    return f"${v.replace(',', '.')} {rng.choice(['million', 'billion'])}"


def _sample_pages() -> list[tuple[str, str, list[str]]]:
    """(lang, text, names) for every sample page with a gold file: the names (gold
    organisations and people) are what the generator swaps for invented ones."""
    out = []
    for gp in sorted((ROOT / "data" / "sample").glob("*.gold.json")):
        gold = json.loads(gp.read_text(encoding="utf-8"))
        raw = (gp.parent / gold["doc"]).read_bytes()
        text = raw.decode(gold.get("encoding") or "utf-8", "replace")
        names = [
            n for n in gold.get("organisations", []) + gold.get("people", []) if n and len(n) > 2
        ]
        out.append((gold.get("lang", "fr"), text, sorted(names, key=len, reverse=True)))
    return out


def generate_pages(target_bytes: int, seed: int = 7) -> list[tuple[str, str]]:
    """(lang, text) pages, about `target_bytes` in all.

    Half are the sample corpus pages (real furniture, real amount and name density)
    with their organisation and people names replaced by invented ones, so the seed
    list and the per-name caches cannot flatter the timing; half are pages assembled
    from sentence templates in French and English.
    """
    rng = random.Random(seed)
    samples = _sample_pages()
    pages: list[tuple[str, str]] = []
    size = 0
    while size < target_bytes:
        if samples and rng.random() < 0.5:
            lang, text, names = rng.choice(samples)
            suf = SUFFIXES_FR if lang == "fr" else SUFFIXES_EN
            for n in names:
                text = text.replace(
                    n, _person(rng) if " " in n and n.split()[0] in GIVEN else _name(rng, suf)
                )
            pages.append((lang, text))
            size += len(text.encode())
            continue
        lang = "fr" if rng.random() < 0.6 else "en"
        tpl, plain, suf = (
            (FR, FR_PLAIN, SUFFIXES_FR) if lang == "fr" else (EN, EN_PLAIN, SUFFIXES_EN)
        )
        a, b = _name(rng, suf), _name(rng, suf)
        paras = []
        for _ in range(rng.randint(3, 6)):
            sents = [
                rng.choice(tpl if rng.random() < 0.35 else plain).format(
                    a=a if rng.random() < 0.7 else _name(rng, suf),
                    b=b,
                    p=_person(rng),
                    m=_money(rng, lang),
                    m2=_money(rng, lang),
                    s=f"{rng.randint(10, 99)} DH",
                    y=rng.randint(2019, 2025),
                    d="mercredi",
                    day="Tuesday",
                )
                for _ in range(rng.randint(2, 5))
            ]
            paras.append(" ".join(sents))
        title = tpl[0].format(
            a=a, b=b, p="", m=_money(rng, lang), m2="", s="", y=2025, d="", day=""
        )
        text = (
            f"Publicité\n\n{title}\n\nHier 14:44\n\n" + "\n\n".join(paras) + "\n\nLire la suite\n"
        )
        pages.append((lang, text))
        size += len(text.encode())
    return pages


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=20.0, help="megabytes of pages to generate")
    args = ap.parse_args(argv)
    pages = generate_pages(int(args.mb * 1_000_000))
    mb = sum(len(t.encode()) for _, t in pages) / 1e6
    try:
        from transforms.figures import extract
    except ImportError as exc:  # the extractor is another engineer's; measure ours alone
        extract = None
        print(f"extractor unavailable ({exc}); timing mentions + deals only")
    # Warm-up, untimed: the first pages compile each language's lexicons and fill the
    # per-head regex caches of both sides. A pipeline process pays that once per run, so
    # the steady state is the speed that matters (and counting it would favour neither
    # side in a known way: at 5 MB it inflated figures more than mentions).
    for lang, text in pages[:200]:
        figs = [f for f in extract(text, lang) if f.kind == "money"] if extract else []
        find_deals(
            text,
            lang,
            figs,
            find_mentions(text, lang, spans_to_skip=[(f.start, f.end) for f in figs]),
        )
    # Interleaved per page, so that load from other processes hits both timings alike.
    t_fig = t_men = t_ent = 0.0
    n_mentions = n_deals = 0
    clock = time.process_time  # CPU time of this process: other jobs on the machine do not count
    for lang, text in pages:
        figs: list = []
        if extract is not None:
            t0 = clock()
            figs = [f for f in extract(text, lang) if f.kind == "money"]
            t_fig += clock() - t0
        t0 = clock()
        mentions = find_mentions(text, lang, spans_to_skip=[(f.start, f.end) for f in figs])
        t1 = clock()
        deals = find_deals(text, lang, figs, mentions)
        t_ent += clock() - t0
        t_men += t1 - t0
        n_mentions += len(mentions)
        n_deals += len(deals)
    print(f"{len(pages)} pages, {mb:.1f} MB; {n_mentions} mentions, {n_deals} deal rows")
    if extract is not None:
        print(f"figures alone:            {t_fig:7.2f} s  {mb / t_fig:6.2f} MB/s")
    print(f"mentions alone:           {t_men:7.2f} s  {mb / t_men:6.2f} MB/s")
    print(f"mentions + deals:         {t_ent:7.2f} s  {mb / t_ent:6.2f} MB/s")
    if extract is not None:
        print(
            f"figures + mentions:         {t_fig + t_men:5.2f} s  ratio to figures alone "
            f"{(t_fig + t_men) / t_fig:.2f}"
        )
        ratio = (t_fig + t_ent) / t_fig
        print(
            f"figures + mentions + deals: {t_fig + t_ent:5.2f} s  ratio to figures alone {ratio:.2f} "
            f"({'within' if ratio <= 2 else 'OVER'} the 2x budget)"
        )
        t_scan = _scan_floor(pages)
        print(
            f"mention regex scans alone:  {t_scan:5.2f} s  ratio to figures alone "
            f"{t_scan / t_fig:.2f} (the C part of find_mentions; its rules' Python comes on top)"
        )
    return 0


def _scan_floor(pages: list[tuple[str, str]]) -> float:
    """CPU seconds of the page-wide regex scans `find_mentions` makes (capitalised runs,
    sentence breaks, descriptions, lower-case heads, seed names, stand-in capitals),
    each match only counted: what the finder costs before any of its rules run."""
    from transforms.mentions import candidates, context, governments
    from transforms.mentions import lexicon as ent

    common = [candidates._RUN_RE, context._BREAK_RE, candidates._LOWER_HEAD_RE,
              governments._STAND_IN_RE]
    if ent._LOWER_RE is not None:
        common.append(ent._LOWER_RE)
    clock = time.process_time
    t0 = clock()
    for lang, text in pages:
        for rx in (*common, ent.lexicon(lang).description_re):
            for _ in rx.finditer(text):
                pass
    return clock() - t0


if __name__ == "__main__":
    raise SystemExit(main())
