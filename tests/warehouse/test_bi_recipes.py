"""The README's BI recipes run as written (DuckDB, pandas, polars, pyarrow) on real exports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsfacts.testing.synthetic import synthetic_batch
from warehouse.export import export_all
from warehouse.store import Warehouse

README = Path(__file__).resolve().parents[2] / "README.md"
EXPORTS_LINE = 'EXPORTS = "data/warehouse/exports"'


def recipes() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## BI recipes\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> tuple[Path, int]:
    root = tmp_path_factory.mktemp("bi")
    with Warehouse(root / "wh") as wh:
        wh.ensure_schema()
        wh.load_batch(synthetic_batch(25, hours_between_docs=500, n_entities=5))
        n = wh.con.execute("SELECT count(*) FROM v_deals").fetchall()[0][0]
        export_all(wh, root / "exports")
    return root / "exports", n


def test_readme_has_a_recipe_per_python_tool():
    imports = {re.search(r"^import (\w+)", r, flags=re.M).group(1) for r in recipes()}
    assert imports == {"duckdb", "pandas", "polars", "pyarrow"}


@pytest.mark.parametrize("recipe", recipes(), ids=lambda r: r.split()[1])
def test_recipe_reads_every_deal(recipe, exports):
    folder, n = exports
    assert EXPORTS_LINE in recipe
    ns: dict = {}
    exec(compile(recipe.replace(EXPORTS_LINE, f"EXPORTS = {str(folder)!r}"), "README", "exec"), ns)
    assert n > 0 and ns["rows"] == n
