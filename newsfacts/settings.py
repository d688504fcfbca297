"""One settings object, read from environment variables and `newsfacts.toml`.

Precedence (highest first): explicit arguments (CLI flags), `NEWSFACTS_*` environment
variables, the `[newsfacts]` table of `newsfacts.toml` (path in `NEWSFACTS_CONFIG`, else
the current directory), then the defaults below. Paths are resolved against the project
root when relative, so `make run` works from any directory.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def config_file() -> Path | None:
    """`NEWSFACTS_CONFIG`, else ./newsfacts.toml, else the project's own newsfacts.toml."""
    if "NEWSFACTS_CONFIG" in os.environ:
        return Path(os.environ["NEWSFACTS_CONFIG"])
    for candidate in (Path.cwd() / "newsfacts.toml", PROJECT_ROOT / "newsfacts.toml"):
        if candidate.is_file():
            return candidate
    return None


class _TomlTable(PydanticBaseSettingsSource):
    """The `[newsfacts]` table of the config file (relative paths resolved beside it)."""

    def __call__(self) -> dict[str, Any]:
        path = config_file()
        if path is None:
            return {}
        with path.open("rb") as fh:
            data = dict(tomllib.load(fh).get("newsfacts", {}))
        for key in ("input_dir", "warehouse_dir"):
            if key in data and not Path(data[key]).is_absolute():
                data[key] = str(path.resolve().parent / data[key])
        return data

    def get_field_value(self, field, field_name):  # pragma: no cover - __call__ does the work
        return None, field_name, False


class Settings(BaseSettings):
    """Everything a run can be tuned by; defaults are the embedded, single-machine setup."""

    model_config = SettingsConfigDict(env_prefix="NEWSFACTS_", extra="ignore")

    input_dir: Path = Field(PROJECT_ROOT / "data" / "sample", description="landing folder")
    warehouse_dir: Path = Field(PROJECT_ROOT / "data" / "warehouse", description="DuckDB + exports")
    batch_size: int = Field(500, ge=1, description="pages per Prefect task call and per transaction")
    max_bytes: int = Field(5_000_000, ge=1_000, description="larger files are quarantined")
    settle_seconds: float = Field(
        0.0, ge=0, description="files modified more recently wait for the next run"
    )
    lock_timeout: float = Field(30.0, ge=0, description="seconds to wait for the DuckDB writer lock")
    furniture_min_pages: int = Field(3, ge=2, description="a line on this many pages of a site is furniture")
    furniture_min_share: float = Field(0.5, gt=0, le=1)
    site_tz: dict[str, str] = Field(default_factory=dict, description="site -> IANA time zone")
    site_country: dict[str, str] = Field(default_factory=dict, description="site -> ISO 3166 alpha-2")
    fx_carry_forward_days: int = Field(
        45, ge=0, description="days past the bundled ECB data that its last rates still serve "
        "(fx_source ecb_latest, fx_date the real rate day); 0 = null with a reason instead",
    )
    workers: int = Field(
        0, ge=0, description="Dask worker processes of the local cluster; 0 = one per core, "
        "1 = everything in the flow's own process (no Dask)",
    )
    dask_address: str | None = Field(
        None, description="scheduler of an existing Dask cluster (tcp://HOST:PORT); its "
        "workers must see the landing folder at the same path; overrides `workers`",
    )
    validate_with_gx: bool = True
    duckdb_memory_limit: str | None = Field(
        "auto", description="DuckDB's memory limit in the run, e.g. '1GB' (its block cache, "
        "indexes and queries); 'auto': 192 MB plus 1 KB per row of the tables with a "
        "primary key, fitted as the run writes (newsfacts.resources.duckdb_limit); None or '': DuckDB's default (80 % "
        "of RAM)",
    )
    validate_group_pages: int = Field(
        5000, ge=1, description="pages validated by Great Expectations in one pass (whole "
        "batches, so at least one batch): a pass costs about two seconds whatever its size, "
        "and the group's tables are held in memory until it is loaded",
    )
    data_docs: bool = True

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, _TomlTable(settings_cls)

    @property
    def n_workers(self) -> int:
        """Local worker processes: `workers`, or one per core when it is 0."""
        return self.workers or max(1, os.cpu_count() or 1)

    @property
    def duckdb_path(self) -> Path:
        return self.warehouse_dir / "newsfacts.duckdb"

    @property
    def exports_dir(self) -> Path:
        return self.warehouse_dir / "exports"

    @property
    def data_docs_dir(self) -> Path:
        return self.warehouse_dir / "data_docs"


def quiet_environment() -> None:
    """Telemetry off and progress bars quiet, before Prefect or GX is imported."""
    for key, value in {
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "GX_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": os.environ.get("PREFECT_LOGGING_LEVEL", "WARNING"),
        "TQDM_DISABLE": "1",
    }.items():
        os.environ.setdefault(key, value)
