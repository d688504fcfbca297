"""Entity: one organisation's money as actor and counterpart, its aliases, its pages."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from newsfacts.dashboard import charts, fmt
from newsfacts.dashboard.state import get_data

st.title("Entity")
data = get_data("entity")
choices = data.entity_choices()
if choices.empty:
    st.info("No organisation has been named yet.", icon=":material/domain_disabled:")
    st.stop()

labels = {eid: f"{n} ({k}, {p} pages)" for eid, n, k, p in
          zip(choices["entity_id"], choices["name"], choices["kind"], choices["pages"], strict=True)}
entity_id = st.selectbox("Organisation, person, project or fund", list(labels),
                         format_func=labels.get, key="entity")
e = data.entity(entity_id)
st.header(e["name"] or entity_id)
st.caption(f"{e['kind']} · aliases: {', '.join(e['aliases']) or '–'}")

totals = e["totals"]
c = st.columns(4)
c[0].metric("Committed as actor", fmt.money(totals["committed_usd"].sum() if len(totals) else 0))
c[1].metric("Received as counterpart", fmt.money(totals["received_usd"].sum() if len(totals) else 0))
c[2].metric("Deals", fmt.count(len(e["deals"])))
c[3].metric("Pages naming it", fmt.count(len(e["pages"])))

if len(totals) and totals["month"].notna().any():
    long = totals.dropna(subset=["month"]).melt(
        id_vars=["month"], value_vars=["committed_usd", "received_usd"], var_name="what",
        value_name="usd")
    long["what"] = long["what"].map({"committed_usd": "committed as actor",
                                     "received_usd": "received as counterpart"})
    long = pd.DataFrame({"month": long["month"], "event_type": long["what"], "usd": long["usd"]})
    st.altair_chart(charts.stacked_usd_by_month(
        long, "USD as actor and as counterpart by month", color_title=None), width="stretch")

st.subheader("Deals")
if e["deals"].empty:
    st.caption("No deal names it.")
else:
    st.dataframe(e["deals"], hide_index=True, column_config={
        "published_day": st.column_config.DateColumn("day"),
        "event_type": "type", "amount_surface": "amount as written",
        "value_usd": st.column_config.NumberColumn("USD", format="compact"),
        "url": st.column_config.LinkColumn("source", display_text="open")})

st.subheader("Pages that name it")
st.dataframe(e["pages"], hide_index=True, column_config={
    "published_day": st.column_config.DateColumn("day"),
    "url": st.column_config.LinkColumn("source", display_text="open")})
