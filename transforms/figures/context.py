"""Money read in the context of its page, not of its own few words.

Why a module of its own: the engine reads one figure at a time, from the words around
it. Real pages need more than that, and the rules here are the same for every
language (the words are data):
- The page's country, from the text itself when the caller knows no site: a dateline
  ("SYDNEY (Reuters) -") or the places and demonyms the page keeps naming. "livres" on
  a page about Lebanon are LBP, "dollars" under a Melbourne dateline AUD, "$" in a
  Medellín story COP. An explicit "dollars américains" on the page keeps plain
  "dollars" American whatever the cues say.
- Implied currencies: "100 milliards d'euros ... 20 milliards pour l'industrie", "4
  milliards de bénéfice", "another 550m": a scaled number without a currency takes the
  currency of the nearest earlier amount (flagged `extra["implied"]`).
- Changes: "portant ses cessions de 1,5 à 2,5 milliards", "from the current $154,000
  to $220,000" are an old and a new value, not a range: a change verb anywhere in the
  clause before the opener, or a "from the current" opener, says so.
- False positives no single-figure reader can see: "1:54 p.m." (not pence), "a pound
  of fish" (a weight), "dos reales decretos" (royal decrees).
Data: data/context.toml (country cues) and the `[context]` table of each lexicon.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from functools import cache

from transforms import languages
from transforms.contract.figure import Figure
from transforms.text.tries import END, START, norm_key, trie

from .lexicon import _load_toml, shared

# A dateline at the start of a line: "SYDNEY (Reuters) -", "Beyrouth, 3 mars (AFP) -",
# "MELBOURNE, March 3 -". The city is confirmed against the cue tables.
_DATELINE = re.compile(
    r"^[ \t]*(?P<city>[A-ZÀ-Ý][A-Za-zÀ-ÿ'.]+(?:[ -][A-ZÀ-Ý][A-Za-zÀ-ÿ'.]+){0,2})[ \t]*"
    r"(?:,[^\n()]{1,40}?)?[ \t]*(?:\((?:Reuters|AFP|AP|Bloomberg|EFE|dpa|ANSA|MAP|Xinhua|Belga|ANP"
    r"|Europa Press|Dow Jones)\)[ \t]*)?[-–—:]", re.M)
_DATELINE_SPAN = 600
_TOKENS = re.compile(r"[^\s'’]+")
# punctuation that separates tokens for the cue count ("l'Égypte", "Liban,", "Sydney-based")
_TOKEN_SEP = str.maketrans({c: " " for c in "'’-‐,.;:!?()[]«»\"“”/"})
_NUMBER = re.compile(r"\d[\d.,]*\d|\d(?![\d.,]*%)")  # another figure on the line (not a %)
_WORDS3 = re.compile(r"[^\W\d_]{3,}")
_PUNCT = re.compile(r"[,.;:!?()\[\]«»\"“”/'’\-]")
_CUE_SPAN = 2000  # characters of the page head where country cues are counted
_LAST: list = [None, None]  # (page, its country): the engine and refine ask once each
# what ends right before "a pound" when it is a unit of weight: a price, or "per"
_PER_UNIT = re.compile(r"(?:\d|\b(?:cents?|cts|pence|dollars?|euros?|per|par|por))[^\S\n]{1,3}\Z")
_IMPLIED_REACH = 2000  # characters back to the nearest earlier amount


class _Data:
    """context.toml compiled: the cue scan and the tables it maps to."""

    def __init__(self, d: dict) -> None:
        self.cue_country: dict[str, str] = {}
        for cc, words in d["cues"].items():
            for w in words:
                self.cue_country.setdefault(w, cc)
        # Counted on the page's tokens (a split in C, then a set intersection), not by
        # a regex over every letter: one-word cues by token, longer ones ("Costa
        # Rica", "Nouvelle-Zélande") by their first token, then confirmed by a count.
        self.single: dict[str, str] = {}
        self.multi: dict[str, list[tuple[str, str]]] = {}
        for w, cc in self.cue_country.items():
            parts = w.translate(_TOKEN_SEP).split()
            if len(parts) == 1:
                self.single[w] = cc
            else:
                self.multi.setdefault(parts[0], []).append((w, cc))
        self.firsts = frozenset(self.single) | frozenset(self.multi)
        self.city: dict[str, str] = dict(self.cue_country)
        self.city.update(d.get("dateline_cities", {}))
        self.country_currency: dict[str, str] = dict(d.get("country_currency", {}))
        self.sign = dict(d.get("dollar_sign", {}))
        self.family_extra: dict[str, dict[str, str]] = dict(d.get("family_extra", {}))
        # what a currency family can resolve to (EUR apart: euros are never ambiguous
        # but a few families map to it), plus None (an unresolved family)
        codes = {None}
        for fd in shared().families.values():
            codes.add(fd["default"] or None)
            codes.update(fd["by_country"].values())
        self.family_codes = frozenset(codes - {"EUR"})
        # countries for which some family (or the "$" sign) reads differently
        rel = set(self.sign)
        for ex in self.family_extra.values():
            rel.update(ex)
        for fd in shared().families.values():
            rel.update(fd["by_country"])
        self.relevant = frozenset(rel)


@cache
def _data() -> _Data:
    return _Data(_load_toml("data", "context.toml"))


class _LangCtx:
    """A language's `[context]` table: money nouns, change words, false positives."""

    def __init__(self, d: dict) -> None:
        self.money_nouns = frozenset(norm_key(w) for w in d.get("money_nouns", []))
        self.change_words = frozenset(norm_key(w) for w in d.get("change_words", []))
        self.change_openers = tuple(norm_key(w) for w in d.get("change_openers", []))
        self.range_words = frozenset(norm_key(w) for w in d.get("range_words", []))
        # "reales decretos": a currency word followed by one of these is no currency
        self.not_money: dict[str, frozenset] = {
            norm_key(k): frozenset(norm_key(x) for x in v)
            for k, v in d.get("not_money_before", {}).items()}
        self.weight_words = frozenset(norm_key(w) for w in d.get("weight_words", []))
        self.weight_after = frozenset(norm_key(w) for w in d.get("weight_after", []))
        self.not_surfaces = frozenset(norm_key(w) for w in d.get("not_money_surfaces", []))
        self.of_only = frozenset(norm_key(w) for w in d.get("of_only", []))
        self.follow = frozenset(norm_key(w) for w in d.get("follow_words", []))
        # "selon la DH": a currency symbol after an article is a name (La Dernière Heure)
        self.named_symbols = tuple(d.get("named_symbols", []))
        self.name_articles = frozenset(norm_key(w) for w in d.get("name_articles", []))
        # substrings one of whose forms a page must hold for a false-money rule to apply
        words = set(self.not_money) | self.weight_words | {
            w.split()[-1] for w in self.not_surfaces}
        self.trigger_pieces = tuple(sorted({v for w in words for v in (w, w.capitalize())}))


