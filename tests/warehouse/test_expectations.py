"""The validate stage against real GX: good rows pass, each kind of bad row is quarantined
under the right expectation name and removed, documents cascade, Data Docs get written.

Rows come from `row()`, which fills every column of the Arrow schemas in
transforms/contract/tables.py (and fails if a column is added there without a default here), so
a test states only the one value it breaks.
"""

from __future__ import annotations

import json
import logging
import math
import os
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pytest

from expectations import rules
from expectations.validate import SUITES, ValidationOutcome, validate_tables
from transforms.contract.tables import KEYS, SCHEMAS

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

ROOT = Path(__file__).resolve().parents[2]
CURRENCIES = {"USD", "EUR", "JPY", "MAD"}

TITLE = "SoftBank engage 22,5 milliards de dollars dans OpenAI"
BODY = (
    "Le groupe japonais SoftBank va investir 22,5 milliards de dollars dans OpenAI. "
    "Sa part atteindra 11 % du capital."
)
PUBLISHED = datetime(2025, 3, 12, 10, 5, tzinfo=UTC)
FETCHED = datetime(2025, 3, 12, 12, 0, tzinfo=UTC)
RAW_BODY_START = len(TITLE) + 2  # raw file: title, blank line, body
EUR_PER_USD = 0.92


def span(text: str, surface: str) -> tuple[int, int]:
    start = text.index(surface)
    return start, start + len(surface)


def body_span(surface: str) -> dict:
    """Offsets of a body mention: body offsets and the raw ones they map to."""
    start, end = span(BODY, surface)
    return {
        "surface": surface,
        "body_start": start,
        "body_end": end,
        "raw_start": RAW_BODY_START + start,
        "raw_end": RAW_BODY_START + end,
        "in_title": False,
    }


def title_span(surface: str) -> dict:
    start, end = span(TITLE, surface)
    return {
        "surface": surface,
        "body_start": None,
        "body_end": None,
        "raw_start": start,
        "raw_end": end,
        "in_title": True,
    }


def title_amount(surface: str) -> dict:
    """A title amount: title offsets only, and no sentence bounds in the body."""
    return {**title_span(surface), "sentence_start": None, "sentence_end": None}


FIRST_SENTENCE = (0, BODY.index(". Sa part") + 1)  # "Le groupe ... dans OpenAI."

PUB = {"published_at": PUBLISHED, "published_date": PUBLISHED.date(), "pub_year": 2025,
       "pub_month": 3}


def _documents(doc_id: str, n: int) -> dict:
    return {
        "doc_id": doc_id,
        "source_path": f"landing/{doc_id}.txt",
        "url": f"https://example.com/{doc_id}",
        "site": "example.com",
        "lang": "fr",
        "title": TITLE,
        "published_local": "2025-03-12T11:05:00+01:00",
        "published_text": "12 mars 2025 à 11h05",
        "published_source": "page",
        "fetched_at": FETCHED,
        "tz": "Europe/Paris",
        "encoding": "utf-8",
        "body": BODY,
        "raw_sha256": "ab" * 32,
        "body_key": "cd" * 16,
        "source_kind": "text",
        "n_amounts": 1,
        "n_figures": 1,
        "run_id": "run-1",
        **PUB,
    }


def _fact_amount(doc_id: str, n: int) -> dict:
    value = 22.5e9
    return {
        "amount_id": f"{doc_id}-a{n}",
        "doc_id": doc_id,
        "mention_no": n,
        "sentence_no": 0,
        **body_span("22,5 milliards de dollars"),
        "sentence_start": FIRST_SENTENCE[0],
        "sentence_end": FIRST_SENTENCE[1],
        "value": value,
        "value_min": None,
        "value_max": None,
        "currency": "USD",
        "qualifier": "exact",
        "implied": False,
        "furniture": False,
        "usd_per_unit": 1.0,
        "eur_per_unit": EUR_PER_USD,
        "value_usd": value * 1.0,
        "value_eur": value * EUR_PER_USD,
        "value_min_usd": None,
        "value_max_usd": None,
        "fx_date": date(2025, 3, 12),
        "fx_source": "ecb",
        "fx_missing_reason": None,
        "event_id": f"{doc_id}-e0",
        **PUB,
    }


