"""The language-independent figure engine.

How it works, and why:
1. Anchors. Two compiled scans find where a figure can start: digits that are followed
   by something figure-like (a currency, scale, unit, percent, counted noun) or preceded
   by a currency symbol/code, and number words. Everything else (years, times, phone
   numbers, "Covid-19") is rejected inside the regex engine, in C, so prose costs
   almost nothing and adversarial input (long digit runs, "1.1.1.1", "$$$$") cannot
   make us do Python work per character.
2. Atoms. Around each anchor we read, with small anchored regexes, an optional prefix
   currency, the number (digits or words), scale words ("milliards", "Md", "bn"), then
   a currency, sub-unit, percent sign, unit or counted noun.
3. Combination. Ranges ("entre 2 et 3 milliards d'euros", "$2-3 billion"), sub-units
   ("20 dollars 43 cents"), qualifiers and bounds before the figure ("environ",
   "plus de", "up to"), elliptical amounts that inherit the previous currency
   ("..., contre 4 milliards"), vague amounts ("plusieurs dizaines de gigawatts").
Figures never overlap and come out sorted by start.
"""

from __future__ import annotations

import re
from dataclasses import fields
from functools import lru_cache

from transforms.contract.figure import Figure
from transforms.text.tries import norm_key as _norm_key

from . import context as _ctx
from .lexicon import NUM_RE, Lang, shared
from .numbers import digits_value, parse_words

# finish() builds Figures positionally (one call, no keyword matching): keep in step.
_FIGURE_FIELDS = ("kind", "surface", "start", "end", "value", "min", "max", "currency", "unit",
                  "qualifier", "si_value", "si_min", "si_max", "si_unit", "counted_noun")
if tuple(f.name for f in fields(Figure))[:len(_FIGURE_FIELDS)] != _FIGURE_FIELDS:
    raise ImportError("transforms.contract.figure.Figure changed its field order; update finish()")
# Lexicon lookups key on the normalised surface; the same few surfaces ("millions",
# "dollars", "de") recur on every page, so normalising each once is a dict hit after.
norm_key = lru_cache(maxsize=16384)(_norm_key)
# digit string -> digits_value(), per decimal separator: "2,5", "100", "1 000" recur.
_DIGITS_MEMO: dict[str, dict[str, tuple[float | None, bool]]] = {}
_MEMO_MAX = 65536

_UNSET = object()
_SENTENCE_BREAK = re.compile(r"[.!?…](?:\s|$)|\n")
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_INHERIT_SPAN = 220
_AMBIGUOUS = re.compile(r"\d{1,3}[.,]\d{3}")  # "1,500": a group or a decimal part
_OTHER_STYLE = {",": re.compile(r"\d,\d{3}\.\d{1,2}(?![\d.,])"),
                ".": re.compile(r"\d\.\d{3},\d{1,2}(?![\d.,])")}
_WORD = re.compile(r"[^\W\d_]{1,40}")
_REV_WORD = re.compile(r"[^\S\n]{1,3}[^\W\d_]{1,40}(?![^\W_])")  # blanks and a word, on the reversed page


class Atom:
    """One number with whatever was read around it.

    A plain class whose class attributes are the defaults: building one stores the
    seven fields every atom has, not seventeen (one atom per candidate figure, so its
    construction is on the hot path).
    """

    scale = 1.0
    has_scale = False  # a scale word (or abbreviation kept next to a currency)
    kind: str | None = None  # money / percent / quantity / count; None = bare
    currency: str | None = None
    unit: tuple | None = None
    pct: str | None = None
    noun: str | None = None
    qualifier = "exact"
    vmin: float | None = None

    def __init__(self, start: int, end: int, num: float, int_like: bool = True) -> None:
        self.start = start
        self.end = end
        self.num = num
        self.value = num
        self.int_like = int_like


def country_for_site(site: str | None) -> str | None:
    """ISO country of a site (a host or a URL), from the one site registry
    (`transforms.page.sites`: known sites, then the country-code TLD)."""
    from transforms.page.sites import site_country

    return site_country(site)


