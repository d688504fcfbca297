"""Data quality: runs, quarantine, validation results, exchange-rate coverage."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from newsfacts.dashboard import charts, fmt
from newsfacts.dashboard.data import validation_results
from newsfacts.dashboard.state import get_data

st.title("Data quality")
data = get_data("quality")
runs = data.runs()

st.header("Runs")
if runs.empty:
    st.info("No run recorded in the exports.")
else:
    last = runs.iloc[-1]
    c = st.columns(4)
    c[0].metric("Runs", fmt.count(len(runs)))
    c[1].metric("Pages loaded (all runs)", fmt.count(runs["pages_loaded"].sum()))
    c[2].metric("Pages quarantined (all runs)", fmt.count(runs["pages_quarantined"].fillna(0).sum()))
    c[3].metric("Last validation", "passed" if last["gx_success"] else "failed")
    st.altair_chart(charts.runs_chart(runs.fillna({"pages_quarantined": 0})), width="stretch")

st.header("Quarantine")
reasons = data.quarantine_reasons()
if reasons.empty:
    st.success("Nothing quarantined: every page and row passed.", icon=":material/check_circle:")
else:
    reasons["why"] = reasons["stage"] + ": " + reasons["reason"]
    st.altair_chart(charts.bars(reasons, "why", "n", "Quarantined pages and rows by reason",
                                "rows", category_title="stage: reason"), width="stretch")

st.header("Validation (Great Expectations)")
if not runs.empty:
    st.caption(f"Results of the last run ({last['run_id']}), one row per table's suite; "
               "the same numbers as the Data Docs, which need no internet here.")
    st.dataframe(pd.DataFrame(validation_results(last["gx_summary"])), hide_index=True,
                 column_config={"evaluated": "expectations", "failed": "failed",
                                "failed_expectations": "failed expectations (rows)",
                                "rows_in": "rows in", "rows_rejected": "rows set aside"})
failed = data.quarantine_expectations()
if not failed.empty:
    st.subheader("Rows set aside per table and expectation")
    st.dataframe(failed, hide_index=True)

st.header("Exchange rates")
cov = data.fx_coverage()
left, right = st.columns(2)
left.altair_chart(charts.bars(cov, "fx_source", "n", "Money amounts by FX source", "amounts",
                              category_title="FX source"), width="stretch")
missing = data.fx_missing()
with right:
    st.subheader("Amounts with no rate, and why")
    if missing.empty:
        st.success("Every amount has an exchange rate.", icon=":material/check_circle:")
    else:
        st.dataframe(missing, hide_index=True)
