"""The dashboard over the Parquet exports (`newsfacts dashboard`, Streamlit).

`data` is the only module that touches files: it loads the exports into an in-memory
DuckDB that can then neither read nor write any file. `fmt` formats numbers for people,
`charts` builds titled Altair charts, `pages/` holds one script per page and `app` is
the entry point that Streamlit runs.
"""
