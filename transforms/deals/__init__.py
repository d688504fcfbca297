"""Stage 4, deals: one event per money amount, with its type, status, actor and counterpart.

Builds on the mentions of stage 3; trigger words per language are data in
transforms/languages/<lang>/mention_cues.txt.
"""
