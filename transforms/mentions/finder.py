"""Organisations, people, projects and funds named in a page, and their entities.

Why rules and not a statistical NER: the pipeline runs on 10,000+ pages per batch, offline,
and must keep extraction within 2x of the figure extractor's time. A small French model
tags "SoftBank" as MISC and "Masayoshi Son" as a place on our seed page; a few cheap cues
do better on business news and never need a download:

- shape: capitalised runs ("Arm Holdings", "T-Mobile US"), inner capitals ("SoftBank",
  "OpenAI"), acronyms ("OCP"), legal suffixes ("SA", "Inc.", "Group", "Holdings");
- a curated seed list (mentions/data/seed_entities.txt), longest match first, that also
  holds places so "Afrique du Sud" or "Wall Street" never become organisations;
- context: "le groupe japonais X", "la société X", "X's chief executive" make X an
  organisation; "le projet X" a project; "dirigé par X Y", "PDG", "said", a known given
  name or "M."/"Mr" make "X Y" a person;
- sentence-initial capitals, months, days, countries and frequent capitalised words are
  not names unless the seed list, a strong shape, or another mention on the page says so;
- descriptions ("le conglomérat japonais", "L'entreprise", "the company") resolve to the
  most recent compatible organisation in the same or previous sentences (country and
  sector must agree where known); subjects win over objects of a preposition.

- governments the page does not name: "l'État", "le gouvernement", "the government",
  "der Bund" are the government of the page's country (its country names, else its
  nationality adjectives when they agree and describe places, not parties: "les côtes
  sénégalaises" but not "l'italien Marisub"); a capital as a subject ("Ottawa accorde",
  "Selon Bruxelles") is the government it stands for (mentions/data/governments.txt). A
  page that names no country gets no such mention.

Cue words live in languages/<lang>/mention_cues.txt (fr, en, es, pt, de), read once at import:
nothing here does I/O at call time.

`resolve_entities` merges mentions across pages by (kind, key), where the key drops
articles, accents, case and legal suffixes ("SoftBank Group Corp." and "le groupe
SoftBank" are "softbank"); `entity_id` is a stable hash of that pair, so the flow can
map a mention or a deal's actor to its `dim_entity` row without a lookup table.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from transforms.mentions.arabic import find_arabic_mentions
from transforms.mentions.candidates import _candidates, _overlaps, _TitleLines, _token_kind_words
from transforms.mentions.descriptions import _descriptions
from transforms.mentions.governments import _government_forms, _government_mentions
from transforms.mentions.lexicon import _LEGAL, _LOWER_RE, GAZETTEER, lexicon
from transforms.mentions.people import _pronoun_mentions, _titled_people
from transforms.mentions.records import _SEED_BY_KEY, Mention, canonical_key, seed_entry


def find_mentions(
    text: str,
    lang: str,
    *,
    spans_to_skip: Iterable[tuple[int, int]] = (),
    country: str | None = None,
) -> list[Mention]:
    """Mentions of organisations, people, projects and funds in `text`, in text order.

    `spans_to_skip` are (start, end) spans that cannot hold a name (money figures, page
    furniture): a candidate overlapping one is dropped. Offsets index `text` in code points.
    `country` (ISO 3166 alpha-2) is the site's: "le gouvernement" of a page that names no
    country is that country's (a national site writes about its own government).
    Arabic has no capitals: its mentions come from head nouns and lists
    (`transforms.mentions.arabic`).
    """
    if (lang or "")[:2] == "ar":
        return find_arabic_mentions(text, spans_to_skip, country)
    lex = lexicon(lang)
    skip = sorted(spans_to_skip)
    skip_starts = [s for s, _ in skip]
    title_lines = _TitleLines(text)
    found, deferred, seed_country, sector = _candidates(text, lex, skip, skip_starts, title_lines)
    if _LOWER_RE is not None:
        for m in _LOWER_RE.finditer(text):
            if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "-_"):
                continue
            entry = GAZETTEER[m.group()]
            if not (skip and _overlaps(skip, skip_starts, m.start(), m.end())):
                found.append(
                    (
                        m.start(),
                        m.end(),
                        m.group(),
                        entry.kind,
                        entry.canonical,
                        "name" if m.group() == entry.canonical else "alias",
                    )
                )

    # Page-level aliases: "Altman" after "Sam Altman", "Arm" after "Arm Holdings".
    by_key: dict[str, tuple[str, str]] = {}
    last_names: dict[str, tuple[str, str] | None] = {}
    heads: dict[str, tuple[str, str] | None] = {}
    for _s, _e, surface, kind, canon, _how in found:
        by_key.setdefault(canonical_key(canon), (kind, canon))
        by_key.setdefault(canonical_key(surface), (kind, canon))
        toks = surface.split()
        ck = canonical_key(canon)
        if kind == "person" and len(toks) >= 2:
            prev = last_names.get(toks[-1], (kind, canon))
            same = prev is not None and canonical_key(prev[1]) == ck
            last_names[toks[-1]] = (
                (prev if same else None) if toks[-1] in last_names else (kind, canon)
            )
        # "Rivian R1T", "Airbus A350": a model code makes a product, whose maker keeps
        # its own short name
        if (
            kind in ("org", "fund")
            and len(toks) >= 2
            and not _token_kind_words(lex, toks[0])
            and not any(c.isdigit() for c in toks[-1])
        ):
            for n in range(1, len(toks)):
                prefix = " ".join(toks[:n])
                # Two names that start alike ("Albion Grocers", "Albion Direct"): the first
                # named on the page, usually the story's subject, keeps the short form;
                # none does when the page named the short form alone before ("Casino
                # cède ...", then "Casino Supermarchés": a unit of Casino).
                if prefix not in heads and _named_alone_before(text, prefix, toks[n], _s):
                    heads[prefix] = None
                heads.setdefault(prefix, (kind, canon))

    def page_alias(surface: str) -> tuple[str, str] | None:
        hit = by_key.get(canonical_key(surface))
        if hit is not None and hit[1] != surface:
            return hit
        longer = heads.get(surface) or (last_names.get(surface) if " " not in surface else None)
        return longer or hit

    mentions: list[Mention] = []
    for s, e, surface, kind, canon, how in found:
        seed = seed_entry(kind, canon) if how == "name" and canon == surface else None
        if seed is not None and seed.canonical != surface:
            canon, how = seed.canonical, "alias"
        elif how == "name" and canon == surface and seed is None:
            hit = page_alias(surface)
            if hit is not None and hit[1] != surface:
                kind, canon, how = hit[0], hit[1], "alias"
        mentions.append(Mention(surface, s, e, kind, canon, how))
    for s, e, surface, _why in deferred:
        hit = page_alias(surface)
        if hit is not None:
            mentions.append(
                Mention(surface, s, e, hit[0], hit[1], "name" if hit[1] == surface else "alias")
            )
    mentions.sort(key=lambda m: (m.start, -m.end))
    mentions = _absorb_legal_suffix(_join_repeated_of(text, _drop_nested(mentions)))
    _titled_people(mentions, lex.lang)
    _one_kind_per_name(mentions)
    _government_forms(mentions)
    _one_name_per_key(mentions)
    gov = _government_mentions(text, lex, mentions, skip, skip_starts, country)
    if gov:
        mentions = sorted(mentions + gov, key=lambda m: (m.start, -m.end))
    mentions += _descriptions(text, lex, mentions, seed_country, sector, skip, skip_starts)
    mentions.sort(key=lambda m: (m.start, -m.end))
    pron = _pronoun_mentions(text, lex, mentions)
    if pron:
        mentions = sorted(mentions + pron, key=lambda m: (m.start, -m.end))
    return mentions


def _named_alone_before(text: str, prefix: str, nxt: str, end: int) -> bool:
    """Whether `prefix` stands alone as a word, not followed by `nxt`, twice in text[:end]
    (once may be a title's short form of the name that follows)."""
    alone = 0
    i = text.find(prefix, 0, end)
    while i >= 0:
        j = i + len(prefix)
        whole = (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "-")) and (
            j >= len(text) or not (text[j].isalnum() or text[j] == "-")
        )
        if whole and not text.startswith(" " + nxt, j):
            alone += 1
            if alone >= 2:
                return True
        i = text.find(prefix, j, end)
    return False


