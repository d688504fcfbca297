"""All of a language's data, one folder per language code (fr, en, es, pt, de).

Each folder holds the figure lexicon (`figures.toml`), its examples
(`examples/figures.jsonl`, which are tests), page-furniture lines (`furniture.txt`) and the
mention and deal cue words (`mention_cues.txt`). No code here: engines live in the stages.
"""
