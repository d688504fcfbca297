"""Stage 1, one page: decode the bytes, read the sidecar, resolve the site, clean the text,
find the publication time and the language.

Imports only `transforms.contract`; the later stages read its `Page` records.
"""