@cache
def lang_ctx(code: str) -> _LangCtx:
    d = tomllib.loads(languages.read_text(code, "figures.toml"))
    lc = _LangCtx(d.get("context", {}))
    # the verbs that make a change right before "de"/"from" make one anywhere in the
    # clause too (but not the particles "up", "down": too common in a clause)
    verbs = {norm_key(v) for v in d.get("links", {}).get("change_verbs", []) if len(v) > 4}
    lc.change_words = lc.change_words | frozenset(v for v in verbs if " " not in v)
    # "15.2 mln vs 12.4 mln", "5 milliards contre 4": a comparison may follow an amount
    links = d.get("links", {})
    lc.change_re = re.compile(START + "(?:" + trie(sorted(lc.change_words, key=len, reverse=True))
                              + ")" + END) if lc.change_words else re.compile("(?!)")
    lc.follow = lc.follow | frozenset(norm_key(w).split()[0].rstrip(".")
                                      for w in links.get("inherit", []) if w.strip())
    return lc


# ------------------------------------------------------------------ page country
def page_country(text: str, *, weak: bool = False) -> str | None:
    """The country a page is about, from its dateline or its dominant place cues.

    A dateline decides alone. Otherwise the country named most often wins when it is
    named at least twice and at least twice as often as the next one: a page about a
    US company that mentions Canada once stays American. `weak` also accepts a single
    cue when no other country is named ("la société française"): enough to guess the
    currency of an amount written without one, not to overrule a written "$".
    """
    if _LAST[0] is not text:
        _LAST[0], _LAST[1] = text, _page_country(text)
    strong, single = _LAST[1]
    return strong or (single if weak else None)


