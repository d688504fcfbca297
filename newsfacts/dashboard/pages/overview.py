"""Overview: how much was read and reported, over time and by currency, site, language."""

from __future__ import annotations

import streamlit as st

from newsfacts.dashboard import charts, fmt
from newsfacts.dashboard.state import get_data

st.title("Overview")
data = get_data("overview")
t = data.totals()

c = st.columns(5)
c[0].metric("Pages", fmt.count(t["pages"]))
c[1].metric("Money amounts", fmt.count(t["amounts"]))
c[2].metric("Deal events", fmt.count(t["deals"]))
c[3].metric("USD committed", fmt.money(t["usd_committed"]),
            help="Sum of value_usd over deals that move money (revenue, profit, valuation, "
            "budget and the like are results, not flows, and are left out).")
c[4].metric("Amounts with an FX rate", fmt.percent(t["usd_share"]))

left, right = st.columns(2)
left.altair_chart(charts.lines_by_month(
    data.monthly_counts(), "Pages, amounts and deals per month", "count per month"),
    width="stretch")
right.altair_chart(charts.stacked_usd_by_month(
    data.usd_by_month_type(), "USD committed by month and event type"), width="stretch")

cols = st.columns(3)
for col, (field, label) in zip(cols, (("currency", "currency"), ("site", "site"),
                                      ("lang", "language")), strict=True):
    col.altair_chart(charts.bars(data.amounts_by(field), field, "n",
                                 f"Money amounts by {label}", "amounts", category_title=label),
                     width="stretch")

st.caption(f"Read from the Parquet exports at `{data.exports_dir}`. "
           "USD at the ECB rate (or peg, or basket) of the publication day.")
