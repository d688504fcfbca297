"""Altair charts with a title and units on every axis (Vega ships with Streamlit: offline)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from newsfacts.dashboard.fmt import VEGA_SHORT

HEIGHT = 260


def _y(field: str, title: str, *, stack: bool = False) -> alt.Y:
    return alt.Y(field, title=title, stack="zero" if stack else None,
                 axis=alt.Axis(labelExpr=VEGA_SHORT, tickMinStep=1))


def lines_by_month(df: pd.DataFrame, title: str, unit: str) -> alt.Chart:
    """One line per `what` over `month`, y = `n` in `unit`."""
    return (
        alt.Chart(df, title=title, height=HEIGHT)
        .mark_line(point=True)
        .encode(
            x=alt.X("month:T", title="publication month", axis=alt.Axis(format="%b %Y")),
            y=_y("n:Q", unit),
            color=alt.Color("what:N", title=None),
            tooltip=[alt.Tooltip("month:T", format="%B %Y"), "what:N", alt.Tooltip("n:Q", format=",")],
        )
    )


def stacked_usd_by_month(df: pd.DataFrame, title: str,
                         color_title: str | None = "event type") -> alt.Chart:
    """Bars of USD per month, stacked by `event_type` (any category under that name)."""
    return (
        alt.Chart(df, title=title, height=HEIGHT)
        .mark_bar()
        .encode(
            x=alt.X("yearmonth(month):T", title="publication month", axis=alt.Axis(format="%b %Y")),
            y=_y("sum(usd):Q", "USD", stack=True),
            color=alt.Color("event_type:N", title=color_title),
            tooltip=[alt.Tooltip("month:T", format="%B %Y"), "event_type:N",
                     alt.Tooltip("usd:Q", format=",.0f", title="USD")],
        )
    )


def bars(df: pd.DataFrame, category: str, value: str, title: str, unit: str,
         *, category_title: str | None = None, limit: int = 15,
         label_limit: int = 160) -> alt.Chart:
    """Horizontal bars, largest first; `category_title` None when the title says it."""
    df = df.nlargest(limit, value) if len(df) > limit else df
    return (
        alt.Chart(df, title=title, height=alt.Step(22))
        .mark_bar()
        .encode(
            y=alt.Y(f"{category}:N", sort="-x", title=category_title,
                    axis=alt.Axis(labelLimit=label_limit)),
            x=alt.X(f"{value}:Q", title=unit,
                    axis=alt.Axis(labelExpr=VEGA_SHORT, tickMinStep=1)),
            tooltip=[f"{category}:N", alt.Tooltip(f"{value}:Q", format=",.0f", title=unit)],
        )
    )


def runs_chart(df: pd.DataFrame) -> alt.Chart:
    """Pages loaded and quarantined per run, over time."""
    df = df.assign(run=df["started"].dt.strftime("%Y-%m-%d %H:%M"))
    long = df.melt(id_vars=["run"], value_vars=["pages_loaded", "pages_quarantined"],
                   var_name="what", value_name="pages")
    long["what"] = long["what"].map({"pages_loaded": "loaded", "pages_quarantined": "quarantined"})
    return (
        alt.Chart(long, title="Pages loaded and quarantined per run", height=HEIGHT)
        .mark_bar(size=28)
        .encode(
            x=alt.X("run:O", title="run start (UTC)", axis=alt.Axis(labelAngle=0)),
            y=_y("pages:Q", "pages", stack=True),
            color=alt.Color("what:N", title=None,
                            scale=alt.Scale(domain=["loaded", "quarantined"],
                                            range=["#4c78a8", "#e45756"])),
            tooltip=["run:O", "what:N", "pages:Q"],
        )
    )
