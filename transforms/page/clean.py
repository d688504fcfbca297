"""Remove page furniture and find title, publication-time text and article body.

Two sources of evidence, because neither is enough alone:

* **rules** — data in transforms/languages/XX/furniture.txt plus transforms/page/furniture/common.txt,
  for furniture every site shares: "Publicité", prayer-time widgets, cookie notices,
  "Lire la suite", share links, footers. Every language's rules run on every page: a
  French page carries an English "Advertising" label, and anchored rules are cheap.
* **recurrence** — `recurring_lines` finds short lines that appear on many pages of the
  same site (menus, taglines, widgets nobody wrote a rule for). Long paragraphs
  (> RECURRING_MAX_CHARS) are never furniture by recurrence alone, so a syndicated
  paragraph repeated across pages is not deleted.

Then a little structure: the title is the first title-like line of the header (a line
repeated further down, as the seed's repeated title, wins; so does a line next to the
dateline); everything above the title is furniture; the dateline and repeats of the
title are dropped; trailing short non-prose lines after the last paragraph go too.

Offsets: `text` is the decoded, newline-normalised page (see transforms.page.ingest), and
"raw offsets" everywhere index into it. Body lines are stripped of surrounding blanks;
lines adjacent in `text` are joined by their own "\\n"; lines separated by blank or
dropped lines are joined by "\\n\\n", and both separator characters map to the offset
of the "\\n" that ends the preceding kept line. So `text[body_map[i]] == body[i]` holds
for every body character, separators included.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources

from transforms.contract.pages import BodyMap
from transforms.page.language import LANGS, detect_language
from transforms.page.published import find_date, looks_like_date_line

RECURRING_MAX_CHARS = 300  # longer lines are paragraphs: never furniture by recurrence
RULE_MAX_CHARS = 300  # exact/prefix/regex rules only look at lines up to this length
CONTAINS_MAX_CHARS = 1500  # cookie notices can be long, but not whole articles
DATELINE_MAX_CHARS = 100
PROSE_MIN_CHARS = 200
MASK_DIGITS_MAX_CHARS = 60  # recurrence ignores digits only on lines this short

_EDGE = " \t\u00a0•·*-–—|›»«<>→←…:.!+#▶►■□◆◇●○✓✔"


def _fold_apostrophes(s: str) -> str:
    """’ ‘ ʼ -> ' (str.translate with a dict is ~20x slower on non-ASCII text)."""
    if "’" in s:
        s = s.replace("’", "'")
    if "‘" in s:
        s = s.replace("‘", "'")
    if "ʼ" in s:
        s = s.replace("ʼ", "'")
    return s


_DIGIT = re.compile(r"\d")
_SENTENCE_END = (".", "!", "?", "…", "»", '"', "”", ")")


def normalise_line(line: str, *, mask_digits: bool = True) -> str:
    """Key used for rules and recurrence: case, blanks, bullets, apostrophes, digits folded.

    Digits become "0" so a prayer widget or a "3 commentaires" counter that changes
    every page still recurs.
    """
    key = _fold_apostrophes(" ".join(line.split()).lower())
    if mask_digits:
        key = _DIGIT.sub("0", key)
    return key.strip(_EDGE)


def recurrence_key(line: str) -> str:
    """normalise_line for recurrence: digits masked on short lines only.

    Widgets and counters are short; a sentence that differs from page to page only by
    its figures ("Le MASI a clôturé à 12 345 points") is content, not furniture.
    """
    return normalise_line(line, mask_digits=len(line) <= MASK_DIGITS_MAX_CHARS)


def _core(line: str) -> str:
    """Line with blanks collapsed and edge bullets removed, case and digits kept."""
    return " ".join(line.split()).strip(_EDGE)


# ---------------------------------------------------------------- rules (loaded from data)


