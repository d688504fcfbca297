"""Page-furniture rules as data, one file per language plus `common.txt`.

Kept out of the engine (transforms/page/clean.py) so that adding a site's widget or a new
language is a data change reviewed on its own. See clean.py for the file format.
"""
