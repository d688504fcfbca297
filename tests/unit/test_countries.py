"""One entity per government, linked to its country code, named in every language."""

from transforms.mentions.countries import country_iso, country_names, government_iso
from transforms.mentions.entities import resolve_entities
from transforms.mentions.finder import find_mentions
from transforms.mentions.records import entity_id


def test_government_and_state_names_share_the_country_code():
    assert government_iso("Gouvernement français") == "FR"
    assert government_iso("État français") == "FR"
    assert government_iso("Gobierno de España") == "ES"
    assert government_iso("Kelvane Motors") is None
    assert entity_id("org", "Gouvernement français") == entity_id("org", "État français")
    assert entity_id("org", "Gouvernement français") != entity_id("org", "Gouvernement du Maroc")


def test_country_names_in_every_language():
    assert country_iso("Marruecos") == "MA" and country_iso("المغرب") == "MA"
    assert {"Morocco", "Maroc", "المغرب"} <= set(country_names("MA"))
    assert country_names("US", "en")[:2] == ["United States", "US"]


def test_a_government_entity_carries_its_country_names():
    text = "Renault ouvre une usine en France. L'État apportera un prêt. Le gouvernement l'a dit."
    ents = resolve_entities({"d": find_mentions(text, "fr")})
    (gov,) = [e for e in ents if government_iso(e.name)]
    assert "France" in gov.aliases and "Frankreich" in gov.aliases
