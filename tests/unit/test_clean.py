"""Tests for transforms.page.clean: furniture rules, recurrence, title/dateline/body, offsets."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.contract.pages import BodyMap
from transforms.page.clean import (
    RECURRING_MAX_CHARS,
    RULES,
    clean_page,
    compile_rules,
    guess_site,
    normalise_line,
    parse_rules,
    recurring_lines,
)

P1 = (
    "Le groupe a annoncé jeudi une hausse de 12 % de son chiffre d’affaires, à 5 milliards "
    "de dirhams, porté par la demande européenne et par la montée en charge de sa nouvelle "
    "usine de Tanger, selon un communiqué publié dans la matinée."
)
P2 = (
    "La direction prévoit d’investir 800 millions de dirhams supplémentaires d’ici 2027 "
    "pour doubler ses capacités de production, a précisé le directeur financier lors "
    "d’une conférence téléphonique avec les analystes."
)
TITLE = "Le groupe Kinetic relève ses objectifs après un trimestre record"


def page(*lines: str) -> str:
    return "\n".join(lines)


def assert_map_ok(text: str, cleaned) -> None:
    """Every body character maps back to the same character of the raw text."""
    assert len(cleaned.body_map) == len(cleaned.body)
    for i, ch in enumerate(cleaned.body):
        assert text[cleaned.body_map[i]] == ch, (i, ch)


# ---------------------------------------------------------------- normalise_line

@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("  • Fajr 05:42 ", "fajr 00:00"),
        ("Lire la suite »", "lire la suite"),
        ("PUBLICITÉ", "publicité"),
        ("L’utilisation  des\tcookies", "l'utilisation des cookies"),
        ("— Partager —", "partager"),
        ("3 commentaires", "0 commentaires"),
        ("•••", ""),
    ],
)
def test_normalise_line(line: str, key: str) -> None:
    assert normalise_line(line) == key


# ---------------------------------------------------------------- rules, one line each

FURNITURE_LINES = [
    # ads
    "Advertising", "Publicité", "PUBLICITÉ", "Publicidad", "Publicidade", "Werbung", "Anzeige",
    # prayer-times widget, with and without times
    "• Fajr", "  • Lever du soleil", "• Dhuhr", "• Asr", "• Maghrib", "• Isha", "• Chourouk",
    "Fajr 05:42", "• Maghrib : 17h31", "Horaires de prière – Casablanca",
    # read more
    "Lire la suite", "Read more", "Leer más", "Leia mais", "Weiterlesen", "Continue reading",
    # share links
    "Partager", "Partager sur Facebook", "Partager sur X", "Share on LinkedIn", "Compartir en Twitter",
    "Compartilhar no WhatsApp", "Teilen", "Facebook | Twitter | LinkedIn",
    # newsletter prompts
    "Inscrivez-vous à notre newsletter", "Sign up for our newsletter", "Newsletter abonnieren",
    "Suscríbete a nuestro boletín", "Assine nossa newsletter",
    # cookie notices in five languages
    "Ce site, walaw.press, utilise des cookies afin de vous offrir une bonne expérience de navigation.",
    "This site uses cookies. By continuing to browse, you agree to our use of cookies.",
    "Este sitio utiliza cookies para mejorar su experiencia. Al continuar, acepta su uso.",
    "Este site utiliza cookies para melhorar a sua experiência de navegação.",
    "Diese Website verwendet Cookies, um Ihnen ein besseres Nutzererlebnis zu bieten.",
    "Tout accepter", "Accept all", "Alle akzeptieren",
    # inline related links, footers, menus, bylines, counters
    "Lire aussi : Le MASI termine la semaine en hausse", "Read also: Oil prices slide",
    "© 2025 Casaeco.ma – Tous droits réservés", "Copyright 2025 GlobalTradeWire",
    "All rights reserved.", "Mentions légales", "Impressum", "Accueil", "Économie", "Startseite",
    "Par La Rédaction", "Par Jean Dupont", "By Sarah Miller", "Por María López", "Von Hans Müller",
    "3 commentaires", "12 Comments",
]  # fmt: skip


@pytest.mark.parametrize("line", FURNITURE_LINES)
def test_rule_drops_furniture_line(line: str) -> None:
    text = page(TITLE, "", line, "", P1, "", P2)
    cleaned = clean_page(text, lang_hint="fr")
    assert line.strip() not in cleaned.body.split("\n")
    assert line.strip() in cleaned.dropped_lines
    assert cleaned.body.startswith(P1[:40])


KEPT_LINES = [
    "Par ailleurs, le groupe a confirmé ses prévisions pour l’exercice en cours.",
    "Le conseil a approuvé la cession par 9 voix contre 2, selon le communiqué.",
    "By the end of the year, the company expects revenue to reach $2 billion.",
    "Por qué sube el precio del aceite de oliva en toda Europa este año.",
    "La CNIL a infligé une amende au site, qui utilise des cookies sans consentement, "
    "et rappelle les règles applicables à tous les éditeurs de presse en ligne en France. "
    * 12,  # a long article paragraph about cookies is not a cookie notice
]


@pytest.mark.parametrize("line", KEPT_LINES)
def test_rule_keeps_article_lines(line: str) -> None:
    text = page(TITLE, "", P1, "", line, "", P2)
    cleaned = clean_page(text)
    assert line.strip() in cleaned.body


# ---------------------------------------------------------------- structure

def test_seed_like_page() -> None:
    text = page(
        "Advertising", "Advertising", "  • Fajr", "  • Isha", "", TITLE, "", "Hier 14:44", TITLE,
        "", P1, "", P2, "", "", "", "Lire la suite", "",
        "Ce site, walaw.press, utilise des cookies afin de vous offrir une bonne expérience.",
    )  # fmt: skip
    cleaned = clean_page(text)
    assert cleaned.title == TITLE
    assert cleaned.title_start == text.index(TITLE)
    assert cleaned.published_text == "Hier 14:44"
    assert text[cleaned.published_start:].startswith("Hier 14:44")
    assert cleaned.body == P1 + "\n\n" + P2
    assert cleaned.lang == "fr"
    assert "Hier 14:44" in cleaned.dropped_lines and "Lire la suite" in cleaned.dropped_lines
    assert cleaned.dropped_lines.count(TITLE) == 1  # the repeated title line (the first is the title)
    assert_map_ok(text, cleaned)


def test_separators_map_to_the_newline_ending_the_previous_paragraph() -> None:
    text = page(TITLE, "", P1, "", "Publicité", "", P2)
    cleaned = clean_page(text)
    sep = cleaned.body.index("\n\n")
    nl = text.index(P1) + len(P1)
    assert text[nl] == "\n"
    assert cleaned.body_map[sep] == nl and cleaned.body_map[sep + 1] == nl
    assert_map_ok(text, cleaned)


def test_adjacent_lines_keep_their_single_newline() -> None:
    wrapped = page(TITLE, "", P1[:100], P1[100:], "", P2)
    cleaned = clean_page(wrapped)
    assert cleaned.body.startswith(P1[:100] + "\n" + P1[100:] + "\n\n")
    assert_map_ok(wrapped, cleaned)


def test_title_next_to_dateline_when_not_repeated() -> None:
    text = page("Menu principal du site", "Accueil", "", TITLE, "12 mars 2025 à 10h05", "", P1, "", P2)
    cleaned = clean_page(text)
    assert cleaned.title == TITLE
    assert cleaned.published_text == "12 mars 2025 à 10h05"
    assert "Menu principal du site" not in cleaned.body  # above the title is furniture


def test_dateline_before_title_and_byline() -> None:
    text = page("Publié le 12/03/2025", TITLE, "Par Jean Dupont", "", P1, "", P2)
    cleaned = clean_page(text)
    assert (cleaned.title, cleaned.published_text) == (TITLE, "12/03/2025")
    assert cleaned.body.startswith(P1[:30]) and "Jean Dupont" not in cleaned.body


def test_dateline_at_the_bottom_is_found() -> None:
    text = page(TITLE, "", P1, "", P2, "", "Publié le 12 mars 2025")
    cleaned = clean_page(text)
    assert cleaned.published_text == "12 mars 2025"
    assert "Publié le" not in cleaned.body


def test_date_inside_a_paragraph_is_not_the_dateline() -> None:
    text = page(TITLE, "", "Le 3 mars 2025, " + P1, "", P2)
    assert clean_page(text).published_text is None


def test_page_without_title() -> None:
    text = page(P1, "", P2)
    cleaned = clean_page(text)
    assert cleaned.title is None and cleaned.title_start == -1
    assert cleaned.body == P1 + "\n\n" + P2


def test_related_block_is_dropped_but_article_resumes() -> None:
    text = page(
        TITLE, "", P1, "", "À lire aussi",
        "Immobilier : les ventes de logements neufs reculent de 8 % à Casablanca",
        "Bourse : le MASI termine la semaine sur un gain de 1,4 %", "", P2,
    )  # fmt: skip
    cleaned = clean_page(text)
    assert cleaned.body == P1 + "\n\n" + P2
    assert "Bourse : le MASI termine la semaine sur un gain de 1,4 %" in cleaned.dropped_lines


def test_footer_block_and_trailing_labels() -> None:
    text = page(
        TITLE, "", P1, "", P2, "", "(Avec AFP)", "© AtlasBusiness 2025", "Rédaction : +212 5 22 47 18 63",
        "Qui sommes-nous", "Nous contacter",
    )  # fmt: skip
    cleaned = clean_page(text)
    assert cleaned.body == P1 + "\n\n" + P2


def test_short_article_sentences_after_title_are_kept() -> None:
    lead = "Le constructeur confirme ses objectifs pour 2026."
    text = page(TITLE, "", lead, "", P1, "", "Le groupe n’a pas souhaité commenter.", "", P2)
    cleaned = clean_page(text)
    assert cleaned.body.startswith(lead)
    assert "Le groupe n’a pas souhaité commenter." in cleaned.body


@pytest.mark.parametrize(
    ("lang_hint", "text", "expected"),
    [
        ("fr", "Hello world", "fr"),  # a valid hint is trusted
        ("en-GB", TITLE + "\n\n" + P1, "en"),
        ("xx", TITLE + "\n\n" + P1, "fr"),  # unknown hint: detected
        (None, "Title of the page here\n\nThe company said on Thursday that its revenue rose by 12 % to $5 billion.", "en"),
    ],
)
def test_language(lang_hint: str | None, text: str, expected: str) -> None:
    assert clean_page(text, lang_hint=lang_hint).lang == expected


@pytest.mark.parametrize("text", ["", "\n\n\n", "   ", "Publicité\nAdvertising\n• Fajr"])
def test_empty_or_all_furniture(text: str) -> None:
    cleaned = clean_page(text)
    assert cleaned.body == "" and len(cleaned.body_map) == 0


# ---------------------------------------------------------------- recurrence

_SUBJECTS = ["les banques", "le phosphate", "l’immobilier", "le tourisme", "l’automobile", "les ports"]


def _site_pages(n: int, extra: str = "") -> list[str]:
    return [
        page("Casaeco l’info éco", "Entreprises & Marchés", f"Titre de l’article sur {_SUBJECTS[i]} et l’économie",
             f"• Fajr 05:{40 + i:02d}", "", P1 + f" ({i})", "", extra or f"Paragraphe propre à la page sur {_SUBJECTS[i]}.")
        for i in range(n)
    ]  # fmt: skip


def test_recurring_lines_thresholds() -> None:
    pages = _site_pages(4)
    got = recurring_lines({"casaeco.ma": pages, "tiny.sn": pages[:2]}, min_pages=3, min_share=0.5)
    assert "casaeco l'info éco" in got["casaeco.ma"]
    assert "entreprises & marchés" in got["casaeco.ma"]
    assert "fajr 00:00" in got["casaeco.ma"]  # digits are masked: the widget time changes
    assert not any(k.startswith("titre de l'article") for k in got["casaeco.ma"])
    assert got["tiny.sn"] == frozenset()  # fewer pages than min_pages: no evidence


def test_digits_are_masked_on_short_lines_only() -> None:
    pages = [page(f"• Fajr 05:{40 + i}", "", f"Le MASI a clôturé la séance à {12000 + i * 37} points, en hausse de {i},2 % sur la journée.")
             for i in range(4)]  # fmt: skip
    got = recurring_lines({"s": pages})["s"]
    assert got == frozenset({"fajr 00:00"})


def test_recurring_never_counts_long_paragraphs() -> None:
    long_para = "x" * (RECURRING_MAX_CHARS + 1)
    got = recurring_lines({"s": _site_pages(5, extra=long_para)})
    assert normalise_line(long_para) not in got["s"]


def test_min_share_applies() -> None:
    pages = _site_pages(3) + [page(TITLE, "", P1, "", P2)] * 4
    got = recurring_lines({"s": pages}, min_pages=3, min_share=0.5)
    assert "casaeco l'info éco" not in got["s"]  # on 3 of 8 pages only


def test_clean_page_uses_recurring_furniture() -> None:
    pages = _site_pages(4)
    furniture = recurring_lines({"casaeco.ma": pages})["casaeco.ma"]
    cleaned = clean_page(pages[0], furniture=furniture)
    assert cleaned.title == "Titre de l’article sur les banques et l’économie"
    assert "Casaeco" not in cleaned.body and "Entreprises" not in cleaned.body
    assert cleaned.body.startswith(P1[:30])
    assert_map_ok(pages[0], cleaned)


def test_guess_site_from_shared_furniture() -> None:
    pages = _site_pages(4)
    furniture = recurring_lines({"casaeco.ma": pages, "other.sn": [P2] * 4})
    assert guess_site(pages[0], furniture) == "casaeco.ma"
    assert guess_site(page(TITLE, "", P1), furniture) is None


# ---------------------------------------------------------------- rules as data

def test_rule_files_load_and_cover_every_language() -> None:
    assert "publicité" in RULES.exact and "advertising" in RULES.exact
    for word in ("lire la suite", "read more", "leer más", "leia mais", "weiterlesen"):
        assert word in RULES.exact


def test_parse_rules_rejects_bad_lines() -> None:
    with pytest.raises(ValueError, match="bad furniture rule"):
        parse_rules(["exact only-two-fields"])
    with pytest.raises(ValueError, match="bad furniture rule"):
        parse_rules(["nonsense ad Pub"])


def test_custom_rules() -> None:
    rules = compile_rules(parse_rules(["# comment", "exact ad Sponsor du jour", "block related Voir aussi"]))
    text = page(TITLE, "", "Sponsor du jour", "", P1, "", "Voir aussi", "Un autre titre sans point", "", P2)
    cleaned = clean_page(text, rules=rules)
    assert cleaned.body == P1 + "\n\n" + P2


# ---------------------------------------------------------------- BodyMap

def test_bodymap_behaves_like_a_list() -> None:
    bm = BodyMap()
    bm.append_run(10, 3)
    bm.append_run(13, 2)  # contiguous: merged
    bm.append_run(20, 1)
    bm.append_run(20, 1)
    assert len(bm) == 7 and bm.runs == [(0, 10, 5), (5, 20, 1), (6, 20, 1)]
    assert list(bm) == [10, 11, 12, 13, 14, 20, 20] == bm
    assert bm[0] == 10 and bm[4] == 14 and bm[-1] == 20 and bm[1:3] == [11, 12]
    with pytest.raises(IndexError):
        bm[7]
    assert BodyMap(bm.runs) == bm


# ---------------------------------------------------------------- properties and speed

_line = st.one_of(
    st.sampled_from(["", "  ", "Publicité", "• Fajr", "Lire la suite", TITLE, "Hier 14:44", P1, P2, "Accueil"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=80),
)


@given(st.lists(_line, max_size=25))
@settings(max_examples=300, deadline=None)
def test_body_map_invariant_on_random_pages(lines: list[str]) -> None:
    text = "\n".join(lines)
    cleaned = clean_page(text)
    assert_map_ok(text, cleaned)
    if cleaned.title is not None:
        assert text[cleaned.title_start:cleaned.title_start + len(cleaned.title)] == cleaned.title


def test_clean_is_fast() -> None:
    text = page("Advertising", "• Fajr", "• Isha", "", TITLE, "", "Hier 14:44", TITLE, "", P1, "", P2, "", P1, "", P2, "", "Lire la suite")
    n = 2000
    start = time.perf_counter()
    for _ in range(n):
        clean_page(text, lang_hint=None)
    per_page = (time.perf_counter() - start) / n
    assert per_page < 0.002, f"{per_page * 1e6:.0f} µs per page"
