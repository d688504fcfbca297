"""Throughput of transforms.figures on >= 20 MB of generated news pages, one core.

Why generated: the benchmark must not depend on data/sample (written elsewhere, and
small). A seeded template bank mixes the five languages, page furniture, figure-free
prose (70 % of sentences), dates, times, phone numbers and many figures (money,
percentages, quantities, counts, ranges): about one figure per 280 bytes, denser than
the seed page (one per 450 bytes), so the number is a conservative one.

Printed, all measured in this one run on the same text, as text size / CPU seconds of
this process (process_time, so time other processes take does not count):
  * extract MB/s per core (explicit language, and with language detection),
  * the floor: a bare `re.finditer(r"\\d+")` pass, and the ratio extract/floor,
  * price-parser (Price.fromstring per page) when it is importable,
  * Arabic pages (newsfacts/testing/arabic_pages.py, a quarter of the size) on their own lines.
Why repeated rounds and medians: on a shared machine one pass can be slowed by the
others' load (cache, memory bandwidth) even in CPU time. Each round times every
contestant once, in turn; the ratio is taken within a round (same conditions) and
the medians over rounds are printed.

    .venv/bin/python bench/extract_speed.py [--mb 20] [--rounds 3] [--seed 7]
    .venv/bin/python bench/extract_speed.py --quick      # 5 MB, for iterating
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newsfacts.testing.templates import fill_slots, number
from transforms.figures import extract

AMOUNTS = {
    "fr": ["{n},{d} milliards de dollars", "{n} millions d'euros", "environ {n} millions de dirhams",
           "{n} MDH", "{n},{d} MMDH", "près de {n} milliards de dollars", "{n} {k} €",
           "entre {n} et {m} milliards d'euros", "plus de {n} millions de F CFA", "{n},{d} Md$"],
    "en": ["${n}.{d} billion", "about ${n} million", "£{n}m", "{n} million euros", "€{n}bn",
           "between ${n} and ${m} million", "more than ${n},{k}", "US${n}.{d} billion",
           "Rs {n} crore", "C${n} million"],
    "es": ["{n}.{k} millones de dólares", "unos {n} millones de euros", "{n} mil millones de pesos",
           "más de {n} millones de dólares", "US${n},{d} millones", "entre {n} y {m} euros"],
    "pt": ["R$ {n} bilhões", "US$ {n},{d} milhões", "cerca de {n} mil milhões de euros",
           "{n} milhões de reais", "mais de R$ {n} mi"],
    "de": ["{n},{d} Milliarden Euro", "rund {n} Mio. Euro", "{n} Mrd. Dollar",
           "zwischen {n} und {m} Millionen Euro", "mehr als {n} Millionen US-Dollar"],
}
OTHER = {
    "fr": ["{n},{d} %", "{n} {k} salariés", "{n},{d} million d'habitants", "{n} MW", "{n} GWh",
           "plusieurs dizaines de gigawatts", "{n} {k} barils par jour", "{n} millions de tonnes"],
    "en": ["{n}.{d}%", "{n},{k} jobs", "{n} employees", "{n} GW", "{n}.{d} million barrels per day",
           "{n} percentage points", "hundreds of millions of dollars"],
    "es": ["{n},{d} por ciento", "{n} empleados", "{n} MW", "{n} toneladas"],
    "pt": ["{n},{d} por cento", "{n} funcionários", "{n} MW"],
    "de": ["{n},{d} Prozent", "{n} Mitarbeiter", "{n} Megawatt", "{n} Tonnen"],
}
SENTENCES = {
    "fr": ["Le groupe {o} a annoncé un investissement de {A} dans {o}, selon un communiqué publié {t}.",
           "Le chiffre d'affaires a progressé de {X} à {A} en {y}, contre {A} un an plus tôt.",
           "Selon le ministre, le projet créera {X} d'ici {y} et mobilisera {A}.",
           "La Bourse de Casablanca a clôturé en hausse de {X}, le MASI s'établissant à {n} {k},{d} points.",
           "Les discussions se poursuivent entre les partenaires, qui doivent se retrouver le {n} mars à {h}.",
           "Contactez la rédaction au 05 22 {n} {n} {n} ou écrivez-nous. Lire la suite",
           "Dans un contexte marqué par l'inflation et la hausse des taux, les investisseurs restent prudents.",
           "L'entreprise, fondée en {y}, emploie aujourd'hui {X} répartis sur plusieurs sites au Maroc."],
    "en": ["{o} said on {t} it would invest {A} in {o}, its largest deal since {y}.",
           "Revenue rose {X} to {A} in the quarter ended June {n}, compared with {A} a year earlier.",
           "The plant, which will add {X} of capacity, is expected to open in {y}.",
           "Shares of {o} fell {X} at {h} after the company cut its outlook for {y}.",
           "Analysts at the bank expect the central bank to hold rates steady at its next meeting.",
           "Call 1-800-555-{n}{n} for subscriptions. Read more. Follow us on social media.",
           "The COVID-19 pandemic and the war in Ukraine weighed on the G7 economies in {y}."],
    "es": ["{o} invertirá {A} en {o} hasta {y}, según un comunicado difundido {t}.",
           "Las ventas crecieron un {X} hasta {A}, frente a {A} del año anterior.",
           "La compañía cuenta con {X} y prevé abrir nuevas plantas en {y}.",
           "El Gobierno aprobó el plan el {n} de marzo a las {h}, tras semanas de negociación."],
    "pt": ["A {o} vai investir {A} na {o} até {y}, segundo comunicado divulgado {t}.",
           "A receita cresceu {X} para {A}, contra {A} no ano anterior.",
           "A empresa tem {X} e pretende abrir novas fábricas em {y}."],
    "de": ["{o} will bis {y} {A} in {o} investieren, teilte das Unternehmen {t} mit.",
           "Der Umsatz stieg um {X} auf {A}, nach {A} im Vorjahr.",
           "Das Unternehmen beschäftigt {X} und plant neue Werke ab {y}.",
           "Die Gespräche sollen am {n}. März um {h} Uhr fortgesetzt werden."],
}
# Figure-free prose: most sentences of a news page carry no figure at all.
PROSE = {
    "fr": ["Le ministre a souligné l'importance de ce partenariat pour l'économie nationale et l'emploi des jeunes.",
           "Les analystes estiment que la décision de la banque centrale pourrait peser sur la croissance.",
           "Cette opération s'inscrit dans la stratégie de diversification engagée par le groupe depuis plusieurs années.",
           "Les syndicats ont appelé à une nouvelle journée de mobilisation pour défendre le pouvoir d'achat.",
           "Le texte doit encore être examiné par le Parlement avant son entrée en vigueur.",
           "Interrogé par la presse, le directeur général n'a pas souhaité commenter ces informations."],
    "en": ["The minister stressed the importance of the partnership for the national economy and for young people.",
           "Analysts said the central bank's decision could weigh on growth in the coming months.",
           "The move is part of a broader strategy to diversify the group's activities across the region.",
           "Unions called for another day of protests to defend workers' purchasing power.",
           "The bill still has to be approved by parliament before it can take effect.",
           "A spokesperson for the company declined to comment on the reports."],
    "es": ["El ministro subrayó la importancia de esta alianza para la economía nacional y el empleo juvenil.",
           "Los analistas creen que la decisión del banco central podría frenar el crecimiento.",
           "La operación forma parte de la estrategia de diversificación del grupo en la región.",
           "Un portavoz de la compañía declinó hacer comentarios sobre estas informaciones."],
    "pt": ["O ministro destacou a importância da parceria para a economia nacional e o emprego dos jovens.",
           "Os analistas acreditam que a decisão do banco central pode pesar sobre o crescimento.",
           "A operação faz parte da estratégia de diversificação do grupo na região.",
           "Um porta-voz da empresa não quis comentar as informações."],
    "de": ["Der Minister betonte die Bedeutung der Partnerschaft für die heimische Wirtschaft und junge Menschen.",
           "Analysten erwarten, dass die Entscheidung der Notenbank das Wachstum bremsen könnte.",
           "Die Transaktion ist Teil der Strategie, das Geschäft des Konzerns breiter aufzustellen.",
           "Ein Sprecher des Unternehmens wollte sich zu den Berichten nicht äußern."],
}
FURNITURE = ["Advertising", "Publicité", "• Fajr", "• Dhuhr", "Lire la suite", "Read more",
             "Partager sur Facebook", "Accepter les cookies", "Hier 14:44", "il y a 3 heures",
             "Newsletter", "Menu", "Accueil | Économie | Monde | Sport"]
ORGS = ["SoftBank", "OpenAI", "Nvidia", "T-Mobile US", "Arm Holdings", "OCP", "Maroc Telecom",
        "Airbus", "Siemens", "Petrobras", "Iberdrola", "BMCE Bank", "Attijariwafa"]
TIMES = ["hier", "mardi", "on Tuesday", "el lunes", "na segunda-feira", "am Montag", "14:44", "9h05"]


def _fill(tmpl: str, rnd: random.Random, lang: str) -> str:
    def num() -> str:
        return number(rnd)

    return fill_slots(tmpl, (
        ("{A}", lambda: rnd.choice(AMOUNTS[lang])), ("{X}", lambda: rnd.choice(OTHER[lang])),
        ("{n}", num), ("{m}", num), ("{d}", lambda: str(rnd.randint(1, 9))),
        ("{k}", lambda: f"{rnd.randint(0, 999):03d}"),
        ("{y}", lambda: str(rnd.randint(1990, 2030))),
        ("{h}", lambda: f"{rnd.randint(0, 23)}:{rnd.randint(0, 59):02d}"),
        ("{o}", lambda: rnd.choice(ORGS)), ("{t}", lambda: rnd.choice(TIMES))))


def build_pages(mb: float, seed: int) -> list[tuple[str, str]]:
    """(lang, page) pairs totalling at least `mb` megabytes of UTF-8."""
    rnd = random.Random(seed)
    langs = ["fr", "fr", "en", "en", "es", "pt", "de"]
    pages: list[tuple[str, str]] = []
    total = 0
    while total < mb * 1e6:
        lang = rnd.choice(langs)
        lines = rnd.sample(FURNITURE, 4)
        for _ in range(rnd.randint(8, 20)):
            para = " ".join(_fill(rnd.choice(SENTENCES[lang]), rnd, lang)
                            if rnd.random() < 0.3 else rnd.choice(PROSE[lang])
                            for _ in range(rnd.randint(2, 5)))
            lines.append(para)
        lines += rnd.sample(FURNITURE, 3)
        page = "\n\n".join(lines)
        pages.append((lang, page))
        total += len(page.encode("utf-8"))
    return pages


def _time(fn, pages) -> float:
    """CPU seconds of this process: one core's throughput, robust to a busy machine."""
    t0 = time.process_time()
    for lang, page in pages:
        fn(lang, page)
    return time.process_time() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=20.0, help="corpus size in MB (default 20)")
    ap.add_argument("--quick", action="store_true", help="5 MB corpus, for fast iteration")
    ap.add_argument("--rounds", type=int, default=3, help="timed rounds; medians are printed")
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    mb = 5.0 if a.quick else a.mb
    pages = build_pages(mb, a.seed)
    mbytes = sum(len(p.encode("utf-8")) for _, p in pages) / 1e6
    extract("warm up 5 milliards de dollars", "fr")  # compile lexicons outside the timing
    for lang in ("en", "es", "pt", "de"):
        extract("1", lang)
    n_figs = sum(len(extract(p, lang)) for lang, p in pages)
    digits = re.compile(r"\d+")
    try:
        from price_parser import Price
    except ImportError:
        Price = None
    contestants = {
        "floor": lambda lang, p: sum(1 for _ in digits.finditer(p)),
        "extract": lambda lang, p: extract(p, lang),
        "auto": lambda lang, p: extract(p, "auto"),
    }
    if Price is not None:
        contestants["price-parser"] = lambda lang, p: Price.fromstring(p)
    times: dict[str, list[float]] = {k: [] for k in contestants}
    for _ in range(max(1, a.rounds)):
        for name, fn in contestants.items():
            times[name].append(_time(fn, pages))

    def med(xs: list[float]) -> float:
        return statistics.median(xs)

    def rate(name: str) -> float:
        return mbytes / med(times[name])

    ratio = med([e / f for e, f in zip(times["extract"], times["floor"], strict=True)])
    ratio_auto = med([e / f for e, f in zip(times["auto"], times["floor"], strict=True)])
    print(f"pages {len(pages)}  text {mbytes:.1f} MB  figures {n_figs} "
          f"(one per {mbytes * 1e6 / max(n_figs, 1):.0f} bytes)  rounds {len(times['floor'])}")
    print(f"re.finditer(r'\\d+') floor  : {rate('floor'):8.1f} MB/s per core")
    print(f"extract (lang given)       : {rate('extract'):8.1f} MB/s per core   "
          f"ratio extract/floor {ratio:.2f}x")
    print(f"extract (lang='auto')      : {rate('auto'):8.1f} MB/s per core   "
          f"ratio extract/floor {ratio_auto:.2f}x")
    if Price is None:
        print("price-parser               : not installed")
    else:
        print(f"price-parser (1 price/page): {rate('price-parser'):8.1f} MB/s per core")
    print("(medians over rounds; ratios taken within each round)")
    _arabic(mb / 4, a.seed, max(1, a.rounds))


def _arabic(mb: float, seed: int, rounds: int) -> None:
    """Arabic pages on their own (they go through transforms/figures/arabic.py first)."""
    from newsfacts.testing.arabic_pages import build_pages as build_ar

    pages = build_ar(mb, seed)
    mbytes = sum(len(p.encode("utf-8")) for _, p in pages) / 1e6
    extract("١٠ ملايين درهم", "ar")
    n_figs = sum(len(extract(p, "ar")) for _, p in pages)
    given = [_time(lambda lang, p: extract(p, lang), pages) for _ in range(rounds)]
    auto = [_time(lambda lang, p: extract(p, "auto"), pages) for _ in range(rounds)]
    print(f"arabic pages {len(pages)}  text {mbytes:.1f} MB  figures {n_figs}")
    print(f"extract ar (lang given)    : {mbytes / statistics.median(given):8.1f} MB/s per core")
    print(f"extract ar (lang='auto')   : {mbytes / statistics.median(auto):8.1f} MB/s per core")


if __name__ == "__main__":
    main()