def _fact_figure(doc_id: str, n: int) -> dict:
    return {
        "figure_id": f"{doc_id}-f{n}",
        "doc_id": doc_id,
        "mention_no": n,
        "kind": "percent",
        **body_span("11 %"),
        "value": 11.0,
        "min": None,
        "max": None,
        "unit": "%",
        "si_value": 0.11,
        "si_min": None,
        "si_max": None,
        "si_unit": None,
        "counted_noun": None,
        "qualifier": "exact",
        **PUB,
    }


def _fact_mention(doc_id: str, n: int) -> dict:
    return {
        "mention_id": f"{doc_id}-m{n}",
        "doc_id": doc_id,
        "entity_id": "e0",
        **body_span("SoftBank"),
        "resolved_from": "name",
        **PUB,
    }


def _fact_deal(doc_id: str, n: int) -> dict:
    return {
        "event_id": f"{doc_id}-e{n}",
        "doc_id": doc_id,
        "event_type": "investment",
        "status": "announced",
        "actor_id": "e0",
        "counterpart_id": "e1",
        "amount_id": f"{doc_id}-a0",
        "value": 22.5e9,
        "currency": "USD",
        "value_usd": 22.5e9,
        **PUB,
        "type_confidence": 0.9,
        "actor_confidence": 0.9,
        "counterpart_confidence": 0.9,
    }


def _dim_entity(doc_id: str, n: int) -> dict:
    return {"entity_id": f"e{n}", "name": f"Entity {n}", "kind": "org", "aliases": ["alias"]}


def _fx_rate(doc_id: str, n: int) -> dict:
    return {"rate_date": date(2025, 3, 12), "currency": "USD", "per_eur": 1.08, "source": "ecb"}


def _dim_currency(doc_id: str, n: int) -> dict:
    return {"currency": "USD", "name": "US dollar", "minor_units": 2, "fx_method": "ecb"}


DEFAULTS = {
    "documents": _documents,
    "fact_amount": _fact_amount,
    "fact_figure": _fact_figure,
    "fact_mention": _fact_mention,
    "fact_deal": _fact_deal,
    "dim_entity": _dim_entity,
    "fx_rate": _fx_rate,
    "dim_currency": _dim_currency,
}


def row(table: str, doc_id: str = "d1", n: int = 0, **overrides) -> dict:
    """A valid row of `table` with every schema column filled, then `overrides` applied."""
    base = DEFAULTS[table](doc_id, n)
    assert set(base) == set(SCHEMAS[table].names), set(base) ^ set(SCHEMAS[table].names)
    unknown = set(overrides) - set(base)
    assert not unknown, unknown
    return {**base, **overrides}


def arrow(table: str, rows: list[dict]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=SCHEMAS[table])


def good_rows() -> dict[str, list[dict]]:
    """Two documents with one fact of each kind (d2's amount is a title mention)."""
    out: dict[str, list[dict]] = {name: [] for name in DEFAULTS}
    for doc in ("d1", "d2"):
        out["documents"].append(row("documents", doc))
        out["fact_figure"].append(row("fact_figure", doc))
        out["fact_mention"].append(row("fact_mention", doc))
        out["fact_deal"].append(row("fact_deal", doc))
    out["fact_amount"].append(row("fact_amount", "d1"))
    out["fact_amount"].append(
        row("fact_amount", "d2", **title_amount("22,5 milliards de dollars"), sentence_no=0)
    )
    out["dim_entity"] = [row("dim_entity", n=0), row("dim_entity", n=1)]
    out["fx_rate"] = [row("fx_rate"), row("fx_rate", currency="JPY", per_eur=160.5)]
    out["dim_currency"] = [
        row("dim_currency"),
        row("dim_currency", currency="EUR", name="Euro", fx_method="none"),
    ]
    return out


