"""One set of sentence boundaries for figures and deals, in every language.

A figure's `sentence_no` (transforms/rows/facts.py) and the sentence its deal is read in
(transforms/mentions/context.py) must agree, or an analyst joining them sees a deal's
amount in another sentence. Abbreviations and initials do not end a sentence; Arabic,
which has no capital letters, ends one at "؟" or ". " before an Arabic letter.
"""

from __future__ import annotations

import bisect

import pytest

from transforms.mentions.context import sentence_spans
from transforms.rows.facts import sentence_starts

CASES = [
    ("fr", "M. Martin a annoncé un plan de 5 millions d'euros. Le groupe Alstom a suivi.", 2),
    ("fr", "Mme Diallo, Dr en économie, a chiffré le coût à 3 milliards. Il sera revu.", 2),
    ("fr", "La cité fondée en 814 av. J.-C. a livré un trésor estimé à 2 millions d'euros. "
           "Le musée l'expose.", 2),
    ("en", "Mr. Smith said Acme Inc. paid $4.8 billion. Shares rose 3%.", 2),
    ("es", "La Sra. Gómez dijo que la obra costará 17.000 millones de dólares. Nadie lo negó.", 2),
    ("ar", "قال الوزير إن الكلفة بلغت 5 ملايين درهم. وأضاف أن المشروع سينطلق قريبا؟ "
           "ثم غادر القاعة.", 3),
    ("fr", "Première ligne sans point\nDeuxième ligne avec 12 MDH", 2),
    # a scraper's quoted list of paragraphs: each item ends a sentence
    ("ar", "content: ['لكنه رفض تقديم معطيات حول مصنعها الجديد في المغرب.', "
           "'وحققت الشركة السنة الماضية 13.67 مليار أورو في رقم معاملاتها.']", 2),
    ("fr", "Il a dit \"non.\", puis il est parti. Rien de plus.", 2),
]


@pytest.mark.parametrize(("lang", "text", "n"), CASES)
def test_sentence_count(lang: str, text: str, n: int) -> None:
    assert len(sentence_spans(text)) == n, sentence_spans(text)


@pytest.mark.parametrize(("lang", "text", "n"), CASES)
def test_figure_sentence_number_is_the_deal_sentence(lang: str, text: str, n: int) -> None:
    starts = sentence_starts(text)
    spans = sentence_spans(text)
    for pos in range(len(text)):
        inside = [i for i, (s, e) in enumerate(spans) if s <= pos < e]
        if inside:
            assert bisect.bisect_right(starts, pos) == inside[0] + 1
