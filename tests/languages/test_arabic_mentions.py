"""Arabic organisations by head nouns and known names; the government is the country's."""

from transforms.mentions.countries import government_iso
from transforms.mentions.entities import resolve_entities
from transforms.mentions.finder import find_mentions
from transforms.mentions.records import entity_id


def _names(text: str, country: str | None = "MA") -> dict[str, str]:
    return {m.surface: m.canonical for m in find_mentions(text, "ar", country=country)}


def test_known_organisations_and_head_nouns():
    text = ("أعلن البنك الدولي عن برنامج جديد. ووقعت شركة كلفان موتورز على اتفاق مع "
            "المكتب الوطني للصيد في الرباط.")
    got = _names(text)
    assert got["البنك الدولي"] == "البنك الدولي"
    assert got["شركة كلفان موتورز"] == "شركة كلفان موتورز"
    assert got["المكتب الوطني للصيد"] == "المكتب الوطني للصيد"


def test_a_definite_head_with_an_adjective_is_a_description_not_a_name():
    got = _names("قالت المجموعة الفرنسية إنها ستستثمر في المغرب.")
    assert "المجموعة الفرنسية" not in got


def test_government_words_and_country_names_are_the_country_government():
    text = "قررت الحكومة دعم المقاولات. وقال المغرب إنه سيستثمر في إفريقيا."
    got = _names(text)
    assert got["الحكومة"] == "الحكومة المغربية"
    assert got["المغرب"] == "الحكومة المغربية"
    assert government_iso("الحكومة المغربية") == "MA"
    (gov,) = resolve_entities({"d": find_mentions(text, "ar", country="MA")})
    assert "المغرب" in gov.aliases and "Maroc" in gov.aliases
    assert gov.entity_id == entity_id("org", "État marocain")


def test_latin_script_names_and_skipped_spans():
    text = "أعلنت مجموعة Thyssenkrupp عن رقم معاملات بلغ 13.67 مليار أورو."
    s = text.index("13.67")
    got = {m.surface for m in find_mentions(text, "ar", spans_to_skip=[(s, s + 15)])}
    assert "Thyssenkrupp" in got
    assert not any("13" in g for g in got)