def tables_of(rows: dict[str, list[dict]]) -> dict[str, pa.Table]:
    return {name: arrow(name, r) for name, r in rows.items()}


def row_id(table: str, r: dict) -> str:
    return "|".join(v.isoformat() if isinstance(v, date) else str(v) for v in (r[k] for k in KEYS[table]))


def run(tables: dict[str, pa.Table], **kw) -> ValidationOutcome:
    return validate_tables(tables, currencies=CURRENCIES, **kw)


@pytest.fixture(scope="module")
def good_outcome() -> tuple[dict[str, pa.Table], ValidationOutcome]:
    tables = tables_of(good_rows())
    return tables, run(tables)


def test_good_tables_pass(good_outcome):
    tables, outcome = good_outcome
    assert outcome.success
    assert outcome.rejected == []
    assert set(outcome.summary) == set(SUITES)
    for name, table in tables.items():
        assert outcome.tables[name].equals(table)
        s = outcome.summary[name]
        assert s["success"] and s["unsuccessful"] == 0 and s["failed_expectations"] == []
        assert s["evaluated"] == s["successful"] >= 3
        assert s["rows_in"] == s["rows_out"] == table.num_rows
    json.dumps(outcome.summary)  # goes to runs.gx_summary as JSON


def test_cross_table_checks_run_when_documents_are_given(good_outcome):
    """The surface and doc_id checks must really be in the suites (not silently skipped)."""
    _, outcome = good_outcome
    inputs = rules.SuiteInputs(currencies=frozenset(CURRENCIES), documents={}, amount_ids=frozenset())
    names = {r.name for r in SUITES["fact_amount"].rules_for(inputs)}
    assert {"surface_matches_text", "doc_id_in_documents", "value_usd_matches_rate"} <= names
    fact_amount_rules = len(SUITES["fact_amount"].rules_for(inputs))
    assert outcome.summary["fact_amount"]["evaluated"] == fact_amount_rules


NAN = math.nan
BAD_ROWS = [
    ("fact_amount", {"value": -5.0, "value_usd": -5.0, "value_eur": -5.0 * EUR_PER_USD}, "value_positive_finite"),
    ("fact_amount", {"value": NAN, "value_usd": NAN, "value_eur": NAN}, "value_positive_finite"),
    ("fact_amount", {"value": math.inf, "value_usd": math.inf, "value_eur": math.inf}, "value_positive_finite"),
    ("fact_amount", {"currency": "XXQ"}, "currency_iso4217"),
    ("fact_amount", {"surface": "23 milliards de dollars"}, "surface_matches_text"),
    ("fact_amount", {**title_amount("milliards"), "surface": "99 dollars"}, "surface_matches_text"),
    ("fact_amount", {"sentence_start": BODY.index("22,5") + 1}, "sentence_bounds_hold_the_amount"),
    ("fact_amount", {"sentence_end": None}, "sentence_bounds_hold_the_amount"),
    ("fact_amount", {**title_amount("22,5 milliards de dollars"), "sentence_start": 0,
                     "sentence_end": 10}, "sentence_bounds_hold_the_amount"),
    ("fact_amount", {"value_usd": 22.6e9}, "value_usd_matches_rate"),
    ("fact_amount", {"value_eur": 22.5e9}, "value_eur_matches_rate"),
    ("fact_amount", {"usd_per_unit": None, "value_usd": None}, "fx_missing_reason_recorded"),
    ("fact_amount", {"fx_source": None}, "fx_date_source_recorded"),
    ("fact_amount", {"qualifier": "roughly"}, "qualifier_in_set"),
    ("fact_amount", {"raw_end": RAW_BODY_START + 40, "raw_start": RAW_BODY_START + 40}, "raw_start_before_raw_end"),
    ("fact_amount", {"pub_month": 4}, "pub_period_matches_published_at"),
    ("fact_amount", {"doc_id": "d404"}, "doc_id_in_documents"),
    ("fact_amount", {"surface": None}, "surface_not_null"),
    ("fact_amount", {"value": None, "value_usd": None, "value_eur": None}, "value_or_range_present"),
    ("fact_figure", {"kind": "money"}, "kind_in_set"),
    ("fact_figure", {"surface": "12 %"}, "surface_matches_text"),
    ("fact_mention", {"resolved_from": "guess"}, "resolved_from_in_set"),
    ("fact_deal", {"event_type": "merger"}, "event_type_in_set"),
    ("fact_deal", {"status": "maybe"}, "status_in_set"),
    ("fact_deal", {"amount_id": "d1-a404"}, "amount_id_in_fact_amount"),
    ("dim_entity", {"kind": "animal"}, "kind_in_set"),
    ("fx_rate", {"currency": "MAD", "per_eur": 0.0}, "per_eur_positive_finite"),
    ("dim_currency", {"currency": "XXQ"}, "currency_iso4217"),
    ("documents", {"published_at": FETCHED + timedelta(hours=1)}, "published_at_not_after_fetched_at"),
    ("documents", {"lang": "sv"}, "lang_in_set"),  # a language we do not read
]