@dataclass(frozen=True, slots=True)
class Rules:
    """Compiled furniture rules (union of all language files)."""

    exact: frozenset[str]
    prefix: tuple[str, ...]
    contains: tuple[str, ...]
    regex: re.Pattern[str] | None
    block: frozenset[str]
    blockprefix: tuple[str, ...]
    # "contains" needles grouped by their longest word: one cheap `in` test per word
    # rejects almost every line before the needles themselves are tried
    anchors: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def match_short(self, key: str, line: str) -> tuple[bool, bool]:
        """(is furniture, starts a block) for a line of at most RULE_MAX_CHARS."""
        if key in self.block or (self.blockprefix and key.startswith(self.blockprefix)):
            return True, True
        if key in self.exact or (self.prefix and key.startswith(self.prefix)):
            return True, False
        if self.regex is not None and self.regex.fullmatch(_core(line)):
            return True, False
        return self._contains(key)

    def match_long(self, line: str) -> tuple[bool, bool]:
        """Only "contains" rules apply to long lines (cookie notices), and only up to a limit.

        Anchors are first looked for without their first letter in the line as is
        ("ookies" finds "Cookies"), so most paragraphs are never lower-cased.
        """
        if len(line) > CONTAINS_MAX_CHARS or not any(a[1:] in line for a, _ in self.anchors):
            return False, False
        return self._contains(_fold_apostrophes(line.lower()))

    def _contains(self, low: str) -> tuple[bool, bool]:
        for anchor, needles in self.anchors:
            if anchor in low and any(n in low for n in needles):
                # a copyright notice ends the article like a footer heading does
                return True, "droits réservés" in low or "rights reserved" in low
        return False, False


RULE_KINDS = ("exact", "prefix", "contains", "regex", "block", "blockprefix")


def parse_rules(lines: Iterable[str]) -> dict[str, list[str]]:
    """Parse rule-file lines "KIND CATEGORY PATTERN" (comments with #) into kind -> patterns."""
    out: dict[str, list[str]] = {k: [] for k in RULE_KINDS}
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(None, 2)
        if len(parts) != 3 or parts[0] not in out:
            raise ValueError(f"bad furniture rule: {raw!r}")
        kind, _category, pattern = parts
        out[kind].append(pattern if kind == "regex" else normalise_line(pattern))
    return out


def compile_rules(parsed: dict[str, list[str]]) -> Rules:
    """Turn parsed patterns into set/tuple/regex lookups (one combined regex)."""
    regex = None
    if parsed["regex"]:
        regex = re.compile("|".join(f"(?:{p})" for p in parsed["regex"]), re.IGNORECASE)
    # anchor = the needle word shared by most needles ("cookies", "newsletter"), so a
    # handful of `in` tests reject a line instead of one per needle
    word_freq = Counter(w for needle in parsed["contains"] for w in set(needle.split()))
    by_anchor: dict[str, list[str]] = {}
    for needle in parsed["contains"]:
        anchor = max(needle.split(), key=lambda w: (word_freq[w] if len(w) > 3 else 0, len(w)))
        by_anchor.setdefault(anchor, []).append(needle)
    return Rules(
        anchors=tuple((a, tuple(ns)) for a, ns in by_anchor.items()),
        exact=frozenset(parsed["exact"]),
        prefix=tuple(parsed["prefix"]),
        contains=tuple(parsed["contains"]),
        regex=regex,
        block=frozenset(parsed["block"]),
        blockprefix=tuple(parsed["blockprefix"]),
    )


def load_rules(langs: Iterable[str] = ("common", *LANGS)) -> Rules:
    """Rules from page/furniture/common.txt and each languages/<lang>/furniture.txt."""
    merged: dict[str, list[str]] = {k: [] for k in RULE_KINDS}
    common = resources.files("transforms.page.furniture")
    langs_root = resources.files("transforms.languages")
    for lang in langs:
        if lang == "common":
            res = common.joinpath("common.txt")
        else:
            res = langs_root.joinpath(lang, "furniture.txt")
        if not res.is_file():
            continue
        for kind, pats in parse_rules(res.read_text(encoding="utf-8").splitlines()).items():
            merged[kind].extend(pats)
    return compile_rules(merged)


RULES = load_rules()

# Verdicts for short lines under the default rules, keyed by the stripped line. Menus,
# widgets and footers repeat across thousands of pages, so most lookups hit.
_SHORT_CACHE: dict[str, tuple[str, bool, bool]] = {}
_CACHE_MAX = 200_000


# ---------------------------------------------------------------- recurrence


_RKEY_CACHE: dict[str, str] = {}


def _page_keys(text: str) -> set[str]:
    """Recurrence keys of a page's short lines (cached: furniture lines repeat a lot)."""
    keys = set()
    cache = _RKEY_CACHE
    for line in text.split("\n"):
        s = line.strip()
        if s and len(s) <= RECURRING_MAX_CHARS:
            key = cache.get(s)
            if key is None:
                key = recurrence_key(s)
                if len(cache) >= _CACHE_MAX:
                    cache.clear()
                cache[s] = key
            if key:
                keys.add(key)
    return keys


def page_line_keys(text: str) -> frozenset[str]:
    """The recurrence keys a page contributes to its site's furniture statistics.

    The flow records these per page in the warehouse (furniture_lines), so a later run
    adds only its new pages' keys and never reads old pages again.
    """
    return frozenset(_page_keys(text))


