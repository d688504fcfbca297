"""Great Expectations suites, one module per table, and the validate stage over them.

`validate_tables` (in `expectations.validate`) runs every suite on a batch of Arrow
tables and returns the tables without their failing rows plus quarantine records.

Importing this package must stay cheap: `great_expectations` takes seconds to import and
phones home unless told not to, so it is imported only inside the functions that run a
validation (see `expectations.rules.load_gx`). The names below are resolved lazily for
the same reason.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ValidationOutcome", "validate_tables"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from expectations import validate

        return getattr(validate, name)
    raise AttributeError(f"module 'expectations' has no attribute {name!r}")