def _page_country(text: str) -> tuple[str | None, str | None]:
    D = _data()
    for m in _DATELINE.finditer(text, 0, _DATELINE_SPAN):
        city = m.group("city")
        cc = D.city.get(city) or D.city.get(city.title())
        if cc:
            return cc, cc
    # the head of the page (headline, lead, first paragraphs name the country; a
    # bounded cost per page): which cue words occur (a split and a set intersection in
    # C), then how often each (substring counts, also in C)
    head = text[:_CUE_SPAN]
    present = set(_PUNCT.sub(" ", head).split()) & D.firsts
    counts: Counter = Counter()
    for tok in present:
        cc = D.single.get(tok)
        if cc:
            counts[cc] += head.count(tok)
        for phrase, pcc in D.multi.get(tok, ()):
            n = head.count(phrase)
            if n:
                counts[pcc] += n
    if not counts:
        return None, None
    (top, n), *rest = [*counts.most_common(2), (None, 0)]
    second = rest[0][1]
    if n >= 2 and n >= 2 * second:
        return top, top
    return None, (top if second == 0 else None)


def _family_token(fig: Figure, L) -> tuple[str | None, str | None]:
    """(lexicon value, how written: 'sign' or 'word') of the figure's currency token."""
    s = fig.surface
    i = 0
    while i < len(s) and not s[i].isdigit():
        i += 1
    if i:
        lead = s[:i].split()
        if lead:
            v = L.cur_syms.get(lead[-1])
            if v is not None:
                return v, "sign"
    toks = _TOKENS.findall(s[i:])
    for k in (3, 2, 1):
        if len(toks) >= k:
            v = L.cur_names.get(norm_key(" ".join(toks[-k:])))
            if v is not None:
                return v, "word"
    if toks:
        v = L.cur_syms.get(toks[-1])
        if v is not None:
            return v, "sign"
        v = L.subunits.get(norm_key(toks[-1])) or L.sub_syms.get(toks[-1])
        if v is not None:
            return v, "word"
    return None, None


def _recolor(figs: list[Figure], L, country: str | None, text: str) -> None:
    """Resolve ambiguous currency families with the page's context (in place)."""
    sh = shared()
    D = _data()
    outs = D.family_codes
    if not any(f.kind == "money" and f.currency in outs for f in figs):
        return  # no amount a family could have given (most euro pages)
    page = country or page_country(text)
    if page not in D.relevant and all(f.currency is not None for f in figs if f.kind == "money"):
        return  # the page's country changes no family, and none is left unresolved
    cands = []
    explicit: set[str] = set()
    for f in figs:
        if f.kind != "money" or (f.currency not in outs and "cent" not in f.surface):
            continue  # a currency no family yields (EUR, most codes): nothing to redo
        tok, how = _family_token(f, L)
        if tok is None:
            continue
        if tok[0] == "@":
            if tok != "@cfa":  # the engine reads CFA context itself
                cands.append((f, tok[1:], how))
        else:
            explicit.add(tok)
    if not cands:
        return
    recolored: dict[int, str] = {}
    for f, fam, how in cands:
        fd = sh.families.get(fam)
        if fd is None:
            continue
        by = fd["by_country"]
        extra = D.family_extra.get(fam)
        if extra:
            by = {**by, **extra}
        target = None
        if page and fam == "dollar" and how == "sign" and page in D.sign:
            target = D.sign[page]  # "$" is the peso sign in much of Latin America
        elif country:
            if not (extra and country in extra):
                continue  # the engine already used the caller's country
            target = extra[country]
        elif page and page in by:
            target = by[page]
            if fd["default"] and fd["default"] in explicit and target not in explicit:
                target = None  # "dollars américains" written on the page: plain is US
        else:
            members = (set(by.values()) | {fd["default"]}) & explicit
            if len(members) == 1 and not fd["default"]:
                target = members.pop()
        if target and target != f.currency:
            recolored[id(f)] = f.currency or ""
            f.currency = target
    if not recolored:
        return
    # amounts that took their currency from a recoloured one follow it
    # ("2 billion dollars, up from 1.5 billion" under a Sydney dateline)
    toked = {id(f) for f, _fam, _how in cands}
    last: tuple[str, str] | None = None
    for f in figs:
        if f.kind != "money":
            continue
        if id(f) in recolored:
            last = (recolored[id(f)], f.currency)
        elif id(f) in toked:
            last = None
        elif last is not None and (f.currency or "") == last[0] and _family_token(f, L)[0] is None:
            f.currency = last[1]


