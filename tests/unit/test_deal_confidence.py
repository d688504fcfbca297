"""Confidence of deal roles: a wrong name is worse than none."""

from transforms.contract.figure import Figure
from transforms.deals.confidence import ROLE_FLOOR, assess, name_quality
from transforms.deals.events import find_deals
from transforms.mentions.finder import find_mentions


def _money(text: str, surface: str, value: float, currency: str) -> Figure:
    s = text.index(surface)
    return Figure(kind="money", start=s, end=s + len(surface), surface=surface, value=value,
                  currency=currency)


def test_fragments_and_headings_are_not_trusted_names():
    for name in ("Microsoft.L'industrie", "WLTP.En", "Question of the Day",
                 "Join Over Million Premium Members And Get More Stock Guidance",
                 "QUELLE GARANTIE POUR", "Baisse", "Republican"):
        assert name_quality(name, "org", "fr") < ROLE_FLOOR, name
    for name in ("SNCF", "Federated Department Stores", "Gouvernement du Québec", "Kelvane Motors"):
        assert name_quality(name, "org", "en") >= 0.8, name


def test_a_place_alone_is_not_a_party():
    assert name_quality("Allemagne", "org", "fr") < ROLE_FLOOR
    for name in ("EE UU", "Costa Rica", "Reino Unido", "United States"):
        assert name_quality(name, "org", "es") < ROLE_FLOOR, name


def test_a_name_in_the_amount_sentence_is_trusted_more_than_a_distant_one():
    text = ("Kelvane Motors publie ses comptes. Le marché reste calme. La météo aussi. "
            "Rien ne change. Les analystes attendent. Orvane Capital a investi 40 millions "
            "d'euros dans Velmora.")
    fig = _money(text, "40 millions d'euros", 4e7, "EUR")
    mentions = find_mentions(text, "fr", spans_to_skip=[(fig.start, fig.end)])
    (deal,) = find_deals(text, "fr", [fig], mentions)
    (conf,) = assess(text, "fr", [deal], mentions)
    assert deal.actor == "Orvane Capital"
    assert conf.actor >= 0.8 and conf.type >= 0.8
    assert 0.0 <= conf.counterpart <= 1.0


def _conf(text: str, surface: str, lang: str = "en"):
    fig = _money(text, surface, 1e6, "USD")
    mentions = find_mentions(text, lang, spans_to_skip=[(fig.start, fig.end)])
    deals = find_deals(text, lang, [fig], mentions)
    explain: list[dict] = []
    (conf,) = assess(text, lang, deals, mentions, explain=explain)
    return deals[0], conf, explain


def test_a_name_far_from_the_amount_is_trusted_less_than_a_near_one():
    near = "Kelvane Motors reported revenue of $5 million for the quarter."
    far = ("Kelvane Motors, which opened three plants and hired a new chief executive after a "
           "long search that lasted most of the year and cost the board a great deal of "
           "patience, as it told shareholders in a letter, reported revenue of $5 million.")
    (d1, c1, _), (d2, c2, e2) = _conf(near, "$5 million"), _conf(far, "$5 million")
    assert d1.actor == d2.actor == "Kelvane Motors"
    assert e2[0]["gap"] > 150
    assert c2.actor < c1.actor


def test_a_guessed_owner_beside_a_cited_estimate_falls_under_the_floor():
    text = ("Kelvane Media has built a strong audience. Orvane Analytics estimates that "
            "advertising spend on streaming reached $800 million in 2019.")
    deal, conf, explain = _conf(text, "$800 million")
    assert deal.actor != "Orvane Analytics"
    assert deal.actor is None or conf.actor < ROLE_FLOOR
    assert all(e["sentence_cites"] for e in explain if "role" not in e)
