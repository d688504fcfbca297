"""Regex building blocks shared by the lexicon compiler and the engine.

Why a trie: Python's `re` tries the branches of an alternation one by one, so a flat
`a|b|c` of 500 lexicon words costs 500 attempts per position. Folding the words into a
trie (`d(?:eux|ix)`) keeps each attempt to a few character tests, which is what lets the
extractor scan megabytes per second. Every repetition here is bounded ({0,3}) so no
pattern can backtrack catastrophically on adversarial input.
"""

from __future__ import annotations

import re

# Horizontal white space: figures never span a line break.
WS = r"[^\S\n]"
WS0 = WS + "{0,3}"
WS1 = WS + "{1,3}"
# "not followed / preceded by a letter or digit" (a word boundary that ignores '_').
END = r"(?![^\W_])"
START = r"(?<![^\W_])"
APOS = "['’]"


def norm_key(s: str) -> str:
    """The lookup form of a lexicon phrase or a matched surface: lower case, one space."""
    if s.isalpha():
        return s.lower()
    return " ".join(s.replace("’", "'").replace("\u00a0", " ").split()).lower()


def _piece(ch: str, ci: bool = False) -> str:
    if ch == " ":
        return WS + "{1,3}"
    if ch == "'":
        return APOS
    if ch == "-":
        return r"[-\u2010\u2011]"
    if ci:
        lo, up = ch.lower(), ch.upper()
        if lo != up and len(lo) == 1 and len(up) == 1:
            return "[" + re.escape(lo) + re.escape(up) + "]"
    return re.escape(ch)


def trie(words, tails: dict[str, str] | None = None, *, ci: bool = False) -> str:
    """A regex matching any of `words`, longest alternative first.

    Spaces in a word match 1-3 blanks, hyphens any hyphen, apostrophes either quote.
    `ci` makes letters match both cases with explicit classes ([dD]) rather than the
    IGNORECASE flag: `re` can skip a branch that starts with a class or a literal
    without entering it, but not one that starts with a case-folded literal, and that
    makes big tries several times faster. `tails` maps a word to a regex that must
    follow it (e.g. a look-ahead), default nothing.
    """
    tails = tails or {}
    root: dict = {}
    for w in words:
        if not w:
            continue
        node = root
        for ch in (w.lower() if ci else w):
            node = node.setdefault(ch, {})
        node[""] = tails.get(w, tails.get(w.lower(), ""))
    if not root:
        return "(?!)"
    return _emit(root, ci)


def _first_chars(ch: str, ci: bool) -> set[str]:
    """The characters _piece(ch, ci) matches (for a first-character class)."""
    if ch == " ":
        return set(" \t\r\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                   "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\x1c\x1d\x1e\x1f\x85")
    if ch == "'":
        return {"'", "’"}
    if ch == "-":
        return {"-", "\u2010", "\u2011"}
    if ci:
        lo, up = ch.lower(), ch.upper()
        if lo != up and len(lo) == 1 and len(up) == 1:
            return {lo, up}
    return {ch}


def _emit(node: dict, ci: bool) -> str:
    alts = [_piece(ch, ci) + _emit(child, ci) for ch, child in sorted(node.items()) if ch != ""]
    if len(alts) > 3:
        # One class test for the next character before the branches: a branch led by
        # a class costs a call each to reject, and most positions continue no word.
        first = sorted({c for ch in node if ch for c in _first_chars(ch, ci)})
        alts = ["(?=[" + "".join(re.escape(c) for c in first) + "])(?:" + "|".join(alts) + ")"]
    if "" in node:
        alts.append(node[""])
    if len(alts) == 1:
        return alts[0]
    if alts[-1] == "" and "" in node:
        body = alts[0] if len(alts) == 2 else "(?:" + "|".join(alts[:-1]) + ")"
        return "(?:" + body + ")?"
    return "(?:" + "|".join(alts) + ")"


class BackMatcher:
    """Find one of a set of phrases ending right before a position (plus blanks).

    Why reversed: to ask "does 'près de' end just before this number?" we match
    reversed phrases on the reversed page (computed once per page), one `match` call
    bounded by `pos`/`endpos` instead of a search over every start position, and no
    slice or copy per question.
    """

    def __init__(self, phrases: dict[str, object], *, max_len: int = 48) -> None:
        self.values = {norm_key(k): v for k, v in phrases.items()}
        rev = sorted({_rev_phrase(k) for k in self.values}, key=len, reverse=True)
        self.rev_phrases = rev  # for the combined pre-check (lexicon R["before"])
        self.max_len = max_len
        self.re = re.compile(
            r"(?P<ws>" + WS0 + r")(?P<p>" + trie(rev, ci=True) + r")(?![^\W_])"
        ) if rev else None
        # matched (reversed) surface -> value: the same few spellings recur on every page
        self._memo: dict[str, object] = {}

    def match(self, rev: str, end: int, limit: int = 0) -> tuple[int, object] | None:
        """(start, value) of the phrase ending before `end`, not starting before `limit`.

        `rev` is the page reversed (`text[::-1]`); positions are those of the page.
        """
        if self.re is None:
            return None
        n = len(rev)
        lo = end - self.max_len
        if lo < limit:
            lo = limit
        m = self.re.match(rev, n - end, n - lo)
        if m is None:
            return None
        val = self.value_of(m.group("p"))
        if val is None:
            return None
        return n - m.end(), val

    def value_of(self, p: str) -> object:
        """The value of a matched reversed phrase `p` (None if not in the table)."""
        memo = self._memo
        val = memo.get(p, memo)
        if val is memo:
            val = self.values.get(norm_key(p[::-1]))
            if len(memo) > 4096:
                memo.clear()
            memo[p] = val
        return val


def _rev_phrase(s: str) -> str:
    return s[::-1]
