"""Where the pages get their data: one cached `ExportsData` per export version."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from newsfacts.dashboard.data import ExportsData, exports_version

ENV_EXPORTS = "NEWSFACTS_DASHBOARD_EXPORTS"
EMPTY_MESSAGE = "No data yet: run `newsfacts run` (or `make run`), then reload this page."


def exports_dir() -> Path:
    """The folder given to `newsfacts dashboard --exports`, else the settings' exports."""
    env = os.environ.get(ENV_EXPORTS)
    if env:
        return Path(env)
    from newsfacts.settings import Settings

    return Settings().exports_dir


@st.cache_resource(max_entries=8, show_spinner="Loading the Parquet exports…")
def _load(folder: str, version: tuple, page: str) -> ExportsData:
    # `version` is part of the cache key: new export files mean a fresh connection.
    return ExportsData(folder, page)


def get_data(page: str) -> ExportsData:
    """`page`'s data for this rerun, or the empty state (and stop) when nothing is exported."""
    folder = exports_dir().resolve()
    version = exports_version(folder)
    data = _load(str(folder), version, page) if version else None
    if data is None or not data.has_data:
        st.info(EMPTY_MESSAGE, icon=":material/inbox:")
        st.caption(f"Reading Parquet exports from `{folder}`.")
        st.stop()
    return data