def _absorb_legal_suffix(mentions: list[Mention]) -> list[Mention]:
    """ "Ford Motor Company": a seed alias ("Ford Motor") followed by a bare legal suffix
    ("Company", "Inc.") is one name; the suffix alone is no organisation."""
    out: list[Mention] = []
    for m in mentions:
        prev = out[-1] if out else None
        if (
            prev is not None
            and m.surface in _LEGAL
            and m.start - prev.end == 1
            and prev.kind in ("org", "fund")
        ):
            prev.end = m.end
            prev.surface = f"{prev.surface} {m.surface}"
            prev.resolved_from = "alias" if prev.resolved_from == "name" else prev.resolved_from
            continue
        out.append(m)
    return out


def _one_kind_per_name(mentions: list[Mention]) -> None:
    """One kind per name on a page: "Standard Chartered's shares" read once as a person
    (a possessive, a cue nearby) is the organisation the page names ten times. The most
    frequent kind wins; a tie goes to the organisation."""
    kinds: dict[str, Counter[str]] = {}
    for m in mentions:
        kinds.setdefault(m.canonical, Counter())[m.kind] += 1
    for m in mentions:
        c = kinds[m.canonical]
        if len(c) > 1 and set(c) == {"org", "person"}:
            best = max(c, key=lambda k: (c[k], k == "org"))
            m.kind = best


