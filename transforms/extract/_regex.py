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
    return " ".join(s.replace("’", "'").replace("\u00a0", " ").split()).lower()


def _piece(ch: str) -> str:
    if ch == " ":
        return WS + "{1,3}"
    if ch == "'":
        return APOS
    if ch == "-":
        return r"[-\u2010\u2011]"
    return re.escape(ch)


def trie(words) -> str:
    """A regex (no flags) matching any of `words`, longest alternative first.

    Spaces in a word match 1-3 blanks, apostrophes either quote; callers wrap the
    result in `(?i:...)` when case must not matter.
    """
    root: dict = {}
    for w in words:
        if not w:
            continue
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True
    if not root:
        return "(?!)"
    return _emit(root)


def _emit(node: dict) -> str:
    end = "" in node
    alts = [_piece(ch) + _emit(child) for ch, child in sorted(node.items()) if ch != ""]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    if end:
        # optional tail: group it so '?' applies to the whole tail
        body = "(?:" + body + ")?"
    return body


def split_trie(words, *, tail: str = "") -> str:
    """A trie regex that starts with a plain character class, case-insensitively.

    Why: when a pattern starts with a character class, `re` skips straight to the
    positions where that class matches (a C loop); a leading `(?i:...)` alternation is
    tried at every position instead. The class holds both cases of every first letter,
    a one-character look-behind checks the branch, so the scan runs several times
    faster on plain prose. `tail` is appended after each word (e.g. a boundary).
    """
    groups: dict[str, list[str]] = {}
    for w in words:
        if w:
            groups.setdefault(w[0].lower(), []).append(w[1:].lower())
    if not groups:
        return "(?!)"
    first = "".join(sorted({c for g in groups for c in (g, g.upper())}))
    branches = []
    for c, rests in sorted(groups.items()):
        cls = re.escape(c) if c == c.upper() else re.escape(c) + re.escape(c.upper())
        has_empty = any(r == "" for r in rests)
        body = trie([r for r in rests if r])
        if body == "(?!)":
            body = ""
        elif has_empty:
            body = "(?:" + body + ")?"
        branches.append(f"(?<=[{cls}])(?i:{body}){tail}")
    cls_all = "".join(re.escape(c) for c in first)
    return "[" + cls_all + r"](?<![^\W_].)(?:" + "|".join(branches) + ")"


class BackMatcher:
    """Find one of a set of phrases ending right before a position (plus blanks).

    Why reversed: to ask "does 'près de' end just before this number?" we reverse a
    short window and match reversed phrases at its start, one `match` call instead of
    a search over every start position.
    """

    def __init__(self, phrases: dict[str, object], *, max_len: int = 48) -> None:
        self.values = {norm_key(k): v for k, v in phrases.items()}
        rev = sorted({_rev_phrase(k) for k in self.values}, key=len, reverse=True)
        self.max_len = max_len
        self.re = re.compile(
            r"(?P<ws>" + WS0 + r")(?P<p>(?i:" + trie(rev) + r"))(?![^\W_])"
        ) if rev else None

    def match(self, text: str, end: int, limit: int = 0) -> tuple[int, object] | None:
        """(start, value) of the phrase ending before `end`, not starting before `limit`."""
        if self.re is None:
            return None
        lo = max(limit, end - self.max_len)
        window = text[lo:end][::-1]
        m = self.re.match(window)
        if not m:
            return None
        key = norm_key(m.group("p")[::-1])
        val = self.values.get(key)
        if val is None:
            return None
        return end - m.end(), val


def _rev_phrase(s: str) -> str:
    return s[::-1]