def furniture_from_counts(
    pages: int, counts: Mapping[str, int], *, min_pages: int = 3, min_share: float = 0.5
) -> frozenset[str]:
    """The furniture of one site from its statistics: `pages` seen, pages per line key.

    A key is furniture when at least `min_pages` pages and `min_share` of the site's
    pages carry it; a site with fewer than `min_pages` pages has none yet. The same
    rule whether the counts come from texts in memory or from the warehouse.
    """
    if pages < min_pages:
        return frozenset()
    need = max(min_pages, min_share * pages)
    return frozenset(k for k, c in counts.items() if c >= need)


def recurring_lines(
    texts_by_site: dict[str, list[str]], *, min_pages: int = 3, min_share: float = 0.5
) -> dict[str, frozenset[str]]:
    """Normalised short lines found on at least `min_pages` and `min_share` of a site's pages.

    A line counts once per page. Sites with fewer than `min_pages` pages get an empty
    set: there is no evidence yet. Lines longer than RECURRING_MAX_CHARS are ignored.
    """
    out: dict[str, frozenset[str]] = {}
    for site, texts in texts_by_site.items():
        counts: Counter[str] = Counter()
        if len(texts) >= min_pages:
            for text in texts:
                counts.update(_page_keys(text))
        out[site] = furniture_from_counts(len(texts), counts, min_pages=min_pages,
                                          min_share=min_share)
    return out


def guess_site(
    text: str, furniture_by_site: Mapping[str, frozenset[str]], *, min_lines: int = 3
) -> str | None:
    """The site whose recurring furniture this page shares most (at least `min_lines`).

    For pages that arrive without sidecar or url: the menu, widget and footer lines
    they share with a known site's other pages identify it better than anything else.
    """
    keys = _page_keys(text)
    best, best_n = None, min_lines - 1
    for site, lines in furniture_by_site.items():
        if not site or not lines:
            continue
        n = len(keys & lines)
        if n > best_n:
            best, best_n = site, n
    return best


# ---------------------------------------------------------------- page cleaning


@dataclass(slots=True)
class Cleaned:
    """Result of clean_page; offsets are into the decoded, newline-normalised text."""

    title: str | None
    title_start: int
    body: str
    body_map: BodyMap
    lang: str
    published_text: str | None
    published_start: int = -1  # raw offset of published_text, -1 if none
    dropped_lines: list[str] = field(default_factory=list)


def _is_prose(s: str) -> bool:
    """Looks like an article paragraph rather than a label, link or list item."""
    return len(s) >= PROSE_MIN_CHARS or (s.endswith(_SENTENCE_END) and s.count(" ") >= 5)


def _title_like(s: str) -> bool:
    words = s.count(" ") + 1
    if not 3 <= words <= 40 or len(s) > RULE_MAX_CHARS or s.endswith((":", ";", ",")):
        return False
    # breadcrumbs "Accueil > Économie > Finance" and link bars "A | B | C"
    return sum(s.count(c) for c in ">|›»/") < 2


def _dateline(s: str, header: bool) -> tuple[int, str] | None:
    """(offset in s, matched text) when `s` is a publication-time line."""
    if len(s) > DATELINE_MAX_CHARS:
        return None
    m = find_date(s)
    if m is not None:
        covered = (m.end - m.start) / max(1, len(s))
        if covered >= (0.4 if header else 0.5) or (header and looks_like_date_line(s)):
            return m.start, m.text
        return None
    if header and looks_like_date_line(s):
        return 0, s  # only dateparser can read it; prepare_page will try
    return None