@pytest.fixture(scope="module")
def bad_outcome() -> tuple[list[tuple[str, dict, str]], ValidationOutcome]:
    """All BAD_ROWS appended to good tables, validated in one call (GX costs ~1 s a call).

    Each bad row gets its own id (and documents their own doc_id), so they cannot
    interfere: each must be rejected under its expectation, and nothing else may be.
    """
    rows = good_rows()
    cases = []
    for i, (table, overrides, expectation) in enumerate(BAD_ROWS):
        doc_id = f"d{100 + i}" if table == "documents" else "d1"
        bad = {**row(table, doc_id, n=100 + i), **overrides}
        if table == "dim_entity":
            bad["entity_id"] = f"e{100 + i}"
        rows[table].append(bad)
        cases.append((table, bad, expectation))
    return cases, run(tables_of(rows))


@pytest.mark.parametrize("case", range(len(BAD_ROWS)), ids=[e for _, _, e in BAD_ROWS])
def test_bad_row_is_quarantined_under_its_name(bad_outcome, case):
    cases, outcome = bad_outcome
    table, bad, expectation = cases[case]
    bad_id = row_id(table, bad)
    mine = [r for r in outcome.rejected if r["table_name"] == table and r["row_id"] == bad_id]
    assert expectation in {r["expectation"] for r in mine}, mine
    assert expectation in outcome.summary[table]["failed_expectations"]
    remaining = outcome.tables[table].to_pylist()
    assert bad not in remaining
    record = mine[0]
    assert json.loads(record["row_json"])[KEYS[table][-1]] == bad[KEYS[table][-1]]
    assert record["detail"] and record["doc_id"] == bad.get("doc_id")


def test_bad_rows_are_removed_and_good_rows_stay(bad_outcome):
    cases, outcome = bad_outcome
    assert not outcome.success
    expected = {(table, row_id(table, bad)) for table, bad, _ in cases}
    assert {(r["table_name"], r["row_id"]) for r in outcome.rejected} == expected
    for name, good in good_rows().items():
        assert outcome.tables[name].equals(arrow(name, good)), name
        s = outcome.summary[name]
        assert s["rows_out"] == len(good) == s["rows_in"] - s["rows_rejected"]


def test_duplicate_ids_reject_every_copy():
    rows = good_rows()
    rows["fact_amount"].append(dict(rows["fact_amount"][0]))
    rows["fx_rate"].append(row("fx_rate", per_eur=1.09))
    outcome = run(tables_of(rows))

    dup = [r for r in outcome.rejected if r["expectation"] == "amount_id_unique"]
    assert [r["row_id"] for r in dup] == ["d1-a0", "d1-a0"]
    assert outcome.tables["fact_amount"].column("amount_id").to_pylist() == ["d2-a0"]
    fx = [r["row_id"] for r in outcome.rejected if r["expectation"] == "rate_date_currency_unique"]
    assert fx == ["2025-03-12|USD", "2025-03-12|USD"]
    assert outcome.tables["fx_rate"].column("currency").to_pylist() == ["JPY"]


