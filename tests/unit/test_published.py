"""Table-driven tests for transforms.page.published: finding and resolving publication times."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from transforms.page.published import find_date, parse_published, resolve_published

CASA = "Africa/Casablanca"
PARIS = "Europe/Paris"
FETCHED = datetime(2025, 11, 14, 9, 0, tzinfo=ZoneInfo(PARIS))  # 08:00 UTC


def at(tz: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(tz))


# (line, tz, expected local datetime or None, expected matched text)
RESOLVE_CASES = [
    # the seed: fetched 2025-11-14T09:00+01:00, walaw.press (Casablanca, UTC+1 in November)
    ("Hier 14:44", CASA, at(CASA, 2025, 11, 13, 14, 44), "Hier 14:44"),
    ("Aujourd'hui à 8h05", PARIS, at(PARIS, 2025, 11, 14, 8, 5), "Aujourd'hui à 8h05"),
    ("Aujourd’hui à 9h05", PARIS, None, "Aujourd’hui à 9h05"),  # after the fetch: rejected
    ("il y a 3 heures", PARIS, at(PARIS, 2025, 11, 14, 6, 0), "il y a 3 heures"),
    ("il y a deux jours", PARIS, at(PARIS, 2025, 11, 12, 9, 0), "il y a deux jours"),
    ("12 mars 2025", PARIS, at(PARIS, 2025, 3, 12), "12 mars 2025"),
    ("12 mars 2025 à 10h05", PARIS, at(PARIS, 2025, 3, 12, 10, 5), "12 mars 2025 à 10h05"),
    ("Publié le 1er mai 2025 à 10h", PARIS, at(PARIS, 2025, 5, 1, 10, 0), "1er mai 2025 à 10h"),
    ("Jeudi 13 novembre 2025, 14:44", PARIS, at(PARIS, 2025, 11, 13, 14, 44), "Jeudi 13 novembre 2025, 14:44"),
    ("March 12, 2025 10:05 AM", "America/New_York", at("America/New_York", 2025, 3, 12, 10, 5), "March 12, 2025 10:05 AM"),
    ("Mar. 12, 2025, 3:30 p.m.", "America/New_York", at("America/New_York", 2025, 3, 12, 15, 30), "Mar. 12, 2025, 3:30 p.m."),
    ("Yesterday 10:12", "Europe/London", at("Europe/London", 2025, 11, 13, 10, 12), "Yesterday 10:12"),
    ("Yesterday 9:40 PM", "Europe/London", at("Europe/London", 2025, 11, 13, 21, 40), "Yesterday 9:40 PM"),
    ("2 hours ago", "Europe/London", at("Europe/London", 2025, 11, 14, 6, 0), "2 hours ago"),
    ("12 de marzo de 2025", "Europe/Madrid", at("Europe/Madrid", 2025, 3, 12), "12 de marzo de 2025"),
    ("hace 5 minutos", "Europe/Madrid", at("Europe/Madrid", 2025, 11, 14, 8, 55), "hace 5 minutos"),
    ("Ayer a las 18:30", "Europe/Madrid", at("Europe/Madrid", 2025, 11, 13, 18, 30), "Ayer a las 18:30"),
    ("12 de março de 2025 às 10h05", "America/Sao_Paulo", at("America/Sao_Paulo", 2025, 3, 12, 10, 5), "12 de março de 2025 às 10h05"),
    ("há 2 horas", "America/Sao_Paulo", at("America/Sao_Paulo", 2025, 11, 14, 3, 0), "há 2 horas"),
    ("12. März 2025", "Europe/Berlin", at("Europe/Berlin", 2025, 3, 12), "12. März 2025"),
    ("12. März 2025, 10:05 Uhr", "Europe/Berlin", at("Europe/Berlin", 2025, 3, 12, 10, 5), "12. März 2025, 10:05 Uhr"),
    ("Gestern, 17:20 Uhr", "Europe/Berlin", at("Europe/Berlin", 2025, 11, 13, 17, 20), "Gestern, 17:20 Uhr"),
    ("vor 3 Stunden", "Europe/Berlin", at("Europe/Berlin", 2025, 11, 14, 6, 0), "vor 3 Stunden"),
    ("2025-03-12", PARIS, at(PARIS, 2025, 3, 12), "2025-03-12"),
    ("2025-03-12T10:05:00Z", PARIS, at(PARIS, 2025, 3, 12, 11, 5), "2025-03-12T10:05:00Z"),
    ("12/03/2025", PARIS, at(PARIS, 2025, 3, 12), "12/03/2025"),
    ("12.03.2025 - 10:05", "Europe/Berlin", at("Europe/Berlin", 2025, 3, 12, 10, 5), "12.03.2025 - 10:05"),
    ("25/03/2025", PARIS, at(PARIS, 2025, 3, 25), "25/03/2025"),
    # Ramadan 2025: Morocco on UTC+0
    ("12 mars 2025 à 10h05", CASA, datetime.fromisoformat("2025-03-12T10:05:00+00:00"), "12 mars 2025 à 10h05"),
    # a year-less date is this year unless that is still ahead, then last year
    ("13 novembre", PARIS, at(PARIS, 2025, 11, 13), "13 novembre"),
    ("20 décembre", PARIS, at(PARIS, 2024, 12, 20), "20 décembre"),
    # invalid or future dates
    ("31/02/2025", PARIS, None, "31/02/2025"),
    ("15 décembre 2025", PARIS, None, "15 décembre 2025"),
    ("2026-01-01", PARIS, None, "2026-01-01"),
]


@pytest.mark.parametrize(("line", "tz", "expected", "matched"), RESOLVE_CASES)
def test_find_and_resolve(line: str, tz: str, expected: datetime | None, matched: str) -> None:
    m = find_date(line)
    assert m is not None and m.text == matched
    got = resolve_published(m.text, FETCHED, tz)
    assert got == expected
    if got is not None:
        assert got.tzinfo is not None and got.utcoffset() == expected.utcoffset()
        assert str(got.tzinfo) == tz
        assert got <= FETCHED


@pytest.mark.parametrize(
    "line",
    [
        "SoftBank prépare un investissement colossal de 22,5 milliards de dollars dans OpenAI",
        "Le chiffre d'affaires atteint 5 milliards de dirhams",
        "Hausse de 3,5 % en 2025",
        "+212 5 22 39 71 40",
        "Advertising",
        "",
        "le 3 mar",  # "mar" without a year or time is not read as March
        "il y a 3 ans, le groupe comptait 5 000 salariés",  # years ago: not a publication time
    ],
)
def test_no_date_found(line: str) -> None:
    assert find_date(line) is None


def test_time_needs_a_marker_so_counts_are_not_hours() -> None:
    m = find_date("12 mars 2025 5 salariés")
    assert m is not None and m.text == "12 mars 2025"


def test_earliest_date_wins_and_weekday_is_included() -> None:
    m = find_date("Publié le jeudi 13 novembre 2025 à 14h44, mis à jour le 14 novembre")
    assert m is not None and m.text == "jeudi 13 novembre 2025 à 14h44"


@pytest.mark.parametrize(
    ("day_first", "expected"),
    [(True, at(PARIS, 2025, 3, 4)), (False, at(PARIS, 2025, 4, 3))],
)
def test_numeric_day_first_except_en_us(day_first: bool, expected: datetime) -> None:
    assert resolve_published("04/03/2025", FETCHED, PARIS, day_first=day_first) == expected


def test_impossible_month_swaps_order() -> None:
    # 03/25/2025 can only be March 25, whatever the site's convention
    assert resolve_published("03/25/2025", FETCHED, PARIS, day_first=True) == at(PARIS, 2025, 3, 25)


def test_relative_needs_a_trusted_fetch_time() -> None:
    assert resolve_published("Hier 14:44", FETCHED, CASA, relative_ok=False) is None
    assert resolve_published("il y a 3 heures", FETCHED, CASA, relative_ok=False) is None
    assert resolve_published("12 mars 2025", FETCHED, PARIS, relative_ok=False) == at(PARIS, 2025, 3, 12)


def test_fetch_late_at_night_utc_is_next_day_locally() -> None:
    # 23:40 UTC on 13 Nov is 00:40 on 14 Nov in Casablanca: "Hier" is 13 Nov
    fetched = datetime.fromisoformat("2025-11-13T23:40:00+00:00")
    assert resolve_published("Hier 22:10", fetched, CASA) == at(CASA, 2025, 11, 13, 22, 10)


def test_parse_published_returns_text_and_datetime() -> None:
    got = parse_published("Par Jean Dupont | 12 mars 2025", FETCHED, PARIS)
    assert got == (at(PARIS, 2025, 3, 12), "12 mars 2025")
    assert parse_published("Aucune date ici", FETCHED, PARIS) is None


def test_dateparser_fallback_for_unusual_forms() -> None:
    # "2025/03/12" is not one of the fast shapes; dateparser reads it
    assert find_date("2025/03/12") is None
    assert resolve_published("2025/03/12", FETCHED, PARIS) == at(PARIS, 2025, 3, 12)
    assert resolve_published("2025/03/12", FETCHED, PARIS, use_dateparser=False) is None


@pytest.mark.parametrize("bad", [None, "", "   ", "n'importe quoi", "99:99", "\x00\x01"])
def test_resolve_never_raises(bad: str | None) -> None:
    assert resolve_published(bad, FETCHED, PARIS) is None


def test_unknown_time_zone_falls_back_to_utc() -> None:
    got = resolve_published("12 mars 2025", FETCHED, "Mars/Olympus_Mons")
    assert got is not None and got.utcoffset() == timedelta(0)


def test_fast_path_is_fast() -> None:
    lines = [
        "SoftBank prépare un investissement colossal de 22,5 milliards de dollars",
        "Hier 14:44",
        "Publié le 12 mars 2025 à 10h05",
        "Partager sur Facebook",
    ] * 2500
    start = time.perf_counter()
    for line in lines:
        find_date(line)
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0, f"{len(lines)} lines took {elapsed:.2f}s"