class Extraction:
    """State for one call of extract(): the text, its language and its context."""

    def __init__(self, text: str, L: Lang, country: str | None) -> None:
        self.text = text
        self.L = L
        self.R = L.re
        self.B = L.back
        self.country = country.upper() if country else None
        self.sh = shared()
        self._cfa: str | None = None
        # page flags, computed at first need: may a point-decimal word / a context
        # qualifier / an estimate cue occur anywhere in the page? (substring tests)
        self._has_point: bool | None = None
        self._has_ctx: bool | None = None
        self._has_estimate: bool | None = None
        self._seen: dict[str, bool] = {}  # substring -> found in self.low
        low = text.lower()
        if len(low) != len(text):  # a few letters (İ) lower to two code points
            low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        self.low = low  # same offsets as text; for the word scan and substring tests
        # The page reversed, for the look-behind matchers (phrases ending before a
        # figure are matched as reversed phrases starting there): one copy per page
        # instead of a reversed slice per question.
        self.rev = text[::-1]
        # A page may write its numbers the other way round ("$12,350.50" in a Mexican
        # story, "1.234,50" in English copy from Europe): one unambiguous number of
        # that style (a group and then the other separator) decides, for the page, what
        # an ambiguous "1,500" means. Looked for only once such a number turns up.
        self.decimal = L.decimal
        self._style_checked = False
        self._digits = _DIGITS_MEMO.setdefault(L.decimal, {})
        self._change_first: Atom | None = None  # "de 1,5 à 2,5 milliards" after a change verb
        self._pending: Figure | None = None  # its figure, to go before the current one

    # ---------------------------------------------------------------- currency
    def resolve(self, tok: str | None) -> str | None:
        """ISO code for a lexicon value: a code, or '@family' resolved in context."""
        if not tok:
            return None
        if tok[0] != "@":
            return tok
        fam = self.sh.families.get(tok[1:])
        if fam is None:
            return None
        if self.country and self.country in fam["by_country"]:
            return fam["by_country"][self.country]
        if tok == "@cfa" and not self.country:
            return self._cfa_from_text()
        return fam["default"] or None

    def _page_has(self, flag: str, pieces: tuple[str, ...] | None,
                  gate: tuple[str, ...] | None = None) -> bool:
        """Set and return a page flag: does any of `pieces` occur in the page?

        `gate`: shorter substrings of the pieces, tested first (a page without any of
        them has none of the pieces). Each substring is searched once per page.
        """
        if pieces is None:
            found = True
        else:
            seen, low = self._seen, self.low
            found = False
            for ps in (gate, pieces) if gate is not None else (pieces,):
                found = False
                for p in ps:
                    hit = seen.get(p)
                    if hit is None:
                        hit = seen[p] = p in low
                    if hit:
                        found = True
                        break
                if not found:
                    break
        setattr(self, flag, found)
        return found

    def _cfa_from_text(self) -> str:
        if self._cfa is None:
            # XAF when the page names Central Africa more than West Africa (and holds
            # one of the names as written, lower-cased: the first, cheaper test of
            # old, now asked only once the count is known to matter)
            c = len(self.sh.central_re.findall(self.text))
            if c and any(w in self.low for w in self.sh.central_low):
                w = len(self.sh.west_re.findall(self.text))
                self._cfa = "XAF" if c > w else "XOF"
            else:
                self._cfa = "XOF"
        return self._cfa

    def cur_at(self, pos: int) -> tuple[str, int] | None:
        """(lexicon value, end) of a currency token starting at `pos` (after blanks)."""
        m = self.R["cur"].match(self.text, pos)
        if not m:
            return None
        g = m.lastgroup
        val = self._cur_val(g, m.group(g))
        if val is None:
            return None
        return val, m.end()

    def _cur_val(self, g: str, s: str) -> str | None:
        """Lexicon value of currency token `s` matched by group `g` of R["cur"]."""
        if g == "s" or g == "t":
            return self.L.cur_syms.get(s)
        if g == "n":
            return self.L.cur_names.get(norm_key(s))
        if g == "c":
            return s if s in self.sh.codes else None
        return s.upper()

    def prefix_before(self, pos: int, limit: int) -> tuple[int, str] | None:
        """A currency written right before the number at `pos` ("US$ 3", "RM42")."""
        text = self.text
        j = pos - 1
        if j > 0 and text[j] in " \u00a0\u202f":
            j -= 1
        if j < limit:
            return None
        c = text[j]
        if c.islower() and text[j - 1:j + 1] not in self.L.re["prefix_two"]:
            return None  # quick no: "les 20", "est 5" (most numbers after a word)
        lo = max(limit, pos - 24)
        n = len(text)
        m = self.R["prefix_rev"].match(self.rev, n - pos, n - lo)
        if not m:
            return None
        g = m.lastgroup
        s = m.group(g)[::-1]
        if g in ("s", "t"):
            val = self.L.cur_syms.get(s)
        elif g == "c":
            val = s if s in self.sh.codes and s not in self.sh.never_prefix else None
        else:
            val = self.L.cur_names.get(norm_key(s))
        if val is None:
            return None
        return n - m.end(), val

    def prefix_at(self, pos: int) -> tuple[str, int] | None:
        """A prefix currency at `pos` directly followed by digits ("$20" in "$10-$20")."""
        c = self.cur_at(pos)
        if not c:
            return None
        val, end = c
        tok = self.text[pos:end].strip()
        if not (tok in self.L.cur_syms or (tok.isupper() and len(tok) == 3)):
            return None
        q = end
        while q < len(self.text) and q - end < 2 and self.text[q] in " \u00a0\u202f":
            q += 1
        if q < len(self.text) and self.text[q].isdigit():
            return val, q
        return None

    # ---------------------------------------------------------------- atoms
    def number_at(self, pos: int):
        """(value, end, int_like, word_scale) of the number at `pos`, or None.

        word_scale is 0.0 for digits, -1.0 for words without a scale word, else the
        last scale word read ("deux milliards" -> 1e9).
        """
        text = self.text
        if pos < len(text) and text[pos].isdigit():
            m = NUM_RE.match(text, pos)
            if m is None:
                return None
            value, int_like = self._digits.get(m.group()) or self._read_digits(m.group())
            if value is None:
                return None
            end = m.end()
            if int_like and self._has_point is not False and (
                    self._has_point or self._page_has("_has_point", self.L.point_pieces)):
                pm = self.R["point"].match(text, end)
                if pm:
                    value = float(f"{int(value)}.{pm.group('d')}")
                    int_like = False
                    end = pm.end()
            return value, end, int_like, 0.0
        w = parse_words(text, pos, self.L)
        if w is None:
            return None
        return w.value, w.end, w.int_like, w.last_scale or -1.0

    def _read_digits(self, s: str) -> tuple[float | None, bool]:
        """digits_value(s) as (value, int_like), (None, False) when malformed; memoised."""
        if len(s) <= 7 and _AMBIGUOUS.fullmatch(s):
            if not self._style_checked:
                self._style_checked = True
                other = _OTHER_STYLE.get(self.L.decimal)
                if other is not None and other.search(self.text):
                    self.decimal = "." if self.L.decimal == "," else ","
            # not memoised: its value depends on the page
            return digits_value(s, self.decimal) or (None, False)
        memo = self._digits
        if len(memo) >= _MEMO_MAX:
            memo.clear()
        memo[s] = dv = digits_value(s, self.L.decimal) or (None, False)
        return dv

    def parse_atom(self, pos: int, prefix: tuple[int, str] | None = None,
                   *, allow_sub: bool = True, look_end: int = -1) -> Atom | None:
        """Read one number and what surrounds it, starting at `pos` (after any prefix).

        `look_end` is where the digit anchor scan already checked that something
        figure-like follows (R["look"]); the check is not repeated there. The common
        shapes are read with the fused readers (lexicon._compile_tails: one `match`
        for what _parse_atom_seq tries one by one); anything else goes to
        _parse_atom_seq, which starts over, so both give the same atom.
        """
        text, R = self.text, self.R
        n = self.number_at(pos)
        if n is None:
            return None
        num, p, int_like, wscale = n
        if wscale > 0:  # "deux milliards": words that carried their own scale
            return self._parse_atom_seq(pos, prefix, allow_sub=allow_sub, look_end=look_end)
        a = Atom(prefix[0] if prefix else pos, p, num, int_like)
        L = self.L
        seq = self._parse_atom_seq
        if not prefix:
            if p != look_end and not R["look"].match(text, p):
                return a  # nothing figure-like follows: a bare number (the common case)
            m = R["t_num"].match(text, p)
            if m is None:
                return a
            g = m.lastgroup
            if g == "Sw":
                w = m.group(g)
            elif g[0] == "T":  # "22,5 Md$", "1 Mio. Euro": a currency after an abbreviation
                val = self._cur_val(g[1], m.group(g))
                if val is None:
                    return seq(pos, prefix, allow_sub=allow_sub, look_end=look_end)
                self._scaled(a, L.scale_abbr[m.group("Sa")], 0.0, m.end(g))
                return self._money(a, val, allow_sub)
            elif g == "X":  # two scales after the number, the first abbreviated
                return seq(pos, prefix, allow_sub=allow_sub, look_end=look_end)
            else:
                return self._bare_tail(a, m, pos, allow_sub, look_end)
        else:
            m = R["scale"].match(text, p)
            if m is None:
                if prefix[1] == "@dollar" and self.cur_at(p) is not None:
                    # "$1,500 pesos": the word says which (rare: the sequential reader)
                    return seq(pos, prefix, allow_sub=allow_sub, look_end=look_end)
                return self._money(a, prefix[1], allow_sub)
            if m.lastgroup == "a":  # "£23m", "$5bn", "US$ 3 Mrd. Dollar"
                sv = L.scale_abbr[m.group("a")]
                q = m.end()
                m = R["t_word"].match(text, q)
                k = m.lastgroup[0] if m else ""
                val = None
                if k == "C":
                    val = self._cur_val(m.lastgroup[1], m.group(m.lastgroup))
                    if val is None:
                        return seq(pos, prefix, allow_sub=allow_sub, look_end=look_end)
                    q = m.end()
                elif k in ("S", "H", "K"):
                    return seq(pos, prefix, allow_sub=allow_sub, look_end=look_end)
                self._scaled(a, sv, 0.0, q)
                return self._money(a, val if val and prefix[1] == "@dollar" else prefix[1] or val,
                                   allow_sub)
            w = m.group("w")
        # after a scale word: more scale words (increasing), "and a half", then what
        # the scaled number counts
        scale = last = L.scale_words[norm_key(w)]
        q = m.end()
        half = 0.0
        t_word = R["t_word"]
        while True:
            m = t_word.match(text, q)
            if m is None:
                break
            g = m.lastgroup
            if g[0] == "S":
                sv = L.scale_words[norm_key(m.group(g))] if g == "Sw" and not half else 0.0
                if sv <= last:  # an abbreviation, out of order, or after "and a half"
                    return seq(pos, prefix, allow_sub=allow_sub, look_end=look_end)
                scale *= sv
                last = sv
                q = m.end()
            elif g == "H":
                if half:  # the sequential reader looks for "and a half" once
                    return seq(pos, prefix, allow_sub=allow_sub, look_end=look_end)
                half = 0.5 * last
                q = m.end()
            else:
                break
        self._scaled(a, scale, half, q)
        k = g[0] if m is not None else ""
        if k == "K" or k == "C":
            val = self._cur_val(g[1], m.group(g))
            if val is None:
                return seq(pos, prefix, allow_sub=allow_sub, look_end=look_end)
            a.end = m.end()
            if prefix and prefix[1] != "@dollar":
                val = prefix[1]  # "$500 millones de pesos": after "$" the word says which
            return self._money(a, val, allow_sub)
        if prefix:  # nothing else counts after a prefix currency
            return self._money(a, prefix[1], allow_sub)
        if m is None:
            return self._scaled_sub(a, q) or a
        return self._typed(a, m, g)

    @staticmethod
    def _scaled(a: Atom, scale: float, half: float, end: int) -> None:
        a.scale = scale
        a.has_scale = True
        a.value = a.num * scale + half
        a.end = end
        a.int_like = False

    def _bare_tail(self, a: Atom, m: re.Match, pos: int, allow_sub: bool,
                   look_end: int) -> Atom | None:
        """What follows a number without a scale (no prefix currency), matched by
        R["t_num"]: a currency, a sub-unit, a percent, a unit or a counted noun."""
        g = m.lastgroup
        k = g[0]
        if k == "C":
            val = self._cur_val(g[1], m.group(g))
            if val is None:
                return self._parse_atom_seq(pos, None, allow_sub=allow_sub, look_end=look_end)
            a.end = cur_end = m.end()
            m = self.R["scale"].match(self.text, cur_end)
            if m and m.group("w"):  # "75 USD million"
                sv = self.L.scale_words[norm_key(m.group("w"))]
                a.scale, a.has_scale, a.value = sv, True, a.num * sv
                a.end = m.end()
                a.int_like = False
            return self._money(a, val, allow_sub)
        if k == "B":  # a sub-unit alone: "50 cents", "10¢"
            s = m.group(g)
            fam = self.L.subunits.get(norm_key(s)) if g == "Bn" else self.L.sub_syms.get(s)
            a.kind = "money"
            a.currency = self.resolve(fam)
            a.value = round(a.num / 100.0, 10)
            a.end = m.end()
            return a
        return self._typed(a, m, g)

    def _money(self, a: Atom, tok: str, allow_sub: bool) -> Atom:
        a.kind = "money"
        a.currency = self.resolve(tok) if not tok or tok[0] == "@" else tok
        if allow_sub and a.int_like and not a.has_scale:
            self._subunit_tail(a)
        return a

    def _typed(self, a: Atom, m: re.Match, g: str) -> Atom:
        """A percent, unit or counted noun read by a fused reader (group `g`)."""
        L = self.L
        k = g[0]
        s = m.group(g)
        if k == "P":
            key = s if g == "Ps" else norm_key(s)
            a.kind = "percent"
            a.pct = L.percent_syms.get(key) or L.percent_words.get(key, "%")
        elif k == "U" or k == "V":
            a.kind = "quantity"
            a.unit = L.unit_words[norm_key(s)] if g[1] == "n" else L.unit_syms[s]
        else:  # N, M
            a.kind = "count"
            a.noun = s
        a.end = m.end()
        return a

    def _parse_atom_seq(self, pos: int, prefix: tuple[int, str] | None = None,
                        *, allow_sub: bool = True, look_end: int = -1) -> Atom | None:
        """parse_atom, one reader at a time: the reference the fused readers follow,
        and the path for what they leave to it (scale abbreviations, number words
        carrying a scale, scale words out of order, unknown currency codes)."""
        text, R = self.text, self.R
        n = self.number_at(pos)
        if n is None:
            return None
        num, p, int_like, wscale = n
        a = Atom(prefix[0] if prefix else pos, p, num, int_like)
        if not prefix and wscale <= 0 and p != look_end and not R["look"].match(text, p):
            return a  # nothing figure-like follows: a bare number (the common case)
        L = self.L
        # scale words / abbreviations, increasing ("mil millones")
        if wscale > 0:
            # "deux milliards": the words carried their scale; keep the value as read
            scale, last, abbr_only = 1.0, wscale, False
            a.num = num / wscale
        else:
            scale, last, abbr_only = 1.0, 0.0, True
        q = p
        scale_match = R["scale"].match
        m = scale_match(text, q)
        while m is not None:
            w = m.group("w")
            if w:
                sv = L.scale_words[norm_key(w)]
                if last and sv <= last:
                    break
                abbr_only = False
            else:
                sv = L.scale_abbr[m.group("a")]
                if last and sv <= last:
                    break
            scale *= sv
            last = sv
            q = m.end()
            m = scale_match(text, q)
        half = 0.0
        if last and not abbr_only:
            hm = R["half"].match(text, q)
            if hm:
                half = 0.5 * last
                q = hm.end()
                m = scale_match(text, q)
                if m and m.group("w") and L.scale_words[norm_key(m.group("w"))] == last:
                    q = m.end()  # "3 ملايين ونصف المليون": the scale said again
        cur_tok = prefix[1] if prefix else None
        cur_end = None
        if last:
            # a currency right after the scale ("Md$", "MDH", "milliards de dollars")
            c = None
            om = R["of"].match(text, q)  # "milliards de dollars", "mld di euro"
            if om:
                c = self.cur_at(om.end())
            if c is None:
                c = self.cur_at(q)
            if c is not None:
                cur_tok = c[0] if cur_tok in (None, "@dollar") else cur_tok
                cur_end = c[1]
            elif abbr_only and not prefix:
                # "5 M" alone, "500 MW": not a scale after all
                scale, last, q, half = 1.0, 0.0, p, 0.0
        if last:
            a.scale = scale if wscale <= 0 else wscale * scale
            a.has_scale = True
            a.value = num * scale + half
            a.end = q
            a.int_like = False
        elif not prefix or cur_tok == "@dollar":
            c = self.cur_at(p)
            if c is not None:
                cur_tok, cur_end = c
        if cur_end is not None:
            a.end = cur_end
            if not last:
                # "75 USD million"
                m = scale_match(text, cur_end)
                if m and m.group("w"):
                    sv = L.scale_words[norm_key(m.group("w"))]
                    a.scale, a.has_scale, a.value = sv, True, num * sv
                    a.end = m.end()
                    a.int_like = False
        if cur_tok is not None:
            a.kind = "money"
            a.currency = self.resolve(cur_tok) if not cur_tok or cur_tok[0] == "@" else cur_tok
            if allow_sub and a.int_like and not a.has_scale:
                self._subunit_tail(a)
            return a
        # a sub-unit alone: "50 cents", "10¢"
        if not last:
            m = R["sub"].match(text, p)
            if m:
                fam = L.subunits.get(norm_key(m.group("n"))) if m.group("n") else L.sub_syms.get(m.group("s"))
                a.kind = "money"
                a.currency = self.resolve(fam)
                a.value = round(num / 100.0, 10)
                a.end = m.end()
                return a
            base = p
        else:
            if self._scaled_sub(a, q) is not None:
                return a
            base = q
        m = R["pct"].match(text, base)
        if m:
            key = m.group("s") or norm_key(m.group("n"))
            a.kind = "percent"
            a.pct = L.percent_syms.get(key) or L.percent_words.get(key, "%")
            a.end = m.end()
            return a
        for b in (base, self._of_end(base) if last else None):
            if b is None:
                continue
            m = R["unit"].match(text, b)
            if m:
                u = L.unit_words[norm_key(m.group("n"))] if m.group("n") else L.unit_syms[m.group("s")]
                a.kind, a.unit, a.end = "quantity", u, m.end()
                return a
            m = R["noun"].match(text, b)
            if m:
                a.kind, a.noun, a.end = "count", m.group("n"), m.end()
                return a
        return a

    def _scaled_sub(self, a: Atom, q: int) -> Atom | None:
        """'20 مليون سنتيم', '3 millions de centimes': a sub-unit named after a scale word
        (Maghreb copy counts large sums in centimes); the value is in the main unit."""
        R = self.R
        m = R["sub"].match(self.text, q)
        if m is None:
            b = self._of_end(q)
            m = R["sub"].match(self.text, b) if b is not None else None
        if m is None or not m.group("n"):
            return None
        a.kind = "money"
        a.currency = self.resolve(self.L.subunits.get(norm_key(m.group("n"))))
        a.value = round(a.value / 100.0, 10)
        a.end = m.end()
        return a

    def _of_end(self, pos: int) -> int | None:
        m = self.R["of"].match(self.text, pos)
        return m.end() if m and m.end() > pos else None

    def _subunit_tail(self, a: Atom) -> None:
        """'20 dollars 43 cents', '$20 and 43c', 'US$3 and fourteen', '20 Rupees 43'."""
        text, R = self.text, self.R
        p = a.end
        m = R["and"].match(text, p)
        if m:
            q = m.end()
        else:
            q = p
            while q < len(text) and q - p < 3 and text[q] in " \u00a0\u202f":
                q += 1
            if q == p:
                return
        if q >= len(text):
            return
        if text[q].isdigit():
            m = re.match(r"\d{1,2}(?![\d.,]\d|\d)", text[q:q + 4])
            if not m:
                return
            cents, e = float(m.group()), q + m.end()
        else:
            w = parse_words(text, q, self.L)
            if w is None or not w.int_like or w.value >= 100:
                return
            cents, e = w.value, w.end
        sm = R["sub"].match(text, e)
        if sm:
            e = sm.end()
        elif not R["tail_ok"].match(text, e):
            return
        a.value = round(a.num + cents / 100.0, 10)
        a.end = e
        a.int_like = False

    # ---------------------------------------------------------------- vague
    def vague_at(self, pos: int, limit: int, art_start: int | None = None) -> Atom | None:
        """'plusieurs dizaines de gigawatts', 'des milliards de dollars', 'une dizaine de'."""
        text, R, L = self.text, self.R, self.L
        m = _WORD.match(text, pos)
        if not m:
            return None
        key = norm_key(m.group())
        mult = L.groups.get(key) or L.scale_words.get(key)
        if not mult:
            return None
        p = m.end()
        for _ in range(3):
            om = R["of"].match(text, p)
            b = om.end() if om else p
            vm = R["vague_of"].match(text, b)
            if not vm:
                break
            k2 = norm_key(vm.group().strip())
            v2 = L.groups.get(k2) or L.scale_words.get(k2)
            if not v2 or v2 <= 1:
                break
            mult *= v2
            p = vm.end()
        a = Atom(pos, p, mult)
        target = None
        for b in (p, self._of_end(p)):
            if b is None:
                continue
            c = self.cur_at(b)
            if c:
                a.kind, a.currency, a.end = "money", self.resolve(c[0]), c[1]
                target = True
                break
            um = R["unit"].match(text, b)
            if um:
                u = L.unit_words[norm_key(um.group("n"))] if um.group("n") else L.unit_syms[um.group("s")]
                a.kind, a.unit, a.end = "quantity", u, um.end()
                target = True
                break
            nm = R["noun"].match(text, b)
            if nm:
                a.kind, a.noun, a.end = "count", nm.group("n"), nm.end()
                target = True
                break
        if not target:
            return None
        if art_start is not None:
            a.start, a.qualifier = art_start, "approx"
            return a
        det = self.B["det"].match(self.rev, pos, limit)
        plural = key.endswith(("s", "es")) or key in ("dutzende", "hunderte", "tausende", "miles")
        if det is None:
            if not plural or (self._of_end(m.end()) is None and L.code != "de"):
                return None
            a.start = pos
        else:
            a.start = det[0]
        a.qualifier = "vague"
        a.vmin = 2.0 * mult
        a.value = 0.0
        return a

    # ---------------------------------------------------------------- driver
    def run(self) -> list[Figure]:
        text, R = self.text, self.R
        # (start, 0, end of the suffix-checked number or -1) for digits, (start, 1, 0)
        # for words: plain ints, so the sort compares tuples in C.
        anchors = [(m.start(), 0, m.end("suf")) for m in R["anchor_d"].finditer(text)]
        low = self.low
        m = R["anchor_w0"].match(low)
        if m:
            anchors.append((0, 1, 0))
        anchors += [(m.start(1), 1, 0) for m in R["anchor_w"].finditer(low, m.end() if m else 0)]
        anchors.sort()
        prefix_two = R["prefix_two"]
        parse_atom, finish = self.parse_atom, self.finish
        out: list[Figure] = []
        consumed = 0
        last_end = 0
        prev_money: tuple[int, Atom] | None = None
        for start, kind, suf_end in anchors:
            if start < consumed:
                continue
            if kind == 0:
                # prefix_before's quick no, inlined: most numbers follow a lower-case word
                j = start - 1
                if j > 0 and text[j] in " \u00a0\u202f":
                    j -= 1
                if j < last_end or (text[j].islower() and text[j - 1:j + 1] not in prefix_two):
                    pre = None
                else:
                    pre = self.prefix_before(start, last_end)
                if pre is not None:
                    atom = parse_atom(start, pre)
                elif suf_end >= 0:
                    atom = parse_atom(start, look_end=suf_end)
                else:
                    continue
            else:
                atom = self._word_anchor(start, last_end)
            if atom is None:
                continue
            if atom.end > consumed:
                consumed = atom.end
            fig, fatom = finish(atom, last_end, prev_money)
            if fig is None:
                continue
            if self._pending is not None:
                out.append(self._pending)
                self._pending = None
            out.append(fig)
            last_end = consumed = max(consumed, fig.end)
            if fig.kind == "money":
                prev_money = (fig.end, fatom)
                extra = self._inherit_bare(fig, fatom)
                if extra is not None:
                    out.append(extra)
                    last_end = consumed = extra.end
                    prev_money = (extra.end, fatom)
        return out

    def _word_anchor(self, pos: int, limit: int) -> Atom | None:
        text, L = self.text, self.L
        m = _WORD.match(text, pos)
        key = norm_key(m.group()) if m else ""
        if key in L.articles:
            # "une dizaine de", "a dozen"
            q = m.end()
            while q < len(text) and text[q] in " \u00a0\u202f":
                q += 1
            gm = _WORD.match(text, q)
            if gm and norm_key(gm.group()) in L.groups:
                return self.vague_at(q, limit, art_start=pos)
        if key in L.groups:
            return self.vague_at(pos, limit)
        atom = self.parse_atom(pos)
        if atom is None and key in L.scale_words:
            return self.vague_at(pos, limit)
        return atom

    def _before(self, pos: int, limit: int) -> re.Match | None:
        """R["before"] at `pos`: None when no connector, qualifier or context phrase
        can end right before it; else which may (group c, q or x; see lexicon)."""
        n = len(self.text)
        return self.R["before"].match(self.rev, n - pos, n - max(limit, pos - self.L.before_len))

    def _back_range(self, atom: Atom, limit: int) -> tuple[int, Atom] | None:
        """The first end of a range written before `atom`: 'entre 2 et', '10 - '.

        Called once a connector is known to end right before it (R["before"] group c).
        """
        lo = max(limit, atom.start - 90)
        window = self.text[lo:atom.start]
        m = self.R["back_range"].search(window)
        if not m:
            return None
        nstart = lo + m.start("num")
        conn = norm_key(m.group("conn"))
        first = self._atom_at(nstart, allow_sub=False)
        if first is None or first.end > lo + m.start("conn"):
            return None
        if not (first.kind or first.has_scale) and first.int_like \
                and _YEAR.fullmatch(self.text[nstart:first.end]):
            return None  # "سنة 2009 إلى 9,1 مليار درهم", "en 2009 à 9 milliards": a year
        opener = self._opener(first.start, limit)
        if not self._conn_ok(conn, opener):
            if opener is False:  # a change: the first value is an amount of its own
                self._change_first = first
            return None
        return (opener[0] if opener else first.start), first

    def _opener(self, pos: int, limit: int):
        """The range opener before `pos` ("entre", "from"), or False after a change verb.

        "rose from $4bn to $5bn", "est passé de 4 à 5", "fell 6p to 412p" describe a
        change between two figures, not a range; only a dash still makes a range there.
        """
        opener = self.B["open"].match(self.rev, pos, limit)
        if self.B["change"].match(self.rev, opener[0] if opener else pos, limit):
            return False
        if opener and self.L.change_gap:
            # verb-first languages put the subject in between: "ارتفعت المداخيل من 4 إلى 5"
            n, q = len(self.text), len(self.text) - opener[0]
            for _ in range(self.L.change_gap):
                m = _REV_WORD.match(self.rev, q)
                if m is None or n - m.end() < limit:
                    break
                q = m.end()
                if self.B["change"].match(self.rev, n - q, limit):
                    return False
        if opener and _ctx.change_in_clause(self, opener[0]):
            return False  # "portant ses cessions de 1,5 à 2,5 milliards"
        if opener is None and _ctx.change_opener(self, pos):
            return False  # "from the current $154,000 to $220,000"
        return opener

    def _atom_at(self, pos: int, *, allow_sub: bool = True) -> Atom | None:
        if pos >= len(self.text):
            return None
        pre = self.prefix_at(pos)
        if pre:
            return self.parse_atom(pre[1], (pos, pre[0]), allow_sub=allow_sub)
        if not (self.text[pos].isdigit() or self.text[pos].isalpha()):
            return None
        return self.parse_atom(pos, allow_sub=allow_sub)

    def _conn_ok(self, conn: str, opener) -> bool:
        if conn in ("-", "–", "—"):
            return True
        if opener is False:
            return False
        if conn in self.L.range_bare:
            return True
        return bool(opener) and conn in opener[1]

    def _combine(self, a: Atom, b: Atom) -> tuple[float, float, Atom] | None:
        """min, max and the typed end of a range a..b, or None if they do not pair."""
        if a.kind and b.kind and a.kind != b.kind:
            return None
        if a.kind == "money" and b.kind == "money" and a.currency and b.currency \
                and a.currency != b.currency:
            return None
        if a.unit and b.unit and a.unit[1] != b.unit[1]:
            return None
        typed = b if b.kind else a
        if not typed.kind:
            return None
        lo = a.value
        hi = b.value
        if not a.has_scale and b.has_scale and a.num * b.scale <= hi:
            lo = a.num * b.scale
        elif a.has_scale and not b.has_scale and not b.kind:
            hi = b.num * a.scale
        if a.unit and b.unit and a.unit != b.unit:
            lo_si, hi_si = lo * a.unit[2], hi * b.unit[2]
            if lo_si > hi_si:
                return None
        elif lo > hi:
            return None
        return lo, hi, typed

    def finish(self, atom: Atom, limit: int, prev_money):
        """Turn an atom into a figure: ranges, inheritance, qualifiers."""
        text, R = self.text, self.R
        start, end = atom.start, atom.end
        bm = _UNSET  # R["before"] at atom.start (see lexicon): what may end right before it
        if atom.qualifier == "exact" and atom.kind is not None:
            cm = R["conn"].match(text, end)
            if cm is None:
                bm = self._before(start, limit)
                if bm is None:
                    # The common case, in short: nothing after it makes a range and
                    # nothing before it is a connector, qualifier or context phrase.
                    qualifier = "estimated" if self._has_estimate is not False \
                        and self._estimate_sentence(start) else "exact"
                    return self._figure(atom.kind, atom, start, end, atom.value, None, None,
                                        qualifier, atom.currency), atom
        elif atom.qualifier != "vague":
            cm = R["conn"].match(text, end)
        lo = hi = None
        typed = atom
        nxt = None  # the figure after a connector, for "de 4 milliards à 5 milliards de $"
        # forward range: "$10-$20", "10 dollars to 20 dollars", "de $10 y $20"
        if atom.qualifier != "vague":
            if cm is None and atom.kind is None and not atom.has_scale:
                if prev_money is not None and text[end:end + 2].lstrip()[:1] in ("m", "b", "M", "B"):
                    return self._implied_abbr(atom, prev_money), prev_money[1]  # "another 550m"
                return None, None  # a bare number: the common case, leave early
            if cm:
                opener = self._opener(atom.start, limit)
                conn = cm.group("c") or norm_key(cm.group("w"))
                if opener is False and atom.kind is None:
                    nxt = self._atom_at(cm.end())
                if self._conn_ok(conn, opener):
                    b = self._atom_at(cm.end())
                    if b is not None and not (b.kind or b.has_scale) and b.int_like \
                            and _YEAR.fullmatch(text[cm.end():b.end]):
                        b = None  # "2 milliards d'euros d'ici à 2030", "bis 2030"
                    if b is not None and b.qualifier == "exact" and (
                            b.kind or b.has_scale or R["tail_ok"].match(text, b.end)
                            or cm.group("c")):
                        comb = self._combine(atom, b)
                        if comb:
                            lo, hi, typed = comb
                            end = b.end
                            if opener and conn in opener[1]:
                                start = opener[0]
            if lo is None and typed.kind:
                if bm is _UNSET:
                    bm = self._before(atom.start, limit)
                # only a connector (group c) may end there: see lexicon R["before"]
                self._change_first = None
                br = self._back_range(atom, limit) if bm is not None and bm.lastgroup == "c" else None
                if br is not None:
                    comb = self._combine(br[1], atom)
                    if comb:
                        lo, hi, typed = comb
                        start = br[0]
        kind = typed.kind
        currency = typed.currency
        implied = False
        if kind is None and nxt is not None and nxt.kind == "money" and nxt.currency:
            kind, currency, implied = "money", nxt.currency, True
            if not atom.has_scale and nxt.has_scale:  # "de 1,5 à 2,5 milliards d'euros"
                atom.value = atom.num * nxt.scale
        comp = None
        if kind is None and atom.has_scale and lo is None:
            comp = self._compound_tail(atom)  # "1 milliard 200 millions d'euros"
            if comp is not None:
                atom.value += comp.value
                end, kind, currency, typed = comp.end, "money", comp.currency, comp
        if kind is None:
            if not (typed.has_scale or atom.has_scale):
                return None, None
            if self.L.bare_one and norm_key(text[start:end]) in self.L.bare_one:
                return None, None  # "مليون مغربي": a lone scale word takes no currency
            same = prev_money is not None
            if same:
                gap = text[prev_money[0]:start]
                same = len(gap) <= _INHERIT_SPAN and not _SENTENCE_BREAK.search(gap)
            currency = _ctx.implied_currency(self, start, end, prev_money, same)
            if currency is None:
                return None, None
            kind, implied = "money", True
        qualifier = atom.qualifier
        vmin = atom.vmin
        value = None if lo is not None else (None if vmin is not None else atom.value)
        fmin = lo if lo is not None else vmin
        fmax = hi
        if qualifier != "vague":
            if start == atom.start:
                if bm is _UNSET:
                    bm = self._before(start, limit)
                g = None if bm is None else bm.lastgroup
                if g == "c":
                    q = self.B["qual"].match(self.rev, start, limit)
                elif g == "q":  # R["before"] matched as B["qual"] would
                    val = self.B["qual"].value_of(bm.group("q"))
                    q = None if val is None else (len(text) - bm.end(), val)
                else:
                    q = None
                skip_ctx = bm is None  # nor can a context phrase end there
            else:
                q = self.B["qual"].match(self.rev, start, limit)
                skip_ctx = False
            if q is not None and self._neutral_bound(q[0], start):
                q = None
            if q is not None:
                start, qualifier = q
                if lo is None and qualifier == "at_least":
                    fmin, value = atom.value, None
                elif lo is None and qualifier == "at_most":
                    fmax, value = atom.value, None
                elif lo is not None and qualifier in ("at_least", "at_most"):
                    qualifier = "approx"
            if qualifier == "exact":
                if (skip_ctx and q is None) or self._has_ctx is False or (
                        self._has_ctx is None
                        and not self._page_has("_has_ctx", self.L.ctx_pieces, self.L.ctx_gate)):
                    c = None
                else:
                    c = self.B["ctx"].match(self.rev, start, limit)
                if c is not None:
                    qualifier = c[1]
                elif self._has_estimate is not False and self._estimate_sentence(start):
                    qualifier = "estimated"
        fig = self._figure(kind, typed, start, end, value, fmin, fmax, qualifier, currency)
        if implied:
            fig.extra["implied"] = True
            typed.currency = currency  # later elliptical amounts inherit it in turn
        first = self._change_first
        if first is not None:
            self._change_first = None
            if kind == "money" and lo is None:
                self._pending = self._change_start(first, typed, currency)
        return fig, typed

    def _change_start(self, first: Atom, typed: Atom, currency: str | None) -> Figure:
        """The old value of a change ("portant ses cessions de 1,5 à 2,5 milliards
        d'euros"): its own amount, with the scale and currency of the new one."""
        text = self.text
        if first.kind == "money":
            value, cur, implied = first.value, first.currency, False
        else:
            value = first.value if first.has_scale else first.num * typed.scale
            cur, implied = currency, True
        fig = Figure("money", text[first.start:first.end], first.start, first.end, value,
                     None, None, cur, None, "exact")
        if implied:
            fig.extra["implied"] = True
        return fig

    def _compound_tail(self, atom: Atom) -> Atom | None:
        """The smaller part of '1 milliard 200 millions d'euros', '2 billion 300 million
        dollars': a number with a smaller scale and a currency right after."""
        text = self.text
        q = atom.end
        if q + 1 >= len(text) or text[q] not in " \u00a0\u202f" or not text[q + 1].isdigit():
            return None
        b = self.parse_atom(q + 1)
        if b is None or b.kind != "money" or b.value >= atom.scale \
                or not (b.has_scale or b.value >= 1000):  # "3 millions 500 000 euros"
            return None
        return b

    def _implied_abbr(self, atom: Atom, prev_money) -> Figure | None:
        """'1bn euros now, with another 550m to follow': an abbreviated scale with no
        currency after it takes the currency of the amount just before, in its sentence."""
        text = self.text
        m = self.R["scale"].match(text, atom.end)
        if m is None or not m.group("a") or (m.start("a") != atom.end and len(m.group("a")) < 2):
            return None  # "550m", "1,5 mln"; not "550 m" (metres)
        end = m.end()
        if end < len(text) and (text[end].isalnum() or text[end] in "²³/"):
            return None
        gap = text[prev_money[0]:atom.start]
        if len(gap) <= _INHERIT_SPAN and not _SENTENCE_BREAK.search(gap):
            if not _ctx.amount_may_end(self, end):
                return None  # "$5bn for the unit, which has 3 mn users": counts users
            currency = prev_money[1].currency
        else:  # "Shr 1.35 dlrs vs 1.10 dlrs / Net 15.2 mln vs 12.4 mln": a money word
            currency = _ctx.implied_currency(self, atom.start, end, prev_money, False)
        if not currency:
            return None
        fig = Figure("money", text[atom.start:end], atom.start, end,
                     atom.num * self.L.scale_abbr[m.group("a")], None, None,
                     currency, None, "exact")
        fig.extra["implied"] = True
        return fig

    def _figure(self, kind: str, typed: Atom, start: int, end: int, value, fmin, fmax,
                qualifier: str, currency: str | None) -> Figure:
        text = self.text
        # Figure's fields in order: kind, surface, start, end, value, min, max, currency,
        # unit, qualifier, si_value, si_min, si_max, si_unit, counted_noun (positional:
        # one call instead of keyword matching and attribute writes after it)
        if kind == "money":
            fig = Figure(kind, text[start:end], start, end, value, fmin, fmax, currency,
                         None, qualifier)
        elif kind == "percent":
            fig = Figure(kind, text[start:end], start, end, value, fmin, fmax, None,
                         typed.pct, qualifier)
        elif kind == "quantity":
            unit, si_unit, factor = typed.unit
            fig = Figure(kind, text[start:end], start, end, value, fmin, fmax, None, unit,
                         qualifier,
                         None if value is None else value * factor,
                         None if fmin is None else fmin * factor,
                         None if fmax is None else fmax * factor, si_unit)
        elif kind == "count":
            fig = Figure(kind, text[start:end], start, end, value, fmin, fmax, None, None,
                         qualifier, None, None, None, None, typed.noun)
        else:
            fig = Figure(kind, text[start:end], start, end, value, fmin, fmax, None, None,
                         qualifier)
        return fig

    def _neutral_bound(self, qstart: int, start: int) -> bool:
        """German "ein Kredit über 250 Mio. Euro": after a noun, "über" means "of"."""
        word = norm_key(self.text[qstart:start])
        if word not in self.L.noun_neutral:
            return False
        m = re.search(r"([^\W\d_]+)[^\S\n]+$", self.text[max(0, qstart - 40):qstart])
        return bool(m and m.group(1)[0].isupper())

    def _estimate_sentence(self, start: int) -> bool:
        """'Selon les estimations, ...', 'Nach Schätzungen ...': the sentence is an estimate."""
        if self._has_estimate is None:  # substring tests, once per page (C speed)
            self._page_has("_has_estimate", self.L.estimate_cues, self.L.cue_gate)
        if not self._has_estimate:
            return False
        lo = max(0, start - 240)
        seg = self.text[lo:start]
        cut = max(seg.rfind(". "), seg.rfind("\n"), seg.rfind("! "), seg.rfind("? "))
        if cut >= 0:
            seg = seg[cut + 1:]
        return bool(self.R["estimate"].search(seg))

    def _inherit_bare(self, fig: Figure, atom: Atom) -> Figure | None:
        """'5 milliards de dirhams, contre 4 l'an dernier': a bare number after a cue."""
        if fig.value is None:
            return None
        m = self.R["inherit"].match(self.text, fig.end)
        if not m:
            return None
        pos = m.end()
        n = self.number_at(pos)
        if n is None:
            return None
        num, end, int_like, _ws = n
        s = self.text[pos:end]
        if int_like and _YEAR.fullmatch(s):
            return None
        b = self.parse_atom(pos)
        if b is None or b.kind or b.has_scale or b.end != end:
            return None
        value = num * atom.scale
        sm = self.R["scale"].match(self.text, end)
        if sm:  # "compared with 4.8bn": its own (abbreviated) scale
            sv = self.L.scale_words[norm_key(sm.group("w"))] if sm.group("w") \
                else self.L.scale_abbr[sm.group("a")]
            value, end = num * sv, sm.end()
            s = self.text[pos:end]
        return Figure(kind="money", surface=s, start=pos, end=end, value=value,
                      currency=fig.currency, qualifier="exact", extra={"implied": True})
