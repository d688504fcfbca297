"""Stage 6, rows: the fact-table rows of a batch of pages, and quarantine rows.

`batch` runs the per-page stages over a batch; `facts` builds the Arrow rows;
`quarantine` turns rejections and failed expectations into `quarantine` rows.
"""
