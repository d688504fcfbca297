"""Turn cleaned pages and their figures into rows of the fact tables (Arrow).

Figures are extracted from the title and the body separately; here they get their raw
offsets (through the page's body map), deterministic ids (content hashes of doc id and
raw span, so a re-run gives the same keys), sentence numbers and bounds, and partition
columns.
Money goes to `fact_amount`, percentages / quantities / counts to `fact_figure`.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pyarrow as pa

from transforms.contract import tables
from transforms.contract.figure import Figure
from transforms.contract.ids import stable_id
from transforms.contract.pages import Page
from transforms.mentions.context import sentence_spans
from transforms.page.identity import body_key


@dataclass(slots=True)
class PageFigures:
    """The figures of one page: those found in its title and those found in its body.

    Offsets of `title` figures index the title string; offsets of `body` figures index
    the body string. `event_ids` maps a money figure (by identity of its position in
    `title`/`body`, key ("title"|"body", index)) to the deal event it belongs to.
    """

    page: Page
    title: list[Figure] = field(default_factory=list)
    body: list[Figure] = field(default_factory=list)
    event_ids: dict[tuple[str, int], str] = field(default_factory=dict)
    country: str | None = None  # the site's country (ISO alpha-2), when known


def sentence_starts(body: str) -> list[int]:
    """Offsets where sentences start; used to number the sentence of each figure.

    The spans are the mention finder's (`sentence_spans`: abbreviations such as "M.",
    "Mr.", "av. J.-C." do not end a sentence, a line break does, and so do "؟" and ". "
    before an Arabic letter), so a figure's sentence_no is the sentence its deal read.
    """
    return [0] + [start for start, _ in sentence_spans(body)[1:]]


def publication(page: Page) -> tuple[datetime, str]:
    """UTC publication time and where it came from; the fetch time when the page has none."""
    if page.published_at is not None:
        return page.published_at.astimezone(UTC), "page"
    return page.fetched_at.astimezone(UTC), "fetched_at"


def publication_day(page: Page) -> date:
    """The site's local calendar day of publication (the fetch day when the page has none)."""
    local = page.published_at if page.published_at is not None else page.fetched_at
    if page.published_at is None and page.tz:
        from zoneinfo import ZoneInfo

        local = local.astimezone(ZoneInfo(page.tz))
    return local.date()


def amount_id(doc_id: str, raw_start: int, raw_end: int) -> str:
    return stable_id(doc_id, "amount", raw_start, raw_end)


def figure_id(doc_id: str, raw_start: int, raw_end: int) -> str:
    return stable_id(doc_id, "figure", raw_start, raw_end)


