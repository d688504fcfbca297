"""Batch-level composition of the pure stages: clean pages in, fact tables out.

The flow's tasks call these on a whole batch of pages; each returns plain values and
the seconds it spent, so the run can report the share of time per stage.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field

import pyarrow as pa

from transforms import tables
from transforms.extract import extract
from transforms.pages import Page
from transforms.rows import PageFigures, build_tables, to_table
from transforms.sites import site_country


@dataclass(slots=True)
class ExtractResult:
    """Fact tables of a batch (FX columns still empty) and the time spent per sub-stage."""

    tables: dict[str, pa.Table]
    seconds: dict[str, float] = field(default_factory=dict)


def figures_of(page: Page, country_overrides: Mapping[str, str] | None = None) -> PageFigures:
    """Figures of the title and of the body of one page."""
    country = site_country(page.site, country_overrides)
    pf = PageFigures(page)
    if page.title:
        pf.title = extract(page.title, page.lang, site=page.site, country=country)
    pf.body = extract(page.body, page.lang, site=page.site, country=country)
    return pf


def extract_batch(pages: list[Page], run_id: str, *,
                  country_overrides: Mapping[str, str] | None = None) -> ExtractResult:
    """Figures, entities and deals of every page, as fact tables."""
    t0 = time.perf_counter()
    page_figures = [figures_of(p, country_overrides) for p in pages]
    t1 = time.perf_counter()
    entity_tables = link_entities(page_figures)
    t2 = time.perf_counter()
    result = build_tables(page_figures, run_id)
    result.update(entity_tables)
    return ExtractResult(result, {"extract": t1 - t0 + (time.perf_counter() - t2),
                                  "entities": t2 - t1})


def link_entities(page_figures: list[PageFigures]) -> dict[str, pa.Table]:
    """Organisations, mentions and deal events of the batch (filled by transforms.deals)."""
    return {
        "dim_entity": to_table([], tables.DIM_ENTITY),
        "fact_mention": to_table([], tables.FACT_MENTION),
        "fact_deal": to_table([], tables.FACT_DEAL),
    }
