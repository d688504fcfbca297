"""Tests for transforms.mentions.finder: mentions, descriptions, keys and cross-page entities.

The seed page tests need the shared folder (skipped without it); the rule tests use
invented names so they exercise the general cues, not the seed list.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from transforms.mentions.context import sentence_spans
from transforms.mentions.entities import resolve_entities
from transforms.mentions.finder import find_mentions
from transforms.mentions.lexicon import KINDS
from transforms.mentions.records import Mention, canonical_key, entity_id


def _shared() -> Path:
    env = os.environ.get("NEWSFACTS_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[3] / "shared"


SEED = _shared() / "seeds" / "000_750ff92621c124c4.txt"
needs_seed = pytest.mark.skipif(not SEED.exists(), reason="shared seed page not available")


def _by_surface(mentions: list[Mention]) -> dict[str, Mention]:
    return {m.surface: m for m in mentions}


def _names(mentions: list[Mention], *kinds: str) -> set[str]:
    return {m.canonical for m in mentions if m.kind in kinds}


# --------------------------------------------------------------------------- seed page


@pytest.fixture(scope="module")
def seed():
    text = SEED.read_text(encoding="utf-8")
    gold = json.loads(SEED.with_name(SEED.stem + ".gold.json").read_text(encoding="utf-8"))
    return text, gold, find_mentions(text, "fr")


@needs_seed
def test_seed_gold_names_found(seed):
    _, gold, mentions = seed
    assert set(gold["organisations"]) <= _names(mentions, "org", "fund")
    assert set(gold["people"]) <= _names(mentions, "person")
    assert set(gold["projects"]) <= _names(mentions, "project")


@needs_seed
def test_seed_people_are_people(seed):
    _, _, mentions = seed
    kinds = {m.canonical: m.kind for m in mentions}
    assert kinds["Masayoshi Son"] == "person"
    assert kinds["Sam Altman"] == "person"
    assert kinds["Vision Fund"] == "fund"


@needs_seed
def test_seed_descriptions_resolve(seed):
    _, _, mentions = seed
    desc = [(m.surface, m.canonical) for m in mentions if m.resolved_from == "description"]
    assert desc == [
        ("le conglomérat japonais", "SoftBank"),
        ("Le groupe", "SoftBank"),  # "Le groupe a cédé ... Nvidia"
        ("Le groupe", "SoftBank"),  # after "dans T-Mobile US" and "le Vision Fund": still SoftBank
        ("L’entreprise", "OpenAI"),  # after "pour OpenAI"
    ]


@needs_seed
def test_seed_short_form_is_alias_and_no_junk(seed):
    _, _, mentions = seed
    arm = [m for m in mentions if m.surface == "Arm"]
    assert arm and all(m.canonical == "Arm Holdings" and m.resolved_from == "alias" for m in arm)
    surfaces = {m.surface for m in mentions}
    for junk in (
        "Depuis",
        "Bourse",
        "Pour",
        "Cette",
        "Dans",
        "Le",
        "Son",
        "Advertising",
        "Fajr",
        "Lire",
        "Hier",
        "Après",
        "Un",
        "Il",
    ):
        assert junk not in surfaces, junk
    assert all(m.kind in KINDS for m in mentions)


@needs_seed
def test_seed_offsets_and_skip(seed):
    text, _, mentions = seed
    for m in mentions:
        assert text[m.start : m.end] == m.surface
    # a span to skip (a money figure, furniture) never yields a mention
    spans = [(m.start, m.end) for m in mentions if m.canonical == "OpenAI"]
    again = find_mentions(text, "fr", spans_to_skip=spans)
    assert not any(m.surface == "OpenAI" for m in again)


# --------------------------------------------------------------------------- general cues


def test_context_cues_make_unknown_names():
    text = (
        "Le groupe minier Zorvath Mining a annoncé mardi un accord. La société Kelmora "
        "prévoit une usine, a déclaré son PDG, Karim Benali. Le projet Tazrit sera lancé en 2026."
    )
    ms = _by_surface(find_mentions(text, "fr"))
    assert ms["Zorvath Mining"].kind == "org"
    assert ms["Kelmora"].kind == "org"
    assert ms["Karim Benali"].kind == "person"
    assert ms["Tazrit"].kind == "project"


def test_english_suffixes_possessive_and_person_cues():
    text = (
        "Trelby Holdings Inc. said on Monday that Quorvane's chief executive, Dana Whitfield, "
        "would step down. Mr. Okafor joined the board of Brindle Capital Partners."
    )
    ms = _by_surface(find_mentions(text, "en"))
    assert ms["Trelby Holdings Inc."].kind == "org"
    assert ms["Quorvane"].kind == "org"
    assert ms["Dana Whitfield"].kind == "person"
    assert ms["Okafor"].kind == "person"
    assert ms["Brindle Capital Partners"].kind in ("org", "fund")


def test_sentence_initial_words_months_and_places_are_not_names():
    text = (
        "Depuis janvier, Cette hausse inquiète. Mardi, le Maroc et l'Afrique du Sud ont signé. "
        "Pour Valmora, Wall Street reste prudente en Mars."
    )
    surfaces = {m.surface for m in find_mentions(text, "fr")}
    assert "Valmora" in surfaces
    for word in (
        "Depuis",
        "Cette",
        "Mardi",
        "Maroc",
        "Afrique du Sud",
        "Afrique",
        "Sud",
        "Wall Street",
        "Mars",
        "Pour",
    ):
        assert word not in surfaces


def test_sentence_initial_unknown_word_counts_when_named_elsewhere():
    text = "Korvel a publié ses comptes. Le rapport cite Korvel deux fois."
    ms = find_mentions(text, "fr")
    assert [m.start for m in ms if m.canonical == "Korvel"] == [0, text.rindex("Korvel")]


def test_institution_names_with_lower_case_tails():
    text = (
        "L'Autorité marocaine du marché des capitaux a validé l'opération. Le Conseil ivoirien "
        "des filières agricoles a signé avec le ministère de l'Économie."
    )
    names = {m.surface for m in find_mentions(text, "fr")}
    assert "Autorité marocaine du marché des capitaux" in names
    assert "Conseil ivoirien des filières agricoles" in names
    assert "ministère de l'Économie" in names


def test_descriptions_respect_country_and_public_bodies():
    text = (
        "La Commission européenne a sanctionné le laboratoire suisse Velmora Pharma. "
        "Le groupe bâlois conteste la décision. Le groupe américain Dorrance, lui, se tait."
    )
    ms = find_mentions(text, "fr")
    desc = [m for m in ms if m.resolved_from == "description"]
    assert desc and desc[0].canonical == "Velmora Pharma"  # never the Commission


def test_page_aliases_unify_forms():
    text = (
        "Calgary-based Maple Ridge Energy Corp. agreed to buy the portfolio. "
        "Maple Ridge will fund it with debt. The company said so."
    )
    ms = find_mentions(text, "en")
    names = {m.canonical for m in ms if m.kind == "org"}
    assert len(names) == 1 and canonical_key(names.pop()) == "maple ridge energy"
    assert any(m.resolved_from == "description" and m.surface == "The company" for m in ms)


def test_german_cue_nouns():
    text = "Der Zürcher Industriekonzern Alpentech übernimmt das Softwareunternehmen Datenwerk. Alpentech zahlt bar."
    names = _names(find_mentions(text, "de"), "org")
    assert {"Alpentech", "Datenwerk"} <= names
    assert "Softwareunternehmen" not in names


# --------------------------------------------------------------------------- keys and entities


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("SoftBank Group Corp.", "softbank"),
        ("le groupe SoftBank", "softbank"),
        ("SoftBank", "softbank"),
        ("Arm Holdings", "arm"),
        ("Groupe OCP", "ocp"),
        ("Atlantis Phosphates", "atlantis phosphates"),
        ("Banque Africaine de l’Énergie", "banque africaine de l’energie"),
        ("Holding", "holding"),
    ],
)
def test_canonical_key(name, key):
    assert canonical_key(name) == key


def test_entity_id_is_stable_and_kind_scoped():
    assert entity_id("org", "SoftBank Group") == entity_id("org", "SoftBank")
    assert entity_id("org", "Stargate") != entity_id("project", "Stargate")
    assert len(entity_id("org", "SoftBank")) == 16


def test_resolve_entities_merges_across_pages():
    pages = {
        "a": [Mention("SoftBank Group", 0, 14, "org", "SoftBank Group")],
        "b": [
            Mention("SoftBank Group Corp.", 5, 25, "org", "SoftBank Group Corp."),
            Mention("le conglomérat japonais", 40, 63, "org", "SoftBank", "description"),
        ],
        "c": [
            Mention("le groupe SoftBank", 0, 18, "org", "le groupe SoftBank"),
            Mention("Kelmora", 30, 37, "org", "Kelmora"),
            Mention("Kelmora SA", 50, 60, "org", "Kelmora SA"),
            Mention("Kelmora", 70, 77, "org", "Kelmora"),
        ],
    }
    ents = {e.name: e for e in resolve_entities(pages)}
    sb = ents["SoftBank"]  # the seed list's canonical name
    assert sb.entity_id == entity_id("org", "SoftBank Group Corp.")
    assert {"SoftBank Group", "SoftBank Group Corp.", "le groupe SoftBank"} <= set(sb.aliases)
    assert "le conglomérat japonais" not in sb.aliases
    assert ents["Kelmora"].aliases == ["Kelmora", "Kelmora SA"]
    assert len(ents) == 2


def test_sentence_spans_keep_abbreviations():
    text = "M. Dupont a parlé. SoftBank Group Corp. a suivi.\nNouvelle ligne"
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == [
        "M. Dupont a parlé.",
        "SoftBank Group Corp. a suivi.",
        "Nouvelle ligne",
    ]


def test_mentions_are_fast_enough():
    """A smoke bound (the real comparison is bench/mentions_speed.py): 300 KB in < 5 s."""
    import time

    para = (
        "Le groupe Velmora Industries a annoncé que sa filiale Kelmora SA investira dans une usine "
        "à Tanger, a déclaré son PDG, Karim Benali. "
    )
    text = (para * 2500)[:300_000]
    t0 = time.perf_counter()
    ms = find_mentions(text, "fr")
    assert time.perf_counter() - t0 < 5.0
    assert len(ms) > 1000


# --------------------------------------------------------------------------- governments


def _gov(mentions: list[Mention]) -> dict[str, str]:
    return {m.surface: m.canonical for m in mentions if m.kind == "org"}


def test_capital_as_subject_names_the_government_not_as_place():
    text = "Québec apportera un prêt et Ottawa une subvention. L'usine sera construite à Ottawa."
    ms = find_mentions(text, "fr")
    got = [(m.surface, m.canonical) for m in ms if m.kind == "org"]
    assert got == [("Québec", "Gouvernement du Québec"), ("Ottawa", "Gouvernement du Canada")]


def test_government_nouns_follow_the_page_country():
    fr = "Kelvane Motors ouvre une usine marocaine. L'État apportera une subvention."
    assert _gov(find_mentions(fr, "fr"))["L'État"] == "État marocain"
    en = "Japan's Orlan Chips will build a plant, and the government will pay part of it."
    assert _gov(find_mentions(en, "en"))["the government"] == "Government of Japan"
    de = "Der Stahlkonzern Rheinwerk baut in Duisburg. Der Bund beteiligt sich mit Fördermitteln."
    de_page = "Die deutsche Regierung prüft den Antrag. " + de
    assert _gov(find_mentions(de_page, "de"))["Der Bund"] == "Bundesregierung"


def test_no_country_no_government_and_party_adjectives_do_not_count():
    en = "Velstrom raised funds from Danish and Japanese investors. The government set the price."
    assert "the government" not in _gov(find_mentions(en, "en"))
    assert "The government" not in _gov(find_mentions(en, "en"))
    fr = "Le gazoduc a été posé par l'italien Marisol sur les côtes sénégalaises. Pour l'État, c'est un succès."
    assert _gov(find_mentions(fr, "fr"))["l'État"] == "État du Sénégal"


def test_descriptions_never_resolve_to_a_government():
    text = "Kelvane Motors ouvre une usine marocaine. L'État la soutient. La plateforme ouvrira en mai."
    ms = find_mentions(text, "fr")
    plat = [m for m in ms if m.surface.lower().startswith("la plateforme")]
    assert all(m.canonical != "État marocain" for m in plat)


def test_site_country_names_the_government_of_a_page_that_names_no_country():
    text = "Le gouvernement a adopté mardi le projet de loi de finances pour 2026."
    assert _gov(find_mentions(text, "fr", country="SN")) == {
        "Le gouvernement": "Gouvernement du Sénégal"
    }
    assert _gov(find_mentions(text, "fr")) == {}  # no country anywhere: no guess
    named = "Le Maroc prépare son budget. " + text
    assert _gov(find_mentions(named, "fr", country="SN"))["Le gouvernement"] == (
        "Gouvernement du Maroc"
    ), "the country the text names wins over the site's"


def test_a_sentence_glued_without_a_space_still_ends_the_name():
    text = ("Le patron de Microsoft.L'industrie du jeu vaut cher. "
            "Selon Christophe Mulot.Avec Rossel le journal vivra.")
    names = {m.canonical for m in find_mentions(text, "fr")}
    assert {"Microsoft", "Christophe Mulot", "Rossel"} <= names
    assert not any("." in n for n in names)
    spans = [text[a:b] for a, b in sentence_spans(text)]
    assert spans[:2] == ["Le patron de Microsoft.", "L'industrie du jeu vaut cher."]


def test_a_repeated_name_with_a_connector_is_one_name():
    text = ("Le Cirque du Soleil est en difficulté. Le fondateur du Cirque du Soleil Guy "
            "Laliberté a parlé. Le Cirque du Soleil cherche un prêt.")
    names = [m.canonical for m in find_mentions(text, "fr")]
    assert names.count("Cirque du Soleil") == 3
    assert "Guy Laliberté" in names and "Cirque" not in names


def test_a_government_written_in_lower_case_takes_its_listed_form():
    text = "Le Cirque du Soleil souffre. Le gouvernement du Québec a offert un prêt au Cirque du Soleil."
    gov = [m for m in find_mentions(text, "fr") if "Québec" in m.surface]
    assert gov and all(m.canonical == "Gouvernement du Québec" for m in gov)


def test_a_function_title_before_a_name_makes_a_person():
    text = "Germany's Chancellor Gerhard Schroeder signed a deal worth 1bn euros for Airbus."
    (p,) = [m for m in find_mentions(text, "en") if "Schroeder" in m.surface]
    assert (p.surface, p.kind) == ("Gerhard Schroeder", "person")
    assert text[p.start : p.end] == "Gerhard Schroeder"


def test_one_kind_per_name_on_a_page():
    text = ("Standard Chartered bought a bank. Standard Chartered raised funds. Analysts "
            "liked it. Standard Chartered's shares were 28 pence lower at 925p by midday.")
    kinds = {m.kind for m in find_mentions(text, "en") if m.canonical == "Standard Chartered"}
    assert kinds == {"org"}


def test_a_sentence_opening_pronoun_is_the_previous_subject():
    text = ("Spotify a racheté Gimlet pour 230 millions de dollars. Elle a mis la main sur "
            "The Ringer pour 141 millions de dollars.")
    (p,) = [m for m in find_mentions(text, "fr") if m.resolved_from == "pronoun"]
    assert (p.surface, p.canonical) == ("Elle", "Spotify")


def test_an_honorific_is_no_part_of_a_persons_name():
    text = '"On a un bon plan", a dit M. Laliberté, dont la fortune est estimée à 1,2 milliard.'
    names = {(m.canonical, m.kind) for m in find_mentions(text, "fr")}
    assert ("Laliberté", "person") in names
    assert not any(n.startswith("M.") for n, _ in names)


def test_the_country_whose_government_the_page_names_wins_a_tie():
    from transforms.mentions.countries import government_iso
    from transforms.mentions.governments import page_country
    from transforms.mentions.lexicon import lexicon

    text = ("Los hackers atacaron varios ministerios y piden que el Estado pague un rescate. "
            "El país recibió el apoyo de especialistas de Estados Unidos, España e Israel. "
            "Ofrecen un descuento al Gobierno de Costa Rica. Otra nota: El España ante Alemania.")
    ms = find_mentions(text, "es")
    assert page_country(text, lexicon("es"), ms) == "CR"
    described = [m for m in ms if m.resolved_from == "description"]
    assert described and all(government_iso(m.canonical) == "CR" for m in described)