def sentence_bounds(body: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """(sentence_no, sentence_start, sentence_end) of each body span (start, end).

    One numbering for everything: the sentences are `sentence_spans`' (the splitter the
    mention finder and the deals read), sentence_no counts from 1 as `sentence_starts`
    does, and the bounds are that sentence's body offsets, so the dashboard quotes the
    very sentence sentence_no counts. Should a figure cross a sentence break, the bounds
    widen to hold all of it.
    """
    sents = sentence_spans(body)
    starts = [0] + [start for start, _ in sents[1:]]
    out = []
    for start, end in spans:
        no = bisect.bisect_right(starts, start)
        s, e = sents[no - 1] if sents else (start, end)
        out.append((no, min(s, start), max(e, end)))
    return out


Located = tuple[str, int, Figure, int, int, int | None, int | None, int, int | None, int | None]


def _located(pf: PageFigures) -> Iterable[Located]:
    """(part, index, figure, raw_start, raw_end, body_start, body_end, sentence_no,
    sentence_start, sentence_end) in text order; title figures have no body offsets."""
    page = pf.page
    for i, f in enumerate(pf.title):
        yield "title", i, f, page.title_start + f.start, page.title_start + f.end, None, None, 0, None, None
    bounds = sentence_bounds(page.body, ((f.start, f.end) for f in pf.body)) if pf.body else []
    for i, (f, (sentence_no, s_start, s_end)) in enumerate(zip(pf.body, bounds, strict=True)):
        raw_start, raw_end = page.raw_span(f.start, f.end)
        yield "body", i, f, raw_start, raw_end, f.start, f.end, sentence_no, s_start, s_end


def document_row(page: Page, run_id: str, n_amounts: int, n_figures: int) -> dict:
    published, source = publication(page)
    day = publication_day(page)
    local = page.published_at.isoformat() if page.published_at is not None else None
    return {
        "doc_id": page.doc_id,
        "source_path": page.source_path,
        "url": page.url,
        "site": page.site,
        "lang": page.lang,
        "title": page.title,
        "published_at": published,
        "published_date": day,
        "published_local": local,
        "published_text": page.published_text,
        "published_source": source,
        "fetched_at": page.fetched_at.astimezone(UTC),
        "tz": page.tz,
        "encoding": page.encoding,
        "body": page.body,
        "raw_sha256": page.raw_sha256,
        "body_key": body_key(page.body),
        "source_kind": page.kind,
        "n_amounts": n_amounts,
        "n_figures": n_figures,
        "run_id": run_id,
        "pub_year": day.year,
        "pub_month": day.month,
    }


def page_rows(pf: PageFigures, run_id: str) -> tuple[dict, list[dict], list[dict]]:
    """The document row, its amount rows and its figure rows (FX columns left empty)."""
    page = pf.page
    published, _ = publication(page)
    day = publication_day(page)
    amounts: list[dict] = []
    figures: list[dict] = []
    for (part, idx, f, raw_start, raw_end, body_start, body_end, sentence_no, sentence_start,
         sentence_end) in _located(pf):
        common = {
            "doc_id": page.doc_id,
            "raw_start": raw_start,
            "raw_end": raw_end,
            "body_start": body_start,
            "body_end": body_end,
            "surface": f.surface,
            "qualifier": f.qualifier,
            "in_title": part == "title",
            "published_at": published,
            "published_date": day,
            "pub_year": day.year,
            "pub_month": day.month,
        }
        if f.kind == "money":
            amounts.append(
                {
                    **common,
                    "amount_id": amount_id(page.doc_id, raw_start, raw_end),
                    "mention_no": len(amounts),
                    "sentence_no": sentence_no,
                    "sentence_start": sentence_start,
                    "sentence_end": sentence_end,
                    "value": f.value,
                    "value_min": f.min,
                    "value_max": f.max,
                    "currency": f.currency,
                    "implied": bool(f.extra.get("implied")),
                    "furniture": bool(f.extra.get("furniture")),
                    "event_id": pf.event_ids.get((part, idx)),
                }
            )
        elif f.kind in ("percent", "quantity", "count"):
            figures.append(
                {
                    **common,
                    "figure_id": figure_id(page.doc_id, raw_start, raw_end),
                    "mention_no": len(figures),
                    "kind": f.kind,
                    "value": f.value,
                    "min": f.min,
                    "max": f.max,
                    "unit": f.unit,
                    "si_value": f.si_value,
                    "si_min": f.si_min,
                    "si_max": f.si_max,
                    "si_unit": f.si_unit,
                    "counted_noun": f.counted_noun,
                }
            )
    doc = document_row(page, run_id, len(amounts), len(figures))
    return doc, amounts, figures


def to_table(rows: list[dict], schema: pa.Schema) -> pa.Table:
    """Rows (dicts, missing keys = null) as an Arrow table of exactly `schema`."""
    columns = {name: [r.get(name) for r in rows] for name in schema.names}
    return pa.Table.from_pydict(columns, schema=schema)


def build_tables(page_figures: list[PageFigures], run_id: str) -> dict[str, pa.Table]:
    """documents, fact_amount and fact_figure for a batch of pages."""
    docs: list[dict] = []
    amounts: list[dict] = []
    figures: list[dict] = []
    for pf in page_figures:
        d, a, f = page_rows(pf, run_id)
        docs.append(d)
        amounts.extend(a)
        figures.extend(f)
    return {
        "documents": to_table(docs, tables.DOCUMENTS),
        "fact_amount": to_table(amounts, tables.FACT_AMOUNT),
        "fact_figure": to_table(figures, tables.FACT_FIGURE),
    }


def with_deal_usd(deals: pa.Table, amounts: pa.Table) -> pa.Table:
    """fact_deal.value_usd from the event's reference amount (its bound for an open range)."""
    if deals.num_rows == 0:
        return deals
    usd: dict[str, float | None] = {}
    cols = amounts.select(["amount_id", "value_usd", "value_min_usd", "value_max_usd"]).to_pydict()
    for aid, v, lo, hi in zip(cols["amount_id"], cols["value_usd"], cols["value_min_usd"],
                              cols["value_max_usd"], strict=True):
        usd[aid] = v if v is not None else (lo if lo is not None else hi)
    values = pa.array([usd.get(a) for a in deals["amount_id"].to_pylist()], pa.float64())
    return deals.set_column(deals.schema.get_field_index("value_usd"), "value_usd", values)
