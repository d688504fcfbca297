"""Page rules that name a party by its function or stand for it: function titles before a
person's name ("Chancellor Gerhard Schroeder") and sentence-opening subject pronouns
("Elle a mis la main sur ...") that carry the previous sentence's subject.

The words are data (languages/<lang>/words.toml: `function_titles`, `pronouns`), read once.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from transforms import languages
from transforms.mentions.context import role_and_word, sentence_spans
from transforms.mentions.lexicon import Lexicon
from transforms.mentions.records import Mention, seed_entry

_PRONOUNS = {k: frozenset(v) for k, v in languages.word_table("words.toml", "pronouns").items()}
_OPENING_WORD = re.compile(r"[\s«\"“]*([^\W\d_]+)\b")
# lang -> titles, longest first
_FUNCTION_TITLES = {
    k: tuple(sorted(v, key=len, reverse=True))
    for k, v in languages.word_table("words.toml", "function_titles").items()
}


def _pronoun_mentions(text: str, lex: Lexicon, mentions: list[Mention]) -> list[Mention]:
    """ "La plateforme a racheté Gimlet. Elle a mis la main sur The Ringer": a subject
    pronoun opening a sentence is the previous sentence's subject, when that subject is
    an organisation or a fund named (or described) at the start of its sentence."""
    words = _PRONOUNS.get(lex.lang)
    if not words or not mentions:
        return []
    spans = sentence_spans(text)
    starts = [m.start for m in mentions]
    out: list[Mention] = []
    for k in range(1, len(spans)):
        s0, s1 = spans[k]
        w = _OPENING_WORD.match(text, s0, s1)
        if w is None or w.group(1) not in words:
            continue
        p0, p1 = spans[k - 1]
        i = bisect_left(starts, p0)
        subj = None
        while i < len(mentions) and mentions[i].start < p1:
            m = mentions[i]
            if role_and_word(text, m.start, lex, p0)[0] == "core":
                subj = m
                break
            i += 1
        if subj is None or subj.kind not in ("org", "fund"):
            continue
        if len(text[p0 : subj.start].split()) > 2:
            continue  # the subject opens its sentence, not after a fronted phrase
        out.append(Mention(w.group(1), w.start(1), w.end(1), subj.kind, subj.canonical, "pronoun"))
    return out


def _titled_people(mentions: list[Mention], lang: str) -> None:
    """ "Chancellor Gerhard Schroeder" is the person Gerhard Schroeder: a capitalised
    function title before two or more capitalised words makes the run a person's name,
    and the title is no part of it (so the person never owns a company's deal)."""
    titles = _FUNCTION_TITLES.get(lang, ()) + (_FUNCTION_TITLES.get("en", ()) if lang != "en" else ())
    for m in mentions:
        if m.resolved_from != "name" or m.surface.count(" ") < 2 or seed_entry(m.kind, m.canonical):
            continue
        for t in titles:
            if m.surface.startswith(t + " "):
                rest = m.surface[len(t) + 1 :]
                if rest.count(" ") >= 1 and all(w[:1].isupper() for w in rest.split(" ")):
                    m.start += len(t) + 1
                    m.surface = m.canonical = rest
                    m.kind = "person"
                break