def clean_page(
    text: str,
    *,
    site: str | None = None,
    furniture: frozenset[str] = frozenset(),
    lang_hint: str | None = None,
    rules: Rules | None = None,
) -> Cleaned:
    """Split `text` into title, publication-time text and article body (see module doc).

    `furniture` is this site's entry from `recurring_lines` (normalised lines);
    `lang_hint` (e.g. the sidecar's "lang") is trusted when it is one of LANGS,
    otherwise the language is detected on the body. `site` is informational for now.
    """
    del site  # reserved for per-site rule files; recurrence already works per site
    cache = _SHORT_CACHE if rules is None or rules is RULES else None
    rules = rules or RULES
    # ---- 1. lines with stripped spans, rule and recurrence verdicts
    starts: list[int] = []
    ends: list[int] = []
    lineno: list[int] = []
    strs: list[str] = []
    keys: list[str] = []
    rule_drop: list[bool] = []
    recurring: list[bool] = []
    block_mode = False
    off = 0
    for no, line in enumerate(text.split("\n")):
        s = line.strip()
        if s:
            lead = len(line) - len(line.lstrip())
            st = off + lead
            n = len(s)
            if n <= RULE_MAX_CHARS:
                cached = cache.get(s) if cache is not None else None
                if cached is None:
                    key = normalise_line(s)
                    cached = (key, *(rules.match_short(key, s) if key else (True, False)))
                    if cache is not None:
                        if len(cache) >= _CACHE_MAX:
                            cache.clear()
                        cache[s] = cached
                key, hit, block = cached
            else:
                key = ""
                hit, block = rules.match_long(s)
            if hit:
                block_mode = block_mode or block
            elif block_mode and not _is_prose(s):
                hit = True
            else:
                block_mode = False
            starts.append(st)
            ends.append(st + n)
            lineno.append(no)
            strs.append(s)
            keys.append(key)
            rule_drop.append(hit)
            recurring.append(
                not hit
                and n <= RECURRING_MAX_CHARS
                and bool(furniture)
                and (key if n <= MASK_DIGITS_MAX_CHARS else recurrence_key(s)) in furniture
            )
        off += len(line) + 1
    n_lines = len(strs)
    kept = [not (rule_drop[i] or recurring[i]) for i in range(n_lines)]

    # ---- 2. header zone: everything before the first prose paragraph
    first_prose = next((i for i in range(n_lines) if kept[i] and _is_prose(strs[i])), n_lines)

    # ---- 3. publication-time line (recurring lines still count: "Hier 00:00" recurs)
    date_i = -1
    published_text: str | None = None
    published_start = -1
    for header, rng in ((True, range(first_prose)), (False, range(first_prose, n_lines))):
        for i in rng:
            if rule_drop[i]:
                continue
            hit = _dateline(strs[i], header)
            if hit is not None:
                date_i, published_start = i, starts[i] + hit[0]
                published_text = hit[1]
                break
        if date_i >= 0:
            break

    # ---- 4. title
    cands = [i for i in range(first_prose) if kept[i] and i != date_i and _title_like(strs[i])]
    title_i = -1
    if cands:
        key_counts = Counter(keys[i] for i in range(n_lines) if kept[i] or i == date_i)
        repeated = [i for i in cands if key_counts[keys[i]] > 1]
        if repeated:
            title_i = repeated[0]
        elif date_i >= 0 and any(abs(i - date_i) <= 2 for i in cands):
            near = [i for i in cands if abs(i - date_i) <= 2]
            before = [i for i in near if i < date_i]
            title_i = before[-1] if before else near[0]
        else:
            plain = [i for i in cands if not strs[i].endswith(_SENTENCE_END) and strs[i].count(" ") >= 4]
            title_i = plain[0] if plain else cands[0]
    title_key = keys[title_i] if title_i >= 0 else None

    # ---- 5. body lines
    body_idx = [
        i
        for i in range(title_i + 1, n_lines)
        if kept[i] and i != date_i and keys[i] != title_key
    ]
    # trailing labels after the last paragraph ("(Avec AFP)", an unknown menu, ...)
    last_prose = max((j for j, i in enumerate(body_idx) if _is_prose(strs[i])), default=-1)
    if last_prose >= 0:
        body_idx = body_idx[: last_prose + 1] + [
            i for i in body_idx[last_prose + 1 :] if len(strs[i]) > 80 or _is_prose(strs[i])
        ]
    in_body = set(body_idx)
    dropped = [strs[i] for i in range(n_lines) if i not in in_body and i != title_i]

    # ---- 6. body text and map
    parts: list[str] = []
    body_map = BodyMap()
    prev = -1
    for i in body_idx:
        if prev >= 0:
            nl = ends[prev]  # the "\n" ending the previous kept line (trailing blanks: next best)
            if text[nl] != "\n":
                nl = text.index("\n", nl)
            if lineno[i] == lineno[prev] + 1:
                parts.append("\n")
                body_map.append_run(nl, 1)
            else:
                parts.append("\n\n")
                body_map.append_run(nl, 1)
                body_map.append_run(nl, 1)
        parts.append(strs[i])
        body_map.append_run(starts[i], ends[i] - starts[i])
        prev = i
    body = "".join(parts)

    # ---- 7. language
    hint = (lang_hint or "").split("-")[0].split("_")[0].lower()
    lang = hint if hint in LANGS else detect_language(body or text, default="fr")

    title = strs[title_i] if title_i >= 0 else None
    return Cleaned(
        title=title,
        title_start=starts[title_i] if title_i >= 0 else -1,
        body=body,
        body_map=body_map,
        lang=lang,
        published_text=published_text,
        published_start=published_start,
        dropped_lines=dropped,
    )

