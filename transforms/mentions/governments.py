"""Governments a page does not name: "l'Etat", "le gouvernement", "the government",
"der Bund", and capitals standing for their government ("Ottawa accorde").

They resolve to the page's country (its country names, else agreeing nationality
adjectives, else the site's country); a page with no country gets no such mention.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from transforms import languages
from transforms.mentions.candidates import _AND, _overlaps
from transforms.mentions.context import mention_role
from transforms.mentions.countries import country_iso, government_iso
from transforms.mentions.lexicon import (
    _CUE_TOKEN,
    _NATIONALITY,
    LEXICONS,
    Lexicon,
    _data_lines,
    _emit_trie,
)
from transforms.mentions.records import Mention, _fold

# --------------------------------------------------------------------------- governments


def _load_governments():
    """mentions/data/governments.txt: country names, stand-in places, names per language."""
    names: dict[str, str] = {}  # country name -> ISO
    stand_ins: dict[str, str] = {}  # "Ottawa" -> "CA"
    by_lang: dict[str, dict[str, tuple[str, str]]] = {}  # lang -> ISO -> (government, state)
    section = None
    for ln in _data_lines("governments.txt"):
        if ln.startswith("[") and ln.endswith("]"):
            section = ln[1:-1]
            continue
        parts = [p.strip() for p in ln.split("|")]
        cc = parts[0]
        if section == "countries":
            for n in parts[1].split(";"):
                if n.strip():
                    names[n.strip()] = cc
            for n in parts[2].split(";") if len(parts) > 2 else ():
                if n.strip():
                    stand_ins[n.strip()] = cc
        elif section:
            gov_name = parts[1]
            state = parts[2] if len(parts) > 2 and parts[2] else gov_name
            by_lang.setdefault(section, {})[cc] = (gov_name, state)
    return names, stand_ins, by_lang


_COUNTRY_NAMES, _STAND_INS, _GOV_NAMES = _load_governments()
GOVERNMENT_NAMES = frozenset(n for t in _GOV_NAMES.values() for pair in t.values() for n in pair)
_GOV_FORMS = {_fold(n): n for n in GOVERNMENT_NAMES}


def _government_forms(mentions: list[Mention]) -> None:
    """A government written in another case ("le gouvernement du Québec") takes the
    listed form ("Gouvernement du Québec"), so the deal rules see one party, not two."""
    for m in mentions:
        if m.canonical[:1].islower():
            form = _GOV_FORMS.get(_fold(m.canonical))
            if form is not None:
                m.canonical = form


def _words_regex(words: Iterable[str]) -> re.Pattern[str]:
    """Case-sensitive finder for a list of names, a trie (see `_alternation`) that starts
    with a literal letter, so the regex engine skips in C to the next possible first
    letter; the caller checks the character before a match (`_word_start`)."""
    trie: dict[str, dict] = {}
    for w in set(words):
        node = trie
        for ch in w:
            node = node.setdefault(re.escape(ch) if ch != " " else r"[ \u00a0]", {})
        node[""] = {}
    return re.compile(rf"(?:{_emit_trie(trie)})(?![\w-])")


def _word_start(text: str, pos: int, before: str = "'’-") -> bool:
    """Whether `pos` starts a word: the character before it is no letter, digit or one
    of `before`."""
    if pos == 0:
        return True
    c = text[pos - 1]
    return not (c.isalnum() or c == "_" or c in before)


_COUNTRY_RE = _words_regex(_COUNTRY_NAMES)
_STAND_IN_RE = _words_regex(_STAND_INS)
_NATIONALITY_FORMS = {
    f: cc
    for form, cc in _NATIONALITY.items()
    if cc not in ("EU", "AF")  # a continent says nothing of a page's country
    for g in ((form, form + "s") if form.islower() and form[-1] not in "sx" else (form,))
    for f in (g, g.capitalize(), g.upper())
}
# behind a look-behind: nationality forms start with any letter, so the first-letter
# skip of `_words_regex` saves nothing and checking word starts first does
_NATIONALITY_RE = re.compile(r"(?<![\w-])" + _words_regex(_NATIONALITY_FORMS).pattern)
_ADJ_SLOT = r"(?P<adj>[^\W\d_][\w.-]*)"


def _government_res(lex: Lexicon) -> list[tuple[str, re.Pattern[str]]]:
    """("government" | "state", regex) for the [government] and [state] cue lines."""
    out = []
    for what in ("government", "state"):
        for p in lex.sections.get(what, []):
            body = p.replace("{adj}", _ADJ_SLOT)
            out.append((what, re.compile(rf"(?<![\w'’])(?:{body})(?![\w-])", re.IGNORECASE)))
    return out


_GOV_RES = {lang: _government_res(lex) for lang, lex in LEXICONS.items()}


def page_country(
    text: str, lex: Lexicon, mentions: Sequence[Mention], skip: Sequence[tuple[int, int]] = ()
) -> str | None:
    """The country a page is about, or None when it cannot be told.

    Country names win ("Japan's Kaito", "au Canada"), the most named first; without one,
    a nationality adjective, if all of them agree ("les côtes sénégalaises"). Names inside
    an organisation's name do not count, nor do adjectives that describe a party rather
    than a place: next to a name ("l'italien Marisub"), an organisation noun ("le
    laboratoire suisse", "Danish and Japanese investors") or a person's title.
    """
    # a government's or country's own name counts for its country ("Gobierno de Costa Rica")
    spans = sorted(
        [
            (m.start, m.end)
            for m in mentions
            if m.resolved_from != "description"
            and m.canonical not in GOVERNMENT_NAMES
            and country_iso(m.canonical) is None  # "Costa Rica" taken for a name
        ]
        + list(skip)
    )
    starts = [s for s, _ in spans]

    def inside(s: int, e: int) -> bool:
        return _overlaps(spans, starts, s, e)

    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for m in _COUNTRY_RE.finditer(text):
        if _word_start(text, m.start()) and not inside(m.start(), m.end()):
            cc = _COUNTRY_NAMES[m.group().replace("\u00a0", " ")]
            counts[cc] += 1
            first.setdefault(cc, m.start())
    named: Counter[str] = Counter()
    for gm in mentions:  # a government the page names outright weighs once more
        iso = government_iso(gm.canonical) if gm.resolved_from == "name" else None
        if iso is not None and iso in counts:
            counts[iso] += 1
            named[iso] += 1
    if counts:
        # on a tie, the country whose government the page names ("Gobierno de Costa
        # Rica") beats one listed in passing ("especialistas de Estados Unidos, España")
        return min(counts, key=lambda c: (-counts[c], -named[c], first[c]))
    found: set[str] = set()
    party = lex.party_nouns
    for m in _NATIONALITY_RE.finditer(text):
        s, e = m.span()
        if not _word_start(text, s, "-") or inside(s, e):  # "l'italien" counts
            continue
        before = _CUE_TOKEN.findall(text, max(0, s - 30), s)
        prev = [
            w.casefold()
            for w in before
            if w.casefold() not in lex.skippable or w.casefold() in party
        ]
        if prev and prev[-1] in party:
            continue
        after = _NEXT_WORDS.match(text, e)
        nxt = after.group(1, 2, 3) if after else ()
        words = [w for w in nxt if w]
        # "Danish and Japanese investors": skip a coordinated adjective
        if len(words) >= 2 and words[0].casefold() in _AND and words[1] in _NATIONALITY_FORMS:
            words = words[2:]
        if any(w.casefold() in party for w in words[:2]) or (
            words and words[0][:1].isupper() and inside(e + 1, e + 1 + len(words[0]))
        ):
            continue
        found.add(_NATIONALITY_FORMS[m.group()])
    return next(iter(found)) if len(found) == 1 else None


_NEXT_WORDS = re.compile(
    r"[ \u00a0]+([\w'’.-]+)(?:[ \u00a0]+([\w'’.-]+))?(?:[ \u00a0]+([\w'’.-]+))?"
)


def _government_mentions(
    text: str, lex: Lexicon, mentions: list[Mention], skip, skip_starts, site_country=None
) -> list[Mention]:
    """Mentions of a government that the page does not name: stand-in places as subjects
    ("Québec apportera un prêt", "Selon Bruxelles") and government nouns ("l'État", "the
    government", "der Bund"), resolved to the page's country (see `page_country`), else
    to `site_country`: "Le gouvernement a adopté le budget" on a Senegalese site."""
    names = _GOV_NAMES.get(lex.lang)
    if not names:
        return []
    spans = sorted((m.start, m.end) for m in mentions)
    starts = [s for s, _ in spans]
    out: list[Mention] = []

    def free(s: int, e: int) -> bool:
        return not (spans and _overlaps(spans, starts, s, e)) and not (
            skip and _overlaps(skip, skip_starts, s, e)
        )

    for m in _STAND_IN_RE.finditer(text):
        s, e = m.span()
        name = names.get(_STAND_INS[m.group().replace("\u00a0", " ")])
        if name is None or not _word_start(text, s) or not free(s, e):
            continue
        if re.match(r"[ \u00a0]+[A-ZÀ-Ý]|-", text[e : e + 2]):
            continue  # "Paris Saint-Germain", "London-listed": part of a name
        floor = max(text.rfind("\n", 0, s), text.rfind(". ", 0, s)) + 1
        if mention_role(text, s, lex, floor) == "oblique":
            continue  # "au Québec", "in Tokyo": a place
        out.append(Mention(m.group(), s, e, "org", name[0], "alias"))
    hits = []
    if any(v in text for v in lex.government_words):
        for what, rx in _GOV_RES.get(lex.lang, ()):
            for m in rx.finditer(text):
                if free(*m.span()):
                    hits.append((m, what))
    if hits:
        country = None
        for m, what in sorted(hits, key=lambda h: h[0].start()):
            adj = m.groupdict().get("adj")
            cc = _NATIONALITY_FORMS.get(adj) if adj else None
            end = m.end()
            if cc is None:
                if adj and adj.casefold() not in lex.adjectives and adj.casefold() not in _GOV_ADJ:
                    if m.end("adj") != m.end():
                        continue  # "the Modi government": some other government
                    end = m.start("adj") - 1  # "L'État apportera": not an adjective
                if country is None:
                    country = page_country(text, lex, mentions, skip) or site_country or ""
                cc = country
            name = names.get(cc or "")
            if name is None:
                continue
            canon = name[0] if what == "government" else name[1]
            surface = text[m.start() : end].rstrip()
            out.append(
                Mention(surface, m.start(), m.start() + len(surface), "org", canon, "description")
            )
    return out


# adjectives that do not change which government is meant
# 'the federal government': adjectives naming no country (languages/<lang>/words.toml).
_GOV_ADJ = languages.word_set("words.toml", "government_adjectives")
