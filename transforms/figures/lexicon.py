"""Compile a language lexicon (TOML data) into the regexes and tables the engine uses.

Why data + one compiler: every language needs the same machinery (number words, scale
words, currencies, units, qualifiers, range words), only the words differ. Keeping the
words in `transforms/languages/XX/figures.toml` means adding a language is adding data, and the
engine never branches on a language code. Files are read once, at first use, through
importlib.resources; nothing touches the disk at call time after that.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module, resources

from transforms import languages
from transforms.text.tries import END, START, WS, WS0, WS1, BackMatcher, norm_key, trie

# Languages are the folders of transforms/languages/ that hold a figures.toml (fr first),
# discovered once in `transforms.languages`.
LANGS = languages.LANGS

# Digits with optional grouping and decimals. Indian lakh grouping first, then
# grouped thousands (one separator kind, backreferenced), then plain. Every repetition is
# bounded; the final look-aheads refuse to stop inside a longer digit chain (1.1.1.1,
# IP addresses, dates like 12.03.2025).
_NUM_TMPL = (
    r"(?:{a}(?:,\d{{2}}){{1,4}},\d{{3}}(?:\.\d{{1,4}})?"
    r"|{b}(?P<g>[ \u00a0\u202f\u2009\u2007.,'’])\d{{3}}(?:(?P=g)\d{{3}}){{0,5}}(?:[.,]\d{{1,6}})?"
    r"|{c}(?:[.,]\d{{1,12}})?)(?!\d)(?![.,']\d)"
)
NUM = _NUM_TMPL.format(a=r"\d{1,2}", b=r"\d{1,3}", c=r"\d{1,20}")
# The same with its first digit already consumed (the anchor scan starts with \d so
# that `re` can skip to digits quickly).
_NUM_REST = _NUM_TMPL.format(a=r"\d?", b=r"\d{0,2}", c=r"\d{0,19}")
NUM_RE = re.compile(NUM)

# Every decimal digit (\d, Unicode Nd) is ASCII or at U+0660 and above (checked over
# all code points in tests/unit/test_extract_properties.py). A scan that starts with this
# class and confirms \d by a look-behind skips text with two range tests per
# character instead of a Unicode category lookup.
DIGIT_SUPERSET = "[0-9\u0660-\U0010ffff]"

_SYMBOL_CHARS = "$€£¥￥₹₨₩₺₽₪₦₱₫₴₸₵฿৳₮¢%％元"


def _load_toml(*parts: str, package: str | None = None) -> dict:
    ref = resources.files(package or __package__)
    for p in parts:
        ref = ref / p
    return tomllib.loads(ref.read_text(encoding="utf-8"))


@cache
def shared() -> Shared:
    return Shared(_load_toml("data", "shared.toml"))


class Shared:
    """Language-independent tables: ISO codes, symbols, families, units."""

    def __init__(self, d: dict) -> None:
        self.raw = d
        iso = d["iso4217"]
        self.codes = frozenset(iso["codes"].split())
        self.never_prefix = frozenset(iso["never_prefix"])
        self.lower_ok = frozenset(iso["lower_ok"].split())
        self.families = d["families"]
        self.cfa = d["cfa"]
        # Whole words, case-sensitive. Written first-letter-first (the word-start test
        # after that letter) so that a page scan jumps between candidate letters in C
        # instead of testing a look-behind at every character.
        self.central_re = re.compile(_word_scan(self.cfa["central_words"]))
        self.central_low = tuple(w.lower() for w in self.cfa["central_words"])
        self.west_re = re.compile(_word_scan(self.cfa["west_words"]))


def _word_scan(words) -> str:
    """START + trie(words) + END, with each branch led by its literal first letter."""
    groups: dict[str, list[str]] = {}
    for w in sorted(words, key=len, reverse=True):
        groups.setdefault(w[0], []).append(w[1:])
    branches = []
    for c, rests in sorted(groups.items()):
        body = trie([r for r in rests if r]) if any(rests) else ""
        if "" in rests and body:
            body = "(?:" + body + ")?"
        branches.append(re.escape(c) + r"(?<![^\W_].)" + body)
    return "(?:" + "|".join(branches) + ")" + END


@dataclass
class Lang:
    """Everything the engine needs for one language, compiled."""

    code: str
    decimal: str
    compound: bool
    words: dict[str, tuple[str, float]] = field(default_factory=dict)
    scale_words: dict[str, float] = field(default_factory=dict)
    scale_abbr: dict[str, float] = field(default_factory=dict)
    groups: dict[str, float] = field(default_factory=dict)
    cur_names: dict[str, str] = field(default_factory=dict)
    cur_syms: dict[str, str] = field(default_factory=dict)
    subunits: dict[str, str] = field(default_factory=dict)
    sub_syms: dict[str, str] = field(default_factory=dict)
    percent_words: dict[str, str] = field(default_factory=dict)
    percent_syms: dict[str, str] = field(default_factory=dict)
    unit_words: dict[str, tuple] = field(default_factory=dict)
    unit_syms: dict[str, tuple] = field(default_factory=dict)
    range_openers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    range_bare: frozenset = frozenset()
    and_words: frozenset = frozenset()
    re: dict = field(default_factory=dict)
    back: dict = field(default_factory=dict)


def _alts_sorted(words) -> list[str]:
    return sorted({w for w in words if w}, key=len, reverse=True)


def _ci(words) -> str:
    """Case-insensitive trie over lower-cased words (explicit [xX] classes, see trie)."""
    return "(?:" + trie(_alts_sorted(norm_key(w) for w in words), ci=True) + ")"


def _cs(words) -> str:
    """Case-sensitive trie."""
    return trie(_alts_sorted(words))


@cache
def load(code: str) -> Lang:
    """Compile the lexicon of `code` (one of LANGS); cached for the process."""
    if code not in LANGS:
        raise ValueError(f"unsupported language {code!r}")
    sh = shared()
    text = languages.read_text(code, "figures.toml")
    d = tomllib.loads(text)
    # A language whose pages need a normalised copy first (arabic.py) names its module;
    # the lexicon's words are folded the same way as those pages.
    normaliser = import_module(f".{d['meta']['normaliser']}", __package__) \
        if d["meta"].get("normaliser") else None
    if normaliser is not None:
        d = tomllib.loads(normaliser.fold_lexicon(text))
        normaliser.expand(d)
    meta = d["meta"]
    drop = {k: set(v) for k, v in (meta.get("drop_shared") or {}).items()}
    L = Lang(code=code, decimal=meta["decimal"], compound=bool(meta["compound_numbers"]))

    num = d["numbers"]
    for w, v in num["values"].items():
        L.words[norm_key(w)] = ("n", float(v))
    for w in num["hundreds"]:
        L.words[norm_key(w)] = ("h", 100.0)
    for w, v in num["fractions"].items():
        L.words[norm_key(w)] = ("f", float(v))
    for w, v in d["scales"]["words"].items():
        L.words[norm_key(w)] = ("s", float(v))
        L.scale_words[norm_key(w)] = float(v)
    articles = [norm_key(w) for w in num["articles"]]
    for w in articles:
        L.words.setdefault(w, ("n", 1.0))
    L.articles = frozenset(articles)
    # Articles that are not also number words ("a", "an"): never a digit inside a number.
    L.pure_articles = frozenset(a for a in articles if a not in {norm_key(w) for w in num["values"]})
    L.halves = frozenset(norm_key(w) for w in num["halves"])
    L.and_words = frozenset(norm_key(w) for w in num["and"])
    for w in num["and"]:
        L.words.setdefault(norm_key(w), ("c", 0.0))
    for w in num["point"]:
        L.words[norm_key(w)] = ("p", 0.0)
    for w in num["of"]:
        L.words.setdefault(norm_key(w), ("o", 0.0))
    L.scale_abbr = {k: float(v) for k, v in d["scales"]["abbreviations"].items()}
    # Scale words that mean one of them when no number comes first ("مليون دولار").
    L.bare_two = frozenset(norm_key(w) for w in d["scales"].get("alone_is_two", ()))
    L.bare_one = frozenset(norm_key(w) for w in d["scales"].get("alone_is_one", ())) | L.bare_two
    # Words a change verb may stand before "from" in verb-first languages (see _opener).
    L.change_gap = int(d["links"].get("change_gap_words", 0))
    L.groups = {norm_key(k): float(v) for k, v in d["vague"]["groups"].items()}

    def merged(section: str, lang_key: str | None = None) -> dict:
        out = {k: v for k, v in sh.raw.get(section, {}).items() if k not in drop.get(section, ())}
        out.update(d.get(lang_key or section, {}))
        return out

    L.cur_names = {norm_key(k): v for k, v in merged("currency_names").items()}
    L.cur_syms = dict(merged("currency_symbols"))
    L.subunits = {norm_key(k): v for k, v in merged("subunits").items()}
    L.sub_syms = dict(d.get("subunit_symbols", {}))
    L.sub_syms.setdefault("¢", "@dollar")
    L.subunits.pop("¢", None)
    L.percent_syms = dict(sh.raw["percent"])
    L.percent_words = {norm_key(k): v for k, v in d["percent"].items()}
    L.unit_syms = {k: tuple(v) for k, v in sh.raw["units"].items()}
    L.unit_syms.update({k: tuple(v) for k, v in d.get("unit_symbols", {}).items()})
    L.unit_words = {norm_key(k): tuple(v) for k, v in d["units"].items()}
    links = d["links"]
    L.range_openers = {norm_key(k): tuple(norm_key(x) for x in v)
                       for k, v in links["range_openers"].items()}
    L.range_bare = frozenset(norm_key(x) for x in links["range_connectors"]) | {"-", "–", "—"}
    L.and_words = L.and_words | frozenset(norm_key(x) for x in links["and"])
    nouns = [norm_key(n) for n in d["counts"]["nouns"]]
    L.nouns = frozenset(nouns)
    adjectives = [norm_key(a) for a in d["counts"]["adjectives"]]

    prefix_names = list(sh.raw["currency_prefix"]["names"]) + list(d["currency_prefix"]["names"])
    _compile(L, sh, d, nouns, adjectives, prefix_names)
    L.normaliser = normaliser
    if normaliser is not None:
        normaliser.setup(L, d)
    return L


def _compile(L: Lang, sh: Shared, d: dict, nouns, adjectives, prefix_names) -> None:
    R = L.re
    letter_syms = [s for s in L.cur_syms if s[0].isalpha()]
    other_syms = [s for s in L.cur_syms if not s[0].isalpha()]
    lower_codes = sorted(sh.lower_ok)

    src: dict[str, str] = {}  # sources of the readers that _compile_tails fuses
    # A currency token after a number (or anywhere we expect one).
    src["cur"] = (
        WS0 + "(?:(?P<s>" + _cs(other_syms) + ")"
        "|(?P<t>" + _cs(letter_syms) + r")(?![^\W\d_])"
        "|(?P<n>" + _ci(L.cur_names) + ")" + END +
        "|(?P<c>[A-Z]{3})" + r"(?![^\W\d_])"
        "|(?P<l>" + _ci(lower_codes) + ")" + END + ")"
    )
    # A prefix currency ending right before a number, matched on the reversed window.
    rev_other = [s[::-1] for s in other_syms]
    rev_letter = [s[::-1] for s in letter_syms]
    rev_names = [norm_key(n)[::-1] for n in prefix_names]
    R["prefix_rev"] = re.compile(
        "(?P<ws>" + WS + "{0,2})(?:(?P<t>" + _cs(rev_letter) + r")(?![^\W_])"
        "|(?P<s>" + _cs(rev_other) + ")"
        r"|(?P<c>[A-Z]{3})(?![^\W_])"
        "|(?P<n>" + _ci(rev_names) + r")(?![^\W_]))"
    )
    # Scale: words (case-insensitive, whole word) or abbreviations (case-sensitive; may be
    # glued to a currency: "MDH", "Md$", "MUSD").
    src["scale"] = (
        # "$350-million" (Canadian and British press): a hyphen before a scale word
        "(?:" + WS0 + "|-(?=[^\\W\\d_]{4}))(?:(?P<w>" + _ci(L.scale_words) + ")" + END +
        "|(?P<a>" + _cs(L.scale_abbr) + r")(?![a-z]))"
    )
    src["sub"] = (
        WS0 + "(?:(?P<n>" + _ci(L.subunits) + ")" + END +
        "|(?P<s>" + _cs(L.sub_syms) + r")(?![^\W_]))"
    )
    src["pct"] = (
        WS0 + "(?:(?P<s>" + _cs(L.percent_syms) + r")(?![^\W_])"
        "|(?P<n>" + _ci(L.percent_words) + ")" + END + ")"
    )
    src["unit"] = (
        WS0 + "(?:(?P<n>" + _ci(L.unit_words) + ")" + END +
        "|(?P<s>" + _cs(L.unit_syms) + r")(?![^\W_]))"
    )
    src["noun"] = (
        WS0 + "(?P<adj>" + _ci(adjectives) + WS1 + ")?(?P<n>" + _ci(nouns) + ")" + END
    )
    of_alts = []
    for w in d["links"]["of"]:
        k = norm_key(w)
        of_alts.append(re.escape(k).replace("'", "['’]") + (WS0 if k.endswith("'") else WS1))
    src["of"] = (WS0 + "(?i:" + "|".join(sorted(of_alts, key=len, reverse=True)) + ")"
                 if of_alts else "(?!)")
    ands = sorted(L.and_words, key=len, reverse=True)
    and_alt = "(?:" + trie(ci=True, words=ands) + ")" if ands else "(?!)"
    R["and"] = re.compile(WS1 + and_alt + WS1)
    # Connector between the two ends of a range.
    conn_words = set(L.range_bare) | {c for cs in L.range_openers.values() for c in cs}
    conn_words -= {"-", "–", "—"}
    R["conn"] = re.compile(
        WS0 + r"(?P<c>[-–—])" + WS0 + "|" + WS1 + "(?P<w>" + _ci(conn_words) + ")" + WS1
    )
    # One number word (token) for the number-word parser.
    word_keys = [k for k in L.words]
    if L.compound:
        R["word"] = re.compile(r"[^\W\d_]{1,40}")
        R["morph"] = re.compile("(?:" + trie(ci=True, words=_alts_sorted(word_keys)) + ")")
    else:
        R["word"] = re.compile("(?:" + trie(ci=True, words=_alts_sorted(word_keys)) + ")" + END)
    R["sep"] = re.compile(r"(?:[^\S\n]{1,3}|[-\u2010\u2011](?=[^\W\d_]))")
    halves = sorted(L.halves)
    # Point-decimal words: "one point three", "1 point 1".
    src["point"] = (
        WS1 + "(?:" + trie(ci=True, words=sorted(k for k, v in L.words.items() if v[0] == "p")) + ")" + WS1
        + r"(?P<d>\d{1,6}(?!\d))" if any(v[0] == "p" for v in L.words.values()) else "(?!)"
    )
    arts = sorted(L.articles)
    src["half"] = (
        WS1 + and_alt + WS1 + "(?:(?i:" + trie(arts) + ")" + WS1 + ")?(?i:" + trie(halves) + ")" + END
        if halves else "(?!)"
    )
    for k, v in src.items():
        R[k] = re.compile(v)
    _compile_tails(R, src)
    R["vague_of"] = re.compile(
        WS0 + "(?:(?i:" + trie(sorted(set(L.groups) | set(L.scale_words))) + "))" + END
    )
    inherit = [norm_key(w) for w in d["links"]["inherit"]]
    R["inherit"] = re.compile(
        WS0 + r"[,;(]?" + WS0 + "(?:" + trie(ci=True, words=_alts_sorted(inherit)) + ")" + WS1
        + r"(?=\d)" if inherit else "(?!)"
    )
    R["tail_ok"] = re.compile(WS0 + r"(?:[.,;:!?)\]»\"”]|$|\n)")

    # Back matchers (phrases ending right before a figure).
    B = L.back
    quals = {k: v for k, v in d["qualifiers"].items()}
    if L.code == "fr":
        quals.update({k[:-3] + " d'": v for k, v in d["qualifiers"].items() if k.endswith(" de")})
    arts_q = d["links"].get("qualifier_articles", [])
    contr = d["links"].get("of_contractions", {})
    if arts_q or contr:
        extra = {}
        for k, v in quals.items():
            for a in arts_q:
                extra[f"{k} {a}"] = v
            for full, short in contr.items():
                if k.endswith(" " + full):
                    extra[k[: -len(full)] + short] = v
        quals.update(extra)
    B["qual"] = BackMatcher(quals, max_len=60)
    B["ctx"] = BackMatcher(dict(d["context_qualifiers"]))
    dets = {k: "vague" for k in d["vague"]["determiners"]}
    B["det"] = BackMatcher(dets)
    B["art"] = BackMatcher({a: "approx" for a in arts})
    B["open"] = BackMatcher(dict(L.range_openers))
    B["change"] = BackMatcher({v: True for v in d["links"].get("change_verbs", [])})
    L.noun_neutral = frozenset(norm_key(w) for w in d["links"].get("noun_neutral", []))
    cues = [norm_key(c) for c in d["links"].get("estimate_cues", [])]
    L.estimate_cues = tuple(cues)
    R["estimate"] = re.compile(START + _ci(cues) + END) if cues else re.compile("(?!)")

    # The first end of a range written before the figure: "entre 2 et", "2-", "de 10 à".
    numwords = [k for k, v in L.words.items() if v[0] in "nhsf" and k not in L.articles]
    nw = "(?:" + trie(ci=True, words=_alts_sorted(numwords)) + ")"
    pointwords = [k for k, v in L.words.items() if v[0] == "p"]
    point_alt = ("(?:" + WS1 + _ci(pointwords) + WS1 + r"\d{1,6})?") if pointwords else ""
    R["back_range"] = re.compile(
        START + "(?P<num>(?:(?:" + _cs(other_syms) + ")" + WS + "{0,2})?" + NUM + point_alt
        + "|" + nw + r"(?:(?:[^\S\n]{1,3}|[-\u2010\u2011])" + nw + "){0,5}"
        + ")(?:" + WS1 + _ci(L.scale_words) + ")?"
        + "(?P<conn>" + WS0 + "[-–—]" + WS0 + "|" + WS1 + _ci(conn_words) + WS1 + r")\Z"
    )

    # ---- anchor scans ----
    suffix_words = (set(L.cur_names) | set(L.scale_words) | set(L.subunits)
                    | set(L.percent_words) | set(L.unit_words) | set(nouns) | set(adjectives)
                    | set(L.groups) | set(lower_codes))
    suffix_syms = set(L.cur_syms) | set(L.scale_abbr) | set(L.sub_syms) | set(L.percent_syms) \
        | set(L.unit_syms)
    look = ("(?=" + WS0 + "(?:" + _ci(suffix_words) + END + "|" + _cs(suffix_syms)
            + r"(?![a-z])|[A-Z]{3}(?![^\W_])|" + "[" + re.escape(_SYMBOL_CHARS) + "]))")
    R["look"] = re.compile(look)
    # Prefix currencies: a digit right after (0-1 blank) a symbol, an uppercase letter
    # (codes, RM, DH) or a dot (Rs.), or after the last two letters of a lower-case
    # ending token (Rs, Dhs, ringgit). Few look-behinds, each of one width, keep the
    # digit scan fast; prefix_before() then checks the exact token.
    prefix_tokens = set(L.cur_syms) | set(prefix_names)
    one = (set(_SYMBOL_CHARS) - {"%", "％", "¢"}) | {"."}
    two = set()
    for t in prefix_tokens:
        last = t[-1]
        if not last.isalpha() or last.isupper():
            if not last.isalpha():
                one.add(last)
        elif len(t) >= 2 and t.isalpha():
            two.add(t[-2:])
    R["prefix_two"] = frozenset(two)
    cls = "[A-Z" + "".join(re.escape(c) for c in sorted(one)) + "]"
    two_alt = "(?:" + "|".join(re.escape(t) for t in sorted(two)) + ")"
    lb = [f"(?<={cls}\\d)", f"(?<={cls}{WS}\\d)",
          f"(?<={two_alt}\\d)", f"(?<={two_alt}{WS}\\d)"]
    # (?<!\d\d): both branches need a non-digit before the first digit; testing that
    # once up front rejects the inner digits of every number at the cost of one test.
    R["anchor_d"] = re.compile(
        DIGIT_SUPERSET + r"(?<=\d)(?<!\d\d)(?:(?P<suf>(?<![^\W_]\d)(?<!\d[.,]\d)" + _NUM_REST + look + ")|(?P<pre>"
        + "|".join(lb) + "))"
    )
    # Number words (and vague group words) starting a figure.
    anchor_words = [k for k, v in L.words.items() if v[0] in "nhsf" and k not in L.articles]
    anchor_words += list(L.groups)
    tail = "" if L.compound else END
    # Articles start a figure only right before a scale, currency, fraction or group
    # word ("un milliard", "a dollar", "une dizaine"). This scan runs on the
    # lower-cased text (same length), so its trie is plain lower-case literals.
    low_words = sorted(set(L.scale_words) | set(L.cur_names) | set(L.subunits)
                       | {k for k, v in L.words.items() if v[0] in "fp"} | set(L.groups),
                       key=len, reverse=True)
    art_look = "(?=(?:" + trie(low_words) + ")" + END
    if halves:
        art_look += "|" + _lc(ands) + WS1 + "(?:" + _lc(arts) + WS1 + ")?" + _lc(halves)
    art_look += ")"
    # A look-ahead (not consuming the blanks) so that the group word after an article
    # ("une dizaine") is found by the scan as well.
    art_tail = "(?=" + WS1 + art_look
    if L.compound:
        glued = sorted({k for k, v in L.words.items() if v[0] in "hsc"})
        art_tail += "|" + _lc(glued)
    art_tail += ")"
    tails_map = {a: art_tail for a in L.articles}
    body = _literal_first(anchor_words + list(L.articles), tail=tail, tails=tails_map)
    # Two forms of one scan: the page start, and elsewhere the character before the
    # word (not a letter or digit) is consumed first. Why: a pattern that starts with
    # a character class lets `re` skip in C to the few positions that can precede a
    # word, instead of entering the word trie at every letter of the prose. On the
    # lower-cased page, "not a lower-case letter or digit of Latin-1" is a cheap
    # superset of those positions (a few range tests per character, where \W needs a
    # Unicode lookup); the look-behind then requires [\W_], after the look-ahead on
    # the first letters of the words, which rejects most blanks sooner.
    firsts = "".join(sorted({w[0] for w in anchor_words + list(L.articles)}))
    R["anchor_w0"] = re.compile(body)
    R["anchor_w"] = re.compile(
        "[^a-z0-9\u00df-\u00f6\u00f8-\u00ff](?=[" + re.escape(firsts) + r"])(?<=[\W_])(?P<w>"
        + body + ")"
    )
    # One question instead of three for most figures: does a range connector, a
    # qualifier (B["qual"]) or a context phrase (B["ctx"]) end right before the figure?
    # Three alternatives on the reversed page, tried in that order after the blanks:
    #   c: a dash, or a connector word not preceded by a letter or digit (the test
    #      for a back range: "entre 2 et", "10 - "; within 12 characters of the
    #      figure: checked below that no match reaches further),
    #   q: exactly B["qual"]'s pattern (same trie, same test, same window),
    #   x: the context phrases' reversed trie without the test (a superset).
    # No phrase starts with a blank, so only the position after all the blanks counts,
    # for R["before"] as for each of the three. Hence: no match, none of the three
    # matches; c: a connector; q: no connector, and B["qual"] is this match; x: no
    # connector, no qualifier. The engine asks the rest separately.
    conn_rev_words = {c[::-1] for c in conn_words}
    L.before_len = max(12, B["qual"].max_len, B["ctx"].max_len)
    conn_span = 3 + max((len(w) + 2 * w.count(" ") for w in conn_words), default=0)
    if L.before_len != B["qual"].max_len or conn_span >= 12:
        raise ValueError("R['before'] needs B['qual']'s window and connectors within 12 chars")
    R["before"] = re.compile(
        WS0 + "(?:(?P<c>[-–—]|" + trie(sorted(conn_rev_words, key=len, reverse=True), ci=True)
        + r"(?![^\W_]))|(?P<q>" + trie(B["qual"].rev_phrases, ci=True) + r")(?![^\W_])"
        "|(?P<x>" + trie(B["ctx"].rev_phrases, ci=True) + "))"
    )
    # Pages that hold none of these substrings (lower-cased) cannot match R["point"] or
    # B["ctx"] anywhere: one substring test per page instead of a regex call per figure.
    L.point_pieces = _page_pieces(k for k, v in L.words.items() if v[0] == "p")
    L.ctx_pieces = _page_pieces(B["ctx"].values)
    # A first, shorter test for the estimate-cue flag: five-letter heads of the cues
    # ("estim", "proje"). A page without any of them (most pages) holds no cue, after
    # two or three substring tests instead of one per cue. None: no such test.
    # Any run of letters of a cue would do; its longest (a content word, rarer than
    # "selon" or "according") and, among those, the head most cues share.
    cue_runs = []
    for cue in L.estimate_cues:
        runs = re.findall(r"[^\W\d_]+", cue)
        top = max((len(r) for r in runs), default=0)
        cue_runs.append({r[:5] for r in runs if len(r) == top})
    shared_by = Counter(h for runs in cue_runs for h in runs)
    heads = [max(sorted(runs), key=lambda h: shared_by[h]) if runs else "" for runs in cue_runs]
    L.cue_gate = None if "" in heads else _minimal(heads)
    # the same for the context-qualifier pieces ("estim", "évalu"); shared heads are
    # searched once per page
    L.ctx_gate = None if L.ctx_pieces is None else _minimal(p[:5] for p in L.ctx_pieces)


def _named(src: str, px: str) -> str:
    """`src` as a non-capturing group, its named groups renamed `px` + name."""
    return "(?:" + re.sub(r"\(\?P<(\w+)>", lambda m: "(?P<" + px + m.group(1) + ">", src) + ")"


def _compile_tails(R: dict, src: dict[str, str]) -> None:
    """Fused readers for what follows a number: several `match` calls become one.

    parse_atom tries, after a number, the scale, then a currency, a sub-unit, a
    percent, a unit and a counted noun, each an anchored `match` at the same place,
    in that order. An alternation of the same patterns in the same order matches
    exactly what the first of them that matches would (the branches are independent
    and nothing follows them), in one call; `lastgroup` (the inner group that closed
    last: S*, C*, ...) tells which one it was. After a scale word the order is: next
    scale, "and a half", "of" + currency, currency, percent, unit, noun, "of" +
    unit/noun (R["t_word"]); the engine uses the same pattern where it needs only a
    prefix of that list (after an abbreviation, after "and a half", after a prefix
    currency) and reads a match in a later branch as "the earlier ones failed".
    `(?>...)` keeps "of" from backtracking into a shorter match than the one a lone
    `match` would return. Two patterns only: each costs compile time per language.
    """
    sc, cur, sub, pct = src["scale"], src["cur"], src["sub"], src["pct"]
    unit, noun, of, half = src["unit"], src["noun"], src["of"], src["half"]
    # After a bare number an abbreviation counts as a scale only if a scale or a
    # currency follows it ("22,5 Md$", not "500 MW"): the sequential reader takes it
    # back otherwise and tries the rest at the number. Here the conditional (?(Sa)...)
    # fails the scale branch in that case and the alternation goes on at the number,
    # as it does; the atomic group keeps the abbreviation the one a lone `match` finds.
    # What follows it is captured inside the look-ahead (T*: currency, X: scale).
    plain_scale = re.sub(r"\(\?P<\w+>", "(?:", sc)
    R["t_num"] = re.compile("|".join([
        # ("1,2 mld di euro": the abbreviation may take "of" before its currency)
        "(?>" + _named(sc, "S") + ")(?(Sa)(?=(?P<X>" + plain_scale + ")|(?>" + of + ")?"
        + _named(cur, "T") + "))",
        _named(cur, "C"), _named(sub, "B"), _named(pct, "P"), _named(unit, "U"),
        _named(noun, "N")]))
    R["t_word"] = re.compile("|".join([
        _named(sc, "S"), "(?P<H>" + half + ")", "(?>" + of + ")" + _named(cur, "K"),
        _named(cur, "C"), _named(pct, "P"), _named(unit, "U"), _named(noun, "N"),
        "(?>" + of + ")(?:" + _named(unit, "V") + "|" + _named(noun, "M") + ")"]))


def _case_safe(ch: str) -> bool:
    """Whatever `trie(ci=True)` lets match `ch` lowers (as Extraction.low does) to `ch`."""
    lo, up = ch.lower(), ch.upper()
    variants = {lo, up} if lo != up and len(lo) == 1 and len(up) == 1 else {ch}
    return all((x.lower() if len(x.lower()) == 1 else x) == ch for x in variants)


def _page_pieces(phrases) -> tuple[str, ...] | None:
    """Substrings of the lower-cased page that every match of these phrases contains.

    The phrases are keys of a `trie(ci=True)` pattern (spaces match any blanks,
    apostrophes and hyphens several characters), so each contributes its longest run
    of letters, kept only if its letters are case-safe. None means "cannot tell":
    the engine then always runs the pattern.
    """
    out = set()
    for ph in phrases:
        runs = re.findall(r"[^\W\d_]+", ph)
        piece = max(runs, key=len) if runs else ""
        if not piece or not all(_case_safe(c) for c in piece):
            return None
        out.add(piece)
    return _minimal(out)


def _minimal(pieces) -> tuple[str, ...]:
    """Drop the pieces that contain another one: they add nothing ("estimada", "estima")."""
    out = set(pieces)
    return tuple(sorted(p for p in out if not any(o != p and o in p for o in out)))


def _lc(words) -> str:
    return "(?:" + trie(sorted(set(words), key=len, reverse=True)) + ")"


def _literal_first(words, *, tail: str, tails: dict[str, str]) -> str:
    """Lower-case trie with one top-level branch per first letter.

    Why: when every top-level branch starts with a plain literal, `re` builds a
    first-character set and jumps over all other positions in C, and rejects a branch
    by its literal without entering it. Run on the lower-cased text (same length), so
    no case folding is needed. The caller makes sure the word starts a word.
    """
    groups: dict[str, dict[str, str]] = {}
    for w in words:
        groups.setdefault(w[0], {})[w[1:]] = tails.get(w, tail)
    branches = []
    for c, rests in sorted(groups.items()):
        body = trie(sorted((r for r in rests if r), key=len, reverse=True),
                    {r: t for r, t in rests.items() if r})
        if "" in rests:
            body = "(?:" + (body + "|" if body != "(?!)" else "") + rests[""] + ")"
        branches.append(re.escape(c) + body)
    return "(?:" + "|".join(branches) + ")"
