"""Deals: a filterable table of deal events and a chart of the largest ones."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from newsfacts.dashboard import charts, fmt
from newsfacts.dashboard.data import DealFilters
from newsfacts.dashboard.state import get_data


def _name(v: object) -> str:
    return v if isinstance(v, str) and v else "?"


st.title("Deals")
data = get_data("deals")
choices = data.deal_choices()
first, last = choices["days"]

with st.sidebar:
    st.header("Filters")
    days = st.date_input("Publication days", value=(first, last) if first else (),
                         min_value=first, max_value=last, key="days")
    sites = st.multiselect("Site", choices["site"], key="sites")
    langs = st.multiselect("Language", choices["lang"], key="langs")
    types = st.multiselect("Event type", choices["event_type"], key="types")
    statuses = st.multiselect("Status", choices["status"], key="statuses")
    party = st.text_input("Actor or counterpart contains", key="party")
    min_usd = st.number_input("Minimum USD", min_value=0.0, value=0.0, step=1e6,
                              format="%.0f", key="min_usd")

start, end = (*days, None, None)[:2] if isinstance(days, tuple) else (days, None)
f = DealFilters(start=start, end=end, sites=sites, langs=langs, event_types=types,
                statuses=statuses, party=party, min_usd=min_usd or None)
s = data.deal_summary(f)

c = st.columns(3)
c[0].metric("Deals", fmt.count(s["n"]))
c[1].metric("Total USD", fmt.money(s["usd"]), help="Every matching deal with a USD value, "
            "results (revenue, valuation ...) included.")
c[2].metric("Deals with a USD value", fmt.count(s["n_usd"]))

table = data.deal_table(f)
if table.empty:
    st.info("No deal matches these filters.", icon=":material/filter_alt_off:")
    st.stop()

top = table.dropna(subset=["value_usd"]).head(15).copy()
if not top.empty:
    top["deal"] = [
        f"{_name(a)} → {_name(b)}, {t}, {pd.Timestamp(d):%Y-%m-%d}"
        for a, b, t, d in zip(top["actor"], top["counterpart"], top["event_type"],
                              top["published_day"], strict=True)
    ]
    st.altair_chart(charts.bars(top, "deal", "value_usd",
                                "Largest deals (USD): actor → counterpart, type, day", "USD",
                                category_title=None, label_limit=300), width="stretch")

st.subheader(f"Deals, largest first ({fmt.count(len(table))} shown)")
st.dataframe(
    table,
    hide_index=True,
    column_config={
        "published_day": st.column_config.DateColumn("day"),
        "lang": "language",
        "event_type": "type",
        "amount_surface": "amount as written",
        "value_usd": st.column_config.NumberColumn("USD", format="compact"),
        "url": st.column_config.LinkColumn("source", display_text="open"),
    },
)
