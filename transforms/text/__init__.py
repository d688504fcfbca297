"""The shared text toolkit: regex alternations built as tries, whitespace classes, and the
reversed-window matcher that looks behind a position cheaply.

Used by the figure extractor today; the mention and deal finders still build their own
alternations (see their `lexicon` and `scanner` modules) and are meant to move here.
"""
