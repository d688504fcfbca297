"""Cheap language identification for news pages (fr, en, es, pt, de, it, nl).

Why hand-rolled: the pipeline sees 10,000+ pages per run and the extractor calls this
on short snippets too, so we need something that costs microseconds, never raises and
has no model to load. Counting function words is enough to tell these five languages
apart on a paragraph; on a 2-word snippet we fall back to `default` unless one
language clearly wins.

Scoring: each token found in a language's word list adds 1 / (number of languages that
list it), so a shared word ("de", "la") counts a little for each and a distinctive one
("the", "und", "dix") counts fully. A few letters (ñ, ß, ã/õ, ç, è/ê) add a small
weight. Ties go to `default` when it is among the leaders.
"""

from __future__ import annotations

from collections import Counter

LANGS: tuple[str, ...] = ("fr", "en", "es", "pt", "de")

# Function words and frequent news words. Kept short: precision matters more than recall.
_WORDS: dict[str, str] = {
    "fr": """le la les des du de un une et est sont dans pour par sur avec au aux ce cette
        ces qui que qu il elle ils elles nous vous pas plus ont été être avait mais ou où
        son sa ses leur leurs selon entre après contre aussi comme dont lors depuis année
        années ans milliards milliard millions million dix deux trois quatre cinq six sept
        huit neuf vingt cent mille hier aujourd environ près dollars euros dirhams francs
        l d j n s c y a été fin mois jours heures il y groupe société entreprise lire suite
        avant sous chez tout tous très fait faire""",
    "en": """the of and to in is are was were for on with by that this from at as it its
        an be been has have had which who will would said not but or their they than about
        after billion billions million millions year years yesterday today ago ten two three
        four five six seven eight nine twenty hundred thousand dollars euros more over into
        company group read hours minutes also up out new first last week month""",
    "es": """el la los las de del y en es son un una por para con que se su sus al lo como
        más pero fue ha han entre sobre también desde millones millón mil años año hoy ayer
        dólares euros hace está según diez dos tres cuatro cinco seis siete ocho nueve veinte
        cien empresa grupo leer horas este esta estos estas muy""",
    "pt": """o a os as do da dos das de e em no na nos nas um uma por para com que se seu
        sua seus suas ao à é são foi mais não como também milhões milhão bilhões bilhão mil
        anos ano hoje ontem dólares reais euros pelo pela dez dois duas três quatro cinco
        seis sete oito nove vinte cem empresa grupo leia horas está este esta muito""",
    "de": """der die das und ist in den dem des ein eine einen einem zu mit von für auf
        nicht sich auch als bei nach wird wurde sind hat haben aus zum zur im über millionen
        million milliarden milliarde euro gestern heute jahr jahre dollar zehn zwei drei vier
        fünf sechs sieben acht neun zwanzig hundert tausend unternehmen weiterlesen stunden
        vor seit oder aber noch""",
}

# Italian and Dutch (the extractor's languages/it and languages/nl).
_WORDS["it"] = """il lo la i gli le di del della dei delle degli da dal dalla e è sono un una
    per con che non si su al alla nel nella anche come più ma ha hanno essere stato anni
    anno oggi ieri milioni milione miliardi miliardo mila euro dollari secondo tra fra
    dieci due tre quattro cinque sei sette otto nove venti cento società gruppo questo
    questa ore leggi dopo"""
_WORDS["nl"] = """de het een en van is zijn in op te voor met dat die niet ook als bij naar
    om aan er maar of werd worden heeft hebben uit door over miljoen miljard euro dollar
    jaar jaren vandaag gisteren tien twee drie vier vijf zes zeven acht negen twintig
    honderd duizend bedrijf lees uur nog wel tot"""
LANGS = (*LANGS, "it", "nl")

_WEIGHTS: dict[str, dict[str, float]] = {}
for _lang, _blob in _WORDS.items():
    for _w in set(_blob.split()):
        _WEIGHTS.setdefault(_w, {})[_lang] = 1.0
for _w, _langs in _WEIGHTS.items():
    _share = 1.0 / len(_langs)
    for _lang in _langs:
        _langs[_lang] = _share
# Sentence-initial and upper-case forms share the same weights, so the sample need not
# be lower-cased (str.lower on non-ASCII text is a measurable cost per page).
for _w in list(_WEIGHTS):
    _WEIGHTS.setdefault(_w.capitalize(), _WEIGHTS[_w])
    _WEIGHTS.setdefault(_w.upper(), _WEIGHTS[_w])

# Letters that are strong hints (counted once per occurrence, small weight each).
_LETTER_HINTS: tuple[tuple[str, str, float], ...] = (
    ("ñ", "es", 0.5), ("¿", "es", 0.5), ("¡", "es", 0.5),
    ("ß", "de", 0.5), ("ä", "de", 0.3), ("ö", "de", 0.3), ("ü", "de", 0.3),
    ("ã", "pt", 0.5), ("õ", "pt", 0.5), ("çã", "pt", 0.5), ("çõ", "pt", 0.5),
    ("è", "fr", 0.3), ("ê", "fr", 0.3), ("ë", "fr", 0.3), ("œ", "fr", 0.3),
    ("ij", "nl", 0.2), ("ò", "it", 0.3), ("ù", "it", 0.3),
)  # fmt: skip

_SAMPLE_CHARS = 1200  # ~200 words: plenty for function-word counts, cheap to scan
_KEYS = frozenset(_WEIGHTS)
_SPACED = (",", ".", ";", ":", "!", "?", "(", ")", "«", "»", '"', "“", "”", "’", "'")


def language_scores(text: str) -> dict[str, float]:
    """Score of each language on the first few KB of `text` (exposed for tests/debugging).

    Punctuation and apostrophes become blanks (so "l’année" gives "l" and "année"),
    the sample is split on blanks and only the tokens that are in a word list are
    visited: a set intersection in C instead of a Python loop over every token.
    """
    scores = dict.fromkeys(LANGS, 0.0)
    if not text:
        return scores
    sample = text[:_SAMPLE_CHARS]
    for ch in _SPACED:
        if ch in sample:
            sample = sample.replace(ch, " ")
    counts = Counter(sample.split())
    for tok in counts.keys() & _KEYS:
        c = counts[tok]
        for lang, w in _WEIGHTS[tok].items():
            scores[lang] += w * c
    ranked = sorted(scores.values(), reverse=True)
    if ranked[0] >= 4 and ranked[0] >= 2 * ranked[1]:
        return scores  # clear winner: letter hints could not change it
    for needle, lang, w in _LETTER_HINTS:
        n = sample.count(needle) + sample.count(needle.upper())
        if n:
            scores[lang] += w * min(n, 20)
    return scores


def detect_language(text: str, default: str = "fr") -> str:
    """Best guess among fr/en/es/pt/de; `default` when the text gives no clear signal.

    Never raises: non-str or empty input gives `default` (or "fr" when `default` is
    not one of the five).
    """
    fallback = default if default in LANGS else "fr"
    if not isinstance(text, str) or not text:
        return fallback
    try:
        scores = language_scores(text)
    except Exception:  # defensive: this runs inside batch tasks and must never fail a page
        return fallback
    best = max(scores.values())
    if best <= 0.0:
        return fallback
    leaders = [lang for lang in LANGS if scores[lang] >= best - 1e-9]
    if fallback in leaders or len(leaders) > 1:
        return fallback if fallback in leaders else leaders[0]
    return leaders[0]