_OF_GAP = re.compile(r"[ \u00a0](?:du|de la|des|de|del|do|da|of the|of)[ \u00a0]")


def _join_repeated_of(text: str, mentions: list[Mention]) -> list[Mention]:
    """Join "Cirque" + "du" + "Soleil" into one name when the page writes the whole
    phrase at least twice ("Cirque du Soleil", "La Voix du Nord", "Caisse des Dépôts"):
    a connector splits a run unless a head noun says it is an institution, and repetition
    is the page's own evidence that the phrase is a name. Whatever capitalised words
    follow the second part ("Cirque du Soleil Guy Laliberté") stay a name of their own."""
    if len(mentions) < 2:
        return mentions
    out: list[Mention] = []
    i = 0
    counts: dict[str, int] = {}
    while i < len(mentions):
        a = mentions[i]
        b = mentions[i + 1] if i + 1 < len(mentions) else None
        if (
            b is not None
            and a.resolved_from in ("name", "alias")
            and b.resolved_from in ("name", "alias")
            and " " not in a.surface
            and _OF_GAP.fullmatch(text, a.end, b.start)
        ):
            first = b.surface.split(" ", 1)[0]
            joined = text[a.start : b.start + len(first)]
            if joined not in counts:
                counts[joined] = text.count(joined)
            if counts[joined] >= 2:
                out.append(Mention(joined, a.start, a.start + len(joined), "org", joined, "name"))
                rest = b.surface[len(first) :].lstrip()
                if rest and rest[:1].isupper():
                    rs = b.end - len(rest)
                    kind = b.kind if b.kind != "org" or " " in rest else "org"
                    out.append(Mention(rest, rs, b.end, kind, rest, "name"))
                i += 2
                continue
        out.append(a)
        i += 1
    return out


def _one_name_per_key(mentions: list[Mention]) -> None:
    """One canonical name per entity on a page: the seed's, else the most used form
    (ties: the shorter), so "Maple Ridge Energy" and "Maple Ridge Energy Corp." agree."""
    keys = [canonical_key(m.canonical) for m in mentions]
    # A name the page also gives a more specific kind by a cue ("le champ Grand Large" is a
    # project, so the bare "Grand Large" of the title is too) takes that kind.
    kinds: dict[str, set[str]] = {}
    for m, key in zip(mentions, keys, strict=True):
        ks = kinds.get(key)
        if ks is None:
            kinds[key] = {m.kind}
        else:
            ks.add(m.kind)
    groups: dict[tuple[str, str], list[Mention]] = {}
    for m, key in zip(mentions, keys, strict=True):
        ks = kinds[key]
        if m.kind == "org" and len(ks) > 1 and not _SEED_BY_KEY.get(("org", key)):
            m.kind = next(k for k in ("project", "fund", "person") if k in ks)
        g = groups.get((m.kind, key))
        if g is None:
            groups[(m.kind, key)] = [m]
        else:
            g.append(m)
    for (kind, key), ms in groups.items():
        seed = _SEED_BY_KEY.get((kind, key))
        if seed is not None:
            name = seed.canonical
        elif len(ms) == 1:
            continue  # one mention: its own name already
        else:
            counts = Counter(m.canonical for m in ms)
            if len(counts) == 1:
                continue
            name = min(counts, key=lambda n: (-counts[n], len(n), n))
        for m in ms:
            if m.canonical != name:
                m.canonical = name
                if m.resolved_from in ("name", "alias"):
                    m.resolved_from = "name" if m.surface == name else "alias"


def _drop_nested(mentions: list[Mention]) -> list[Mention]:
    out: list[Mention] = []
    for m in mentions:
        if out and m.start < out[-1].end:
            continue
        out.append(m)
    return out
