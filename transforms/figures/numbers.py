"""Numbers written in digits or in words, language by language.

Why separate from the engine: reading "22,5", "1.234.567,89", "12,34,567.89",
"vingt-deux", "dos mil millones", "a quarter of a billion" or "dreiundzwanzig" is the
same small problem in every language once the words come from the lexicon; the engine
only needs (value, end) back.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from transforms.text.tries import norm_key

from .lexicon import Lang

_INDIAN = re.compile(r"\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?")
_SPACES = " \u00a0\u202f\u2009\u2007'’"


def digits_value(s: str, decimal: str) -> tuple[float, bool] | None:
    """Value of a digit string matched by lexicon.NUM, and whether it is an integer.

    A separator followed by exactly three digits is ambiguous ("1,234"): it groups
    thousands when the same separator appears again or the other one follows, and
    otherwise follows the language's decimal separator.
    """
    if s.isdigit():
        return float(s), True
    if _INDIAN.fullmatch(s):
        return float(s.replace(",", "")), "." not in s
    last = max(s.rfind("."), s.rfind(","))
    if last < 0:  # only blanks / apostrophes: grouping
        return float("".join(c for c in s if c.isdigit())), True
    c = s[last]
    tail = s[last + 1:]
    body = s[:last]
    seps = {ch for ch in body if not ch.isdigit()}
    if len(tail) == 3 and (c in seps or (not seps and c != decimal)):
        return float("".join(ch for ch in s if ch.isdigit())), True
    # c is the decimal separator
    if c in seps:
        return None  # "1.234.5": malformed
    intpart = "".join(ch for ch in body if ch.isdigit())
    return float(intpart + "." + tail), False


class Tok(NamedTuple):
    kind: str  # n number, h hundred, s scale, f fraction, c and, p point, o of
    value: float
    start: int
    end: int
    word: str


_NONE = Tok("", 0.0, 0, 0, "")


class WordsNum(NamedTuple):
    value: float
    end: int
    article_only: bool
    int_like: bool
    last_scale: float


def _segment(word: str, L: Lang) -> list[tuple[str, float, str]] | None:
    """Split a German-style compound ("zweihunderttausend") into number morphemes."""
    return _segment_cached(word, L.code)


@lru_cache(maxsize=4096)
def _segment_cached(word: str, code: str) -> list | None:
    from .lexicon import load

    words = load(code).words
    n = len(word)
    if n > 40:
        return None
    best: dict[int, list | None] = {n: []}
    for i in range(n - 1, -1, -1):
        best[i] = None
        for j in range(min(n, i + 14), i, -1):
            piece = word[i:j]
            e = words.get(piece)
            if e is not None and best.get(j) is not None:
                best[i] = [(e[0], e[1], piece), *best[j]]
                break
    return best[0]


class _Tokens:
    """Number-word tokens read lazily from `pos`: parsing stops at the first word that
    does not fit, so a page of "vingt vingt vingt ..." costs one token per anchor."""

    __slots__ = ("L", "done", "p", "text", "toks")

    def __init__(self, text: str, pos: int, L: Lang) -> None:
        self.text, self.L, self.p = text, L, pos
        self.toks: list[Tok] = []
        self.done = False

    def get(self, i: int) -> Tok | None:
        while len(self.toks) <= i and not self.done:
            self._read()
        return self.toks[i] if i < len(self.toks) else None

    def _read(self) -> None:
        text, L, R = self.text, self.L, self.L.re
        if len(self.toks) >= 24:
            self.done = True
            return
        q = self.p
        if self.toks:
            m = R["sep"].match(text, q)
            if not m:
                self.done = True
                return
            q = m.end()
        m = R["word"].match(text, q)
        if not m:
            self.done = True
            return
        w = m.group().lower()
        if L.compound:
            seg = _segment(w, L)
            if not seg:
                self.done = True
                return
            for kind, val, piece in seg:
                self.toks.append(Tok(kind, val, q, m.end(), piece))
        else:
            e = L.words.get(norm_key(w))
            if e is None:
                self.done = True
                return
            self.toks.append(Tok(e[0], e[1], q, m.end(), norm_key(w)))
        self.p = m.end()


def _n_fits(cur: float, v: float, code: str) -> bool:
    """May number word `v` directly follow the running value `cur` ("vingt deux")?"""
    if v < 1:
        return cur >= 1 and cur == int(cur)  # "zweieinhalb"
    if cur >= 10 and cur % 10 == 0 and v < 10:
        return True
    if code == "fr" and cur % 100 in (60, 80) and v < 20:
        return True
    return cur >= 100 and cur % 100 == 0 and v < 100


def _and_fits(cur: float, prev: str, v: float) -> bool:
    """May 'and' join `cur` and `v` inside one number ("vingt et un", "hundred and five")?"""
    if cur >= 20 and cur % 10 == 0 and cur % 100 != 0 and v < 10:
        return True
    if 0 < cur % 100 < 10 and v % 10 == 0 and 20 <= v <= 90:
        return True  # dreiundzwanzig, "ثلاثمائة وخمسة وعشرون" (units before tens)
    if prev == "s" and v % 100 == 0 and 100 <= v < 1000:
        return True  # "ألف وخمسمائة": a hundreds word after a scale
    return (prev in "hs" or (cur >= 100 and cur % 100 == 0)) and v < 100


def parse_words(text: str, pos: int, L: Lang) -> WordsNum | None:
    """Read a number written in words at `pos`; None if there is none."""
    toks = _Tokens(text, pos, L)
    if toks.get(0) is None:
        return None
    total = cur = 0.0
    max_scale = last_scale = 0.0
    prev = ""
    end = -1
    real = False  # saw a genuine number word (not just an article)
    int_like = True
    i = 0
    code = L.code
    get = toks.get
    while True:
        t = get(i)
        if t is None:
            break
        k, v, w = t.kind, t.value, t.word
        is_art = w in L.pure_articles
        if k == "n":
            if is_art and prev in ("f", "o") and (get(i + 1) or _NONE).kind == "s":
                i += 1  # "a quarter of a billion": the second article
                continue
            if prev == "":
                cur = v
            elif prev in ("s", "h"):
                if is_art or (prev == "h" and v >= 100):
                    break
                cur += v
            elif prev == "n":
                if is_art or not _n_fits(cur, v, code):
                    break
                cur += v
            elif prev == "c":
                cur += v
            else:
                break
            if v != int(v):
                int_like = False
            real = real or w not in L.articles
        elif k == "h":
            if prev in ("", "n") and cur < 10:
                cur = (cur or 1.0) * 100.0
            elif prev == "s":
                cur = 100.0
            else:
                break
            real = True
        elif k == "s":
            if prev == "" and v != 1e3 and w not in L.bare_one:
                return None  # "millions de ...": the vague reader's job
            if prev not in ("", "n", "h", "f", "s", "o"):
                break
            if prev == "s" and v <= last_scale:
                break
            base = total + cur
            if v > max_scale:
                # a lone dual ("مليونا دولار") is two of the scale
                total = (base or (2.0 if prev == "" and w in L.bare_two else 1.0)) * v
                max_scale = v
            else:
                total += (cur or 1.0) * v
            cur = 0.0
            last_scale = v
            real = True
        elif k == "f":
            if prev in ("", "n"):
                cur = (cur or 1.0) * v
                int_like = False
                real = True
            else:
                break
        elif k in ("c", "o", "p"):
            # only consumed when what follows makes sense; never ends a number
            nxt = get(i + 1)
            if nxt is None:
                break
            if k == "c":
                if nxt.kind == "n" and nxt.word not in L.pure_articles and _and_fits(cur, prev, nxt.value):
                    prev = "c"
                    i += 1
                    continue
                elif nxt.word in L.articles and (get(i + 2) or _NONE).word in L.halves:
                    # "and a half"
                    add = 0.5 * (last_scale if prev == "s" else 1.0)
                    if prev == "s":
                        total += add
                    else:
                        cur += add
                    int_like = False
                    end = get(i + 2).end
                    i += 3
                    prev = "s" if prev == "s" else "n"
                    continue
                elif nxt.word in L.halves and prev in ("s", "n"):
                    if prev == "s":
                        total += 0.5 * last_scale
                    else:
                        cur += 0.5
                    int_like = False
                    end = nxt.end
                    i += 2
                    after = get(i)
                    if prev == "s" and after is not None and after.kind == "s" \
                            and after.value == last_scale:
                        end = after.end  # "مليون ونصف مليون": the scale said again
                        i += 1
                    continue
                else:
                    break
                i += 1
                continue
            if k == "o":
                if prev == "f" and (nxt.kind == "s" or nxt.word in L.articles):
                    prev = "o"
                    i += 1
                    continue
                break
            # point: decimals written as digit words
            if prev not in ("n", "h") or total:
                break
            digits = ""
            j = i + 1
            while (tj := get(j)) is not None and tj.kind == "n" and tj.value < 10 \
                    and tj.word not in L.pure_articles:
                digits += str(int(tj.value))
                j += 1
            if not digits:
                break
            cur = float(f"{int(cur)}.{digits}")
            int_like = False
            end = get(j - 1).end
            prev = "n"
            i = j
            continue
        else:
            break
        prev = k
        end = t.end
        i += 1
    if end < 0:
        return None
    value = total + cur
    if not real and value == 1.0:
        return WordsNum(1.0, end, True, True, last_scale)
    return WordsNum(value, end, False, int_like and value == int(value), last_scale)