# ------------------------------------------------------------------ false positives
def _false_money(f: Figure, text: str, lc: _LangCtx) -> bool:
    """Money no figure reader can reject alone (see the module docstring)."""
    s, end = f.surface, f.end
    if s[-1:] in "pP" and f.currency == "GBP" and (
            text[f.start - 1:f.start] == ":" or text[end:end + 2].lower() in (".m", "m.", "m ")):
        return True  # "1:54 p.m."
    if f.currency == "GTQ" and s[:1] == "Q" and f.value is not None and f.value < 5 \
            and s[1:].isdigit():
        return True  # "Q1": a quarter, not a quetzal
    if len(s) < 16 and lc.not_surfaces and norm_key(s) in lc.not_surfaces:
        return True  # "un livre" (a book)
    toks = s.rsplit(None, 1)
    last = toks[-1].replace("’", "'").rsplit("'", 1)[-1].lower()
    if last not in lc.not_money and last not in lc.weight_words:
        return False  # the common case: the figure ends with no word we care about
    nxt = re.match(r"[^\S\n]{1,3}([^\W\d_]+)", text[end:end + 40])
    if nxt:
        stop = lc.not_money.get(last)
        if stop and norm_key(nxt.group(1)) in stop:
            return True  # "dos reales decretos"
        if last in lc.weight_words and f.value is not None and f.value < 1000 \
                and norm_key(nxt.group(1)) in lc.weight_after \
                and not re.search(r"\d[^\S\n]*(?:[mMbBkK]|[^\W\d_]*ill)", s):
            return True  # "a pound of fish"
    # "$5.10 a pound", "3 cents per pound": a price per unit of weight
    return last in lc.weight_words and f.value == 1.0 and len(toks) == 2 \
        and _PER_UNIT.search(text, max(0, f.start - 16), f.start) is not None


def _mark_furniture(figs: list[Figure], text: str) -> None:
    """Flag money on widget lines (`extra["furniture"]`): kept, but not body text.

    A stock widget or an advert prints an amount on a short line of its own with at
    most a label ("$142.79", "Market Cap $1,404B", "(0.52%) $0.73", "$199 per year"),
    never a sentence: at most three words of three letters or more, no closing
    sentence punctuation, and not the page's first line (its title).
    """
    first_end = text.find("\n", 0, 400)
    for f in figs:
        if f.kind != "money":
            continue
        ls = text.rfind("\n", 0, f.start) + 1
        if ls == 0 and (first_end < 0 or first_end > f.start):
            continue  # the title line
        le = text.find("\n", f.end)
        line = text[ls:le if le >= 0 else len(text)].strip()
        if len(line) > 48 or line[-1:] in ".!?»\"”":
            continue
        rest = line.replace(f.surface, " ")
        if len(_WORDS3.findall(rest)) <= 3 and not _NUMBER.search(rest):
            f.extra["furniture"] = True


_FRACTION = re.compile(r"(?<![\d/])(?:(\d{1,6})[- ])?(\d{1,2})/\Z")
_DENOMS = frozenset((2, 4, 8, 16, 32, 64))


def _fractions(figs: list[Figure], text: str) -> None:
    """'35-3/4 dlrs', '1/2 dlr', '7-1/2 pct': agency prices in eighths and halves.

    The engine reads the denominator ("4 dlrs"); the whole figure starts earlier.
    """
    prev_end = 0
    for f in figs:
        s = f.start
        if s > 1 and text[s - 1] == "/" and f.value is not None and f.surface[:1].isdigit():
            digits = re.match(r"\d{1,2}(?!\d)", f.surface)
            m = _FRACTION.search(text, max(prev_end, s - 12), s)
            if digits and m and int(digits.group()) in _DENOMS:
                den, num = int(digits.group()), int(m.group(2))
                if 0 < num < den:
                    whole = int(m.group(1) or 0)
                    unit = f.value / den  # the scale: "1-1/2 billion dlrs"
                    f.value = (whole + num / den) * unit
                    f.start = m.start()
                    f.surface = text[f.start:f.end]
        prev_end = f.end


def _symbol_as_name(f: Figure, text: str, L, lc: _LangCtx) -> Figure | None:
    """'selon la DH 15 millions d'euros': the symbol is a newspaper's name. The figure
    loses it (and keeps a currency written after the number), or goes."""
    s = f.surface
    sym = next((x for x in lc.named_symbols if s.startswith(x)), None)
    if sym is None:
        return f
    before = re.search(r"([^\W\d_]+)[^\S\n]{1,3}\Z", text[max(0, f.start - 12):f.start])
    if before is None or norm_key(before.group(1)) not in lc.name_articles:
        return f
    rest = s[len(sym):]
    start = f.start + len(sym) + len(rest) - len(rest.lstrip())
    f.start, f.surface = start, text[start:f.end]
    tok, _how = _family_token(f, L)
    if tok is None:
        return None
    f.currency = shared().families.get(tok[1:], {}).get("default") or None if tok[0] == "@" else tok
    return f


