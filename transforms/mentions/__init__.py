"""Stage 3, mentions: organisations, people, projects and funds named in a page.

Rules and curated lists (mentions/data/, and each language's mention_cues.txt under
transforms/languages/), no model: see `finder` for why.
"""