def test_null_key_is_rejected():
    rows = good_rows()
    rows["fact_figure"].append(row("fact_figure", n=9, figure_id=None))
    outcome = run(tables_of(rows))
    nulls = [r for r in outcome.rejected if r["expectation"] == "figure_id_not_null"]
    assert len(nulls) == 1 and nulls[0]["row_id"] is None and nulls[0]["doc_id"] == "d1"
    assert outcome.tables["fact_figure"].num_rows == 2


def test_failing_document_cascades_to_its_facts():
    rows = good_rows()
    rows["documents"][0]["published_at"] = FETCHED + timedelta(days=1)
    outcome = run(tables_of(rows))

    assert not outcome.success
    own = [r for r in outcome.rejected if r["table_name"] == "documents"]
    assert [(r["row_id"], r["expectation"]) for r in own] == [
        ("d1", "published_at_not_after_fetched_at")
    ]
    cascaded = [r for r in outcome.rejected if r["expectation"].startswith("cascade:")]
    assert {r["table_name"] for r in cascaded} == {
        "fact_amount", "fact_figure", "fact_mention", "fact_deal"
    }
    assert {r["expectation"] for r in cascaded} == {"cascade:published_at_not_after_fetched_at"}
    assert {r["doc_id"] for r in cascaded} == {"d1"}
    for name in ("documents", "fact_amount", "fact_figure", "fact_mention", "fact_deal"):
        assert outcome.tables[name].column("doc_id").to_pylist() == ["d2"], name
        assert outcome.summary[name]["rows_out"] == 1
    assert outcome.summary["fact_amount"]["rows_cascaded"] == 1
    assert outcome.tables["dim_entity"].num_rows == 2  # not a document table


def test_data_docs_are_built(tmp_path):
    docs = tmp_path / "gx_docs"
    outcome = run(tables_of(good_rows()), docs_dir=docs)
    assert outcome.success
    index = docs / "index.html"
    assert index.is_file()
    assert "newsfacts.fact_amount" in index.read_text(encoding="utf-8")


def test_empty_tables_validate():
    tables = {name: arrow(name, []) for name in DEFAULTS}
    tables["runs"] = arrow_empty = pa.Table.from_pylist([], schema=SCHEMAS["runs"])
    outcome = run(tables)
    assert outcome.success and outcome.rejected == []
    assert all(t.num_rows == 0 for t in outcome.tables.values())
    assert outcome.tables["runs"] is arrow_empty  # no suite: passed through untouched
    assert all(s["evaluated"] > 0 for s in outcome.summary.values())


def test_without_documents_the_cross_table_checks_are_left_out():
    rows = good_rows()
    rows["fact_amount"][0]["surface"] = "not in any body"
    outcome = run({"fact_amount": arrow("fact_amount", rows["fact_amount"])})
    assert outcome.success and set(outcome.summary) == {"fact_amount"}


def test_missing_column_is_an_error():
    table = arrow("fact_amount", good_rows()["fact_amount"]).drop_columns(["qualifier"])
    with pytest.raises(ValueError, match="qualifier"):
        run({"fact_amount": table})


def test_validation_prints_nothing(capfd, caplog):
    """No tqdm bars on stderr, no GX INFO chatter even when the app logs at INFO."""
    caplog.set_level(logging.INFO)
    run(tables_of(good_rows()))
    out, err = capfd.readouterr()
    assert out == "" and err == ""
    assert [r.getMessage() for r in caplog.records if r.name.startswith("great_expectations")] == []


