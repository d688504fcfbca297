"""`resolve_entities`: mentions of a batch of pages merged into `dim_entity` rows.

One row per (kind, canonical key), with every surface seen as an alias, so the same
organisation named differently on two pages is one entity.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from transforms.contract.ids import stable_id
from transforms.mentions.countries import country_names, government_iso
from transforms.mentions.records import _SEED_BY_KEY, Entity, Mention, entity_key

# --------------------------------------------------------------------------- entities


def resolve_entities(
    mentions_by_doc: Mapping[str, Sequence[Mention]] | Iterable[Sequence[Mention]],
) -> list[Entity]:
    """Merge mentions across pages into `dim_entity` rows.

    Mentions of one kind with the same `canonical_key` are one entity. The name is the
    seed list's canonical name when it knows the entity, else the most frequent canonical
    form on the pages (ties: the shorter). Aliases are the distinct surfaces that name
    the entity (descriptions such as "le conglomérat japonais" are not aliases); a
    government also has its country's names in every language (mentions.countries).
    """
    groups = mentions_by_doc.values() if isinstance(mentions_by_doc, Mapping) else mentions_by_doc
    names: dict[tuple[str, str], Counter[str]] = {}
    aliases: dict[tuple[str, str], set[str]] = {}
    for mentions in groups:
        for m in mentions:
            k = (m.kind, entity_key(m.canonical))
            if not k[1]:
                continue
            names.setdefault(k, Counter())[m.canonical] += 1
            al = aliases.setdefault(k, set())
            al.add(m.canonical)
            if m.resolved_from in ("name", "alias"):
                al.add(m.surface)
    out = []
    for (kind, key), counts in names.items():
        seed = _SEED_BY_KEY.get((kind, key))
        if seed is not None:
            name = seed.canonical
        else:
            name = min(counts, key=lambda n: (-counts[n], len(n), n))
        al = aliases[(kind, key)] | {name}
        iso = government_iso(name)
        if iso is not None:  # a government is its country, in every language
            al |= set(country_names(iso))
        out.append(Entity(stable_id(kind, key), name, kind, sorted(al)))
    out.sort(key=lambda e: (e.kind, e.name))
    return out
