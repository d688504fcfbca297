"""`implied` and `furniture` reach fact_amount: the extractor's page-context flags are
facts an analyst filters on (an amount whose currency was carried over from an earlier
one, an amount read off a ticker line rather than the article)."""

from __future__ import annotations

from datetime import UTC, datetime

from transforms.contract.pages import Page, RawPage
from transforms.page.ingest import prepare_page
from transforms.rows.batch import extract_batch

FETCHED = datetime(2025, 3, 12, 9, 0, tzinfo=UTC)


def _page(text: str, site: str) -> Page:
    raw = RawPage(f"{site}.txt", text.encode("utf-8"), FETCHED,
                  {"site": site, "fetched_at": FETCHED.isoformat(), "lang": "fr" if site.endswith(".fr") else "en"})
    page = prepare_page(raw)
    assert isinstance(page, Page), page
    return page


def test_implied_and_furniture_columns() -> None:
    text = (
        "Le plan de relance européen\n\n"
        "Bruxelles a présenté un plan qui prévoit 100 milliards d'euros pour l'industrie "
        "et 20 milliards pour le rail.\n\n"
        "Le groupe Alstom a salué l'annonce.\n"
    )
    result = extract_batch([_page(text, "lesechos.fr")], "run-1")
    rows = {r["surface"]: r for r in result.tables["fact_amount"].to_pylist()}
    assert rows["100 milliards d'euros"]["implied"] is False
    assert rows["20 milliards"]["currency"] == "EUR"
    assert rows["20 milliards"]["implied"] is True
    assert all(r["furniture"] is False for r in rows.values())


def test_ticker_amount_is_kept_and_marked_furniture() -> None:
    text = (
        "Verizon buys Yahoo's core business\n\n"
        "Verizon agreed to pay $4.8 billion for Yahoo's internet business, the companies "
        "said on Monday.\n\n"
        "Market Cap $163.2B\n\n"
        "The deal still needs the approval of Yahoo shareholders.\n"
    )
    page = _page(text, "example.com")
    rows = {r["surface"]: r for r in
            extract_batch([page], "run-1").tables["fact_amount"].to_pylist()}
    assert rows["$4.8 billion"]["furniture"] is False
    assert rows["$163.2B"]["furniture"] is True
