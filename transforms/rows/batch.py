"""Batch-level composition of the pure stages: clean pages in, fact tables out.

The flow's tasks call these on a whole batch of pages; each returns plain values and
the seconds it spent, so the run can report the share of time per stage.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import pyarrow as pa

from transforms.contract import tables
from transforms.contract.figure import Figure
from transforms.contract.ids import stable_id
from transforms.contract.pages import Page, Rejection
from transforms.deals.confidence import ROLE_FLOOR, assess
from transforms.deals.events import find_deals, unique_events
from transforms.figures import extract
from transforms.mentions.entities import resolve_entities
from transforms.mentions.finder import find_mentions
from transforms.mentions.records import Entity, Mention, entity_id
from transforms.page.sites import site_country
from transforms.rows.facts import (
    PageFigures,
    amount_id,
    build_tables,
    publication,
    publication_day,
    to_table,
)


@dataclass(slots=True)
class ExtractResult:
    """Fact tables of a batch (FX columns still empty) and the time spent per sub-stage."""

    tables: dict[str, pa.Table]
    seconds: dict[str, float] = field(default_factory=dict)
    rejections: list[Rejection] = field(default_factory=list)  # figure storms


# A page with more figures than this, or at least FIGURE_STORM_MIN of them packed denser
# than one per FIGURE_STORM_CHARS characters of text, is a currency-symbol or number
# storm (a price list dump, a ticker, a broken table), not an article: real articles
# carry tens of figures, a dense results page a few hundred, one per ~150 characters.
# Loading it would put hundreds of thousands of junk rows in the warehouse and cost
# seconds in the deal stage, so it goes to quarantine with its counts.
MAX_FIGURES = 2_000
FIGURE_STORM_MIN = 200
FIGURE_STORM_CHARS = 50


def figure_storm(pf: PageFigures) -> Rejection | None:
    """A Rejection ("figure_storm") for a page whose figures are a storm, else None."""
    n = len(pf.title) + len(pf.body)
    chars = len(pf.page.body) + len(pf.page.title or "")
    if n > MAX_FIGURES or (n >= FIGURE_STORM_MIN and chars < n * FIGURE_STORM_CHARS):
        return Rejection(
            pf.page.source_path, "extract", "figure_storm",
            f"{n:,} figures in {chars:,} characters (one per {chars // max(n, 1):,}): more than "
            f"{MAX_FIGURES:,}, or denser than one per {FIGURE_STORM_CHARS} characters; "
            "a list or a symbol storm, not an article.",
            doc_id=pf.page.doc_id,
        )
    return None


def figures_of(page: Page, country_overrides: Mapping[str, str] | None = None) -> PageFigures:
    """Figures of the title and of the body of one page."""
    country = site_country(page.site, country_overrides)
    pf = PageFigures(page, country=country)
    if page.title:
        pf.title = extract(page.title, page.lang, site=page.site, country=country)
    pf.body = extract(page.body, page.lang, site=page.site, country=country)
    return pf


def extract_batch(pages: list[Page], run_id: str, *,
                  country_overrides: Mapping[str, str] | None = None) -> ExtractResult:
    """Figures, entities and deals of every page, as fact tables."""
    t0 = time.perf_counter()
    page_figures, storms = [], []
    for p in pages:
        pf = figures_of(p, country_overrides)
        storm = figure_storm(pf)
        if storm is None:
            page_figures.append(pf)
        else:
            storms.append(storm)
    t1 = time.perf_counter()
    entity_tables = link_entities(page_figures)
    t2 = time.perf_counter()
    result = build_tables(page_figures, run_id)
    result.update(entity_tables)
    return ExtractResult(result, {"extract": t1 - t0 + (time.perf_counter() - t2),
                                  "entities": t2 - t1}, storms)


def link_entities(page_figures: list[PageFigures]) -> dict[str, pa.Table]:
    """Mentions, entities and deal events of a batch; sets each amount's event id.

    Title and body are read as one text (title, blank line, body) so a title amount and
    the body's restatement of it become one event, then offsets are mapped back to the
    title, the body and the raw page.
    """
    mentions_by_doc: dict[str, list[Mention]] = {}
    mention_rows: list[dict] = []
    deal_rows: list[dict] = []
    extra_entities: dict[str, Entity] = {}
    for pf in page_figures:
        page = pf.page
        title = page.title or ""
        shift = len(title) + 2 if title else 0
        text = f"{title}\n\n{page.body}" if title else page.body
        located: dict[int, tuple[str, int]] = {}
        money: list[Figure] = []
        for part, figs, offset in (("title", pf.title, 0), ("body", pf.body, shift)):
            for idx, f in enumerate(figs):
                if f.kind != "money":
                    continue
                g = replace(f, start=f.start + offset, end=f.end + offset)
                located[id(g)] = (part, idx)
                money.append(g)
        skip = [(f.start, f.end) for f in money]
        mentions = find_mentions(text, page.lang, spans_to_skip=skip, country=pf.country)
        mentions_by_doc[page.doc_id] = mentions
        published, _ = publication(page)
        day = publication_day(page)
        for m in mentions:
            in_title = bool(title) and m.end <= len(title)
            if in_title:
                raw_start, raw_end = page.title_start + m.start, page.title_start + m.end
                body_start = body_end = None
            elif m.start >= shift:
                body_start, body_end = m.start - shift, m.end - shift
                raw_start, raw_end = page.raw_span(body_start, body_end)
            else:  # straddles the joint between title and body: not a real name
                continue
            mention_rows.append({
                "mention_id": stable_id(page.doc_id, "mention", raw_start, raw_end),
                "doc_id": page.doc_id,
                "entity_id": entity_id(m.kind, m.canonical),
                "surface": m.surface,
                "raw_start": raw_start,
                "raw_end": raw_end,
                "body_start": body_start,
                "body_end": body_end,
                "in_title": in_title,
                "resolved_from": m.resolved_from,
                "published_at": published,
                "published_date": day,
                "pub_year": day.year,
                "pub_month": day.month,
            })
        if not money:
            continue
        deals = find_deals(text, page.lang, money, mentions,
                           title_span=(0, len(title)) if title else None, doc_id=page.doc_id)
        for d in deals:
            pf.event_ids[located[id(d.figure)]] = d.event_id
        events = unique_events(deals)
        trust = assess(text, page.lang, events, mentions, len(title) if title else 0)
        for d, conf in zip(events, trust, strict=True):
            actor_id = _entity_ref(d.actor if conf.actor >= ROLE_FLOOR else None,
                                   d.actor_kind, extra_entities)
            counterpart_id = _entity_ref(
                d.counterpart if conf.counterpart >= ROLE_FLOOR else None,
                d.counterpart_kind, extra_entities)
            f = d.figure
            deal_rows.append({
                "event_id": d.event_id,
                "doc_id": page.doc_id,
                "event_type": d.event_type,
                "status": d.status,
                "actor_id": actor_id,
                "counterpart_id": counterpart_id,
                "amount_id": _amount_id_of(page, pf, located[id(f)]),
                "value": f.value if f.value is not None else (f.min if f.min is not None else f.max),
                "currency": f.currency,
                "published_at": published,
                "published_date": day,
                "pub_year": day.year,
                "pub_month": day.month,
                "type_confidence": conf.type,
                "actor_confidence": conf.actor if actor_id else None,
                "counterpart_confidence": conf.counterpart if counterpart_id else None,
            })
    entities = {e.entity_id: e for e in resolve_entities(mentions_by_doc)}
    for eid, e in extra_entities.items():
        entities.setdefault(eid, e)
    entity_rows = [{"entity_id": e.entity_id, "name": e.name, "kind": e.kind,
                    "aliases": sorted(set(e.aliases))} for e in entities.values()]
    return {
        "dim_entity": to_table(sorted(entity_rows, key=lambda r: r["entity_id"]), tables.DIM_ENTITY),
        "fact_mention": to_table(mention_rows, tables.FACT_MENTION),
        "fact_deal": to_table(deal_rows, tables.FACT_DEAL),
    }


def _amount_id_of(page: Page, pf: PageFigures, where: tuple[str, int]) -> str:
    """The `fact_amount` id of the figure at (part, index): the same hash rows.py uses."""
    part, idx = where
    f = (pf.title if part == "title" else pf.body)[idx]
    if part == "title":
        return amount_id(page.doc_id, page.title_start + f.start, page.title_start + f.end)
    return amount_id(page.doc_id, *page.raw_span(f.start, f.end))


def _entity_ref(name: str | None, kind: str | None, extra: dict[str, Entity]) -> str | None:
    """The entity id of a deal's actor or counterpart, registering it if no mention had it."""
    if not name:
        return None
    kind = kind or "org"
    eid = entity_id(kind, name)
    extra.setdefault(eid, Entity(eid, name, kind, [name]))
    return eid