def test_normalised_amounts_and_real_currency_tables_pass():
    """The contract with the normalise stage: what it writes (real rate book, pegs,
    baskets, missing rates, no currency) passes the FX rules, and the real fx_rate and
    dim_currency tables pass their suites with the real ISO code list."""
    from newsfacts.ecb import load_rate_book
    from transforms.money.currencies import CURRENCIES as ISO
    from transforms.money.normalise import dim_currency_table, normalise_amounts

    rows = good_rows()
    cases = [("USD", PUBLISHED), ("MAD", PUBLISHED), ("XOF", PUBLISHED), ("NGN", PUBLISHED),
             (None, PUBLISHED), ("EUR", datetime(2030, 1, 5, tzinfo=UTC)),
             ("JPY", datetime(1990, 1, 5, tzinfo=UTC))]
    for i, (code, published) in enumerate(cases):
        rows["fact_amount"].append(
            row("fact_amount", "d1", n=10 + i, currency=code, published_at=published,
                published_date=published.date(), pub_year=published.year,
                pub_month=published.month)
        )
    rows["fact_amount"][-3].update(value=None, value_min=1e6, value_max=2e6)  # a range
    tables = tables_of(rows)
    tables["fact_amount"], tables["fx_rate"] = normalise_amounts(
        tables["fact_amount"], load_rate_book()
    )
    tables["dim_currency"] = dim_currency_table()
    assert tables["fact_amount"].column("value_usd").null_count >= 3  # the cases bite

    outcome = validate_tables(tables, currencies=set(ISO))
    assert outcome.rejected == [] and outcome.success


def test_importing_the_package_does_not_import_gx():
    code = (
        "import sys, expectations, expectations.validate\n"
        "from expectations import " + ", ".join(SUITES) + "\n"
        "assert 'great_expectations' not in sys.modules, 'GX imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_rule_names_are_unique_and_stable():
    """Quarantine rows and dashboards key on these names: renaming one is a breaking change."""
    inputs = rules.SuiteInputs(currencies=frozenset(CURRENCIES), documents={}, amount_ids=frozenset())
    for module in SUITES.values():
        names = [r.name for r in module.rules_for(inputs)]
        assert len(names) == len(set(names)), module.TABLE
    assert {r.name for r in SUITES["documents"].rules_for(inputs)} >= {
        "doc_id_unique", "doc_id_not_null", "lang_in_set",
        "published_at_not_after_fetched_at", "pub_period_matches_published_at",
    }


def test_100k_amounts_validate_fast():
    n = 100_000
    docs = arrow("documents", [row("documents", f"d{i}") for i in range(1000)])
    one = arrow("fact_amount", [row("fact_amount")])
    amounts = one.take([0] * n)
    amounts = amounts.set_column(0, "amount_id", pa.array([f"a{i}" for i in range(n)]))
    amounts = amounts.set_column(1, "doc_id", pa.array([f"d{i % 1000}" for i in range(n)]))
    bad = amounts.column("value").to_pylist()
    bad[12345] = -1.0
    amounts = amounts.set_column(amounts.schema.get_field_index("value"), "value", pa.array(bad))

    started = time.perf_counter()
    outcome = run({"documents": docs, "fact_amount": amounts})
    elapsed = time.perf_counter() - started

    assert outcome.tables["fact_amount"].num_rows == n - 1
    assert {r["row_id"] for r in outcome.rejected} == {"a12345"}
    assert elapsed < 30, elapsed


def test_vocabularies_match_their_producers():
    """The suites keep their own copy of each closed vocabulary (so `import expectations`
    stays light); this catches the copies drifting from what the producers emit."""
    from expectations import dim_entity, fact_deal, fact_mention
    from transforms.contract import figure as figures
    from transforms.deals import vocabulary as deals
    from transforms.mentions import lexicon as entities
    from transforms.page import language

    assert set(fact_deal.EVENT_TYPES) == set(deals.EVENT_TYPES)
    assert set(fact_deal.STATUSES) == set(deals.STATUSES)
    assert set(dim_entity.ENTITY_KINDS) == set(entities.KINDS)
    assert set(fact_mention.RESOLVED_FROM) == set(entities.RESOLVED_FROM)
    assert {r.kwargs["value_set"] == sorted(figures.QUALIFIERS) for r in
            SUITES["fact_amount"].rules_for(rules.SuiteInputs(frozenset()))
            if r.name == "qualifier_in_set"} == {True}
    assert {r.kwargs["value_set"] == sorted(language.LANGS) for r in
            SUITES["documents"].rules_for(rules.SuiteInputs(frozenset()))
            if r.name == "lang_in_set"} == {True}