def refine(text: str, L, figs: list[Figure], country: str | None) -> list[Figure]:
    """Page-level pass over the engine's figures: currencies in context, false money,
    page furniture."""
    if not figs:
        return figs
    lc = lang_ctx(L.code)
    # the false-money rules need one of a few words, a "p.m." or a "Q" on the page:
    # substring tests first, so most pages skip the per-figure checks
    if ".m" in text or ".M" in text or "Q" in text or any(
            w in text for w in lc.trigger_pieces):
        out = [f for f in figs if f.kind != "money" or not _false_money(f, text, lc)]
    else:
        out = figs
    if lc.named_symbols and any(x in text for x in lc.named_symbols):
        out = [g for g in (_symbol_as_name(f, text, L, lc) if f.kind == "money" else f
                           for f in out) if g is not None]
    if "/" in text:
        _fractions(out, text)
    _recolor(out, L, country, text)
    if "\n" in text:
        _mark_furniture(out, text)
    return out


# ------------------------------------------------------------------ engine hooks
def change_in_clause(ext, opener_start: int) -> bool:
    """A change verb in the clause before a range opener: 'portant ses cessions de'."""
    lc = lang_ctx(ext.L.code)
    if not lc.change_words and not lc.change_openers:
        return False
    low = ext.low
    lo = max(0, opener_start - 70)
    # one C-level search first: most openers have no change word before them at all
    if lc.change_re.search(low, lo, opener_start) is None:
        return False
    seg = low[lo:opener_start]
    cut = max(seg.rfind(c) for c in ".;:!?\n")
    if cut >= 0:
        seg = seg[cut + 1:]
    words = re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)?", seg)
    if any(w in lc.range_words for w in words):
        return False  # "estimée de 7 à 9 milliards": a spread of estimates
    return any(w in lc.change_words for w in words)


def change_opener(ext, num_start: int) -> bool:
    """'from the current $154,000 to': an opener that can only start a change."""
    lc = lang_ctx(ext.L.code)
    if not lc.change_openers:
        return False
    seg = norm_key(ext.low[max(0, num_start - 30):num_start])
    return seg.endswith(lc.change_openers)


def implied_currency(ext, start: int, end: int, prev_money, same_sentence: bool) -> str | None:
    """The currency a scaled number without one takes from its page, or None.

    In the same sentence as the previous amount (the engine's old rule) it takes that
    amount's currency. Further away it needs the nearest earlier amount on the page
    within _IMPLIED_REACH characters, or, with a money word around it ("de bénéfice",
    "a investi"), the currency of the page's country.
    """
    text = ext.text
    lc = lang_ctx(ext.L.code)
    om = ext.R["of"].match(text, end)
    money_after = False
    if om and om.end() > end and om.end() < len(text) and text[om.end()].isalpha():
        w = re.match(r"[^\W\d_]+", text[om.end():om.end() + 40])
        key = norm_key(w.group()) if w else ""
        if key not in lc.money_nouns:
            return None  # "près d'un million de producteurs": counts something
        money_after = True
    if prev_money is not None and same_sentence:
        return prev_money[1].currency
    if not money_after:
        # what follows the number must leave it an amount: "3 million retail
        # customers" counts customers, "500 millions dans ses activités" is money
        w = re.match(r"[^\S\n]{0,3}([^\W\d_]+)", text[end:end + 40])
        if w and norm_key(w.group(1)) not in lc.follow:
            return None
        lo = max(0, start - 60, text.rfind("\n", 0, start) + 1)  # this line only
        words = re.findall(r"[^\W\d_]+", ext.low[lo:start])
        if not any(w in lc.money_nouns and w not in lc.of_only for w in words):
            return None
    if prev_money is not None:
        pend, patom = prev_money
        if start - pend <= _IMPLIED_REACH and patom.currency:
            return patom.currency
        return None
    cc = ext.country or page_country(text, weak=True)
    return _data().country_currency.get(cc) if cc else None


def amount_may_end(ext, pos: int) -> bool:
    """Can an amount end at `pos`? Not before a noun it counts ("3 mn users")."""
    w = re.match(r"[^\S\n]{0,3}([^\W\d_]+)", ext.text[pos:pos + 40])
    return w is None or norm_key(w.group(1)) in lang_ctx(ext.L.code).follow


def implied(fig: Figure) -> Figure:
    """Flag a figure whose currency or scale came from its context."""
    fig.extra["implied"] = True
    return fig
