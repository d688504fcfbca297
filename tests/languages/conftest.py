"""Languages tier: every language's examples (transforms/languages/*/examples/) and the
sample corpus's gold, run through the stages; and a new language folder end to end.
"""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark this tier's tests `languages` (the hook sees every item: keep only ours)."""
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.languages)
