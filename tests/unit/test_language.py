"""Table-driven tests for transforms.page.language.detect_language."""

from __future__ import annotations

import time

import pytest

from transforms.page.language import LANGS, detect_language

CASES = [
    # (text, default, expected)
    ("Le groupe japonais SoftBank s’apprête à finaliser un engagement de 22,5 milliards de dollars.", "en", "fr"),
    ("SoftBank is set to finalise a commitment of $22.5 billion to OpenAI by the end of the year.", "fr", "en"),
    ("El grupo japonés invertirá 22.500 millones de dólares en la empresa según la prensa.", "fr", "es"),
    ("O grupo japonês vai investir 22,5 bilhões de dólares na empresa, segundo a imprensa.", "fr", "pt"),
    ("Der japanische Konzern will 22,5 Milliarden Dollar in das Unternehmen investieren.", "fr", "de"),
    ("dix dollars", "en", "fr"),
    ("ten dollars", "fr", "en"),
    ("diez dólares", "fr", "es"),
    ("zehn Euro", "fr", "de"),
    ("dez dólares", "fr", "pt"),
    ("20 euros", "fr", "fr"),  # ambiguous: the default wins
    ("20 euros", "en", "en"),
    ("il y a 3 heures", "en", "fr"),
    ("2 hours ago", "fr", "en"),
    ("Leia mais", "fr", "pt"),
    ("Weiterlesen", "fr", "de"),
    ("", "es", "es"),
    ("12345 67890", "de", "de"),
    ("!!! ??? ...", "fr", "fr"),
    ("\x00\x01\x02", "fr", "fr"),
    ("texte", "xx", "fr"),  # unknown default falls back to fr
    ("أعلن البنك الدولي عن إطلاق برنامج جديد بقيمة 500 مليون دولار لدعم التعليم.", "fr", "ar"),
    ("عشرة دولارات", "en", "ar"),
    ("Le wali de Rabat (والي الرباط) a inauguré hier le nouveau siège de la banque.", "en", "fr"),
]


@pytest.mark.parametrize(("text", "default", "expected"), CASES)
def test_detect_language(text: str, default: str, expected: str) -> None:
    assert detect_language(text, default=default) == expected


@pytest.mark.parametrize("bad", [None, 12, b"le la les", ["the"]])
def test_never_raises_on_non_str(bad: object) -> None:
    assert detect_language(bad) in LANGS  # type: ignore[arg-type]


def test_only_reads_first_few_kb_and_is_fast() -> None:
    text = ("Le groupe a annoncé une hausse de ses ventes. " * 100) + ("the and of " * 100_000)
    assert detect_language(text, default="en") == "fr"
    start = time.perf_counter()
    for _ in range(1000):
        detect_language(text)
    per_call = (time.perf_counter() - start) / 1000
    assert per_call < 0.002, per_call
