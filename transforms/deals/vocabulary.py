"""The deal vocabularies (event types, statuses, attribute types) and the `Deal` record,
with the small word sets and patterns the typing and role rules share.

Kept apart so the expectations and the warehouse views can be checked against one
list, and so each rule module reads its words from one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from transforms import languages
from transforms.contract.figure import Figure

EVENT_TYPES = (
    "investment",
    "acquisition",
    "stake_sale",
    "fundraising",
    "valuation",
    "financing",
    "loan",
    "revenue",
    "profit",
    "loss",
    "project_cost",
    "budget",
    "fine",
    "other",
)
STATUSES = ("announced", "planned", "completed", "rumoured", "denied", "estimated")
# Types that describe one party's figure: no counterpart, and the owner may be oblique.
ATTRIBUTE_TYPES = frozenset({"valuation", "revenue", "profit", "loss", "budget", "other"})
# Trigger classes: the event types, plus "contract" (an "other" with a client) and
# "ignore" (spans that are never triggers).
_CLASSES = (*EVENT_TYPES, "contract", "ignore")
SMALL_AMOUNT = 100_000
MAX_SENTENCE_CHARS = 5_000  # real bodies reach ~2,700; longer ones are tables or junk (_bounded)
# Types that a market-level figure cannot have: a sector's investment needs or revenue
# are not anybody's deal or results.
_MARKET_TYPES = frozenset({"investment", "revenue", "profit", "loss", "valuation"})
_PERSON_ACTOR_TYPES = frozenset({"investment", "acquisition", "stake_sale"})
# Prepositions of place (languages/<lang>/words.toml).
_LOCATIVE = languages.word_set("words.toml", "locative")
_BANKISH = re.compile(
    r"\b(?:Bank|Banque|Banco|Banca|Crédit|Credit|Caisse|Förderbank|Sparkasse|Landesbank|bank)\b"
)
_STAKE = re.compile(
    r"(?:participation|parts?|stake|shares|holding|actions|Beteiligung|participación|participação)"
    r"\s+(?:dans|in|de|of|en|em|an)\s+$",
    re.IGNORECASE,
)
# Genitive links (languages/<lang>/words.toml).
_GENITIVE = languages.word_set("words.toml", "genitive")
# "Les résultats publiés par l'avionneur": the agent of a passive owns the results
# (languages/<lang>/words.toml).
_AGENT = languages.word_set("words.toml", "agent")
# Prepositions before a receiving party (languages/<lang>/words.toml).
_BENEFICIARY = languages.word_set("words.toml", "beneficiary")
# Verbs whose subject is made to pay (languages/<lang>/words.toml): for a fine they mark
# the party fined, for damages or a settlement (`other`) the payer.
_PUNISHED = re.compile(
    rf"(?<![\w])(?:{'|'.join(sorted(languages.word_set('words.toml', 'punished'), key=len, reverse=True))})",
    re.IGNORECASE,
)
_FAVOUR = re.compile(
    r"(?:en\s+faveur|au\s+profit|au\s+bénéfice|on\s+behalf)\s+(?:de|du|des|d['’]|of)\s*(?:la\s+|l['’]|the\s+)?$",
    re.IGNORECASE,
)
_RESTATE_GAP = re.compile(
    r"^[^.;\d]{0,30}?\s*[,;(]\s*(?:soit|ou|or|i\.e\.|that\s+is|es\s+decir|ou\s+seja|also|d\.h\.)\b",
    re.IGNORECASE,
)
_COMPARE_GAP = re.compile(
    r"^(?:[^.;\d]{0,30}?[\s,;(])?[\s,;(]*(?:contre|comparé\w*\s+à|par\s+rapport\s+à|après|compared\s+(?:with|to)|against|versus|vs\.?|"
    r"up\s+from|down\s+from|from|frente\s+a|contra|comparado\s+con|ante|gegenüber|nach|statt)\b",
    re.IGNORECASE,
)
_CONVERSION_GAP = re.compile(
    r"^[\s,;(]*(?:soit|ou|or|i\.e\.|environ|about|around|approximately|roughly|nearly|some|près\s+de|"
    r"quelque|rund|etwa|cerca\s+de|circa|approx\.?|c\.)?\s*$",
    re.IGNORECASE,
)
_EQUIVALENT = re.compile(
    r"\b(?:équiva\w*|equival\w*|entspricht|entsprechen|converti\w*|soit\s+environ)\b", re.IGNORECASE
)


@dataclass(slots=True)
class Deal:
    """The event a money figure belongs to. Several figures may share one `event_id`."""

    event_id: str
    event_type: str
    status: str
    actor: str | None
    actor_kind: str | None
    counterpart: str | None
    counterpart_kind: str | None
    figure: Figure
    in_title: bool
    trigger: str | None = None

    @property
    def start(self) -> int:
        return self.figure.start

    @property
    def end(self) -> int:
        return self.figure.end

    @property
    def value(self) -> float | None:
        f = self.figure
        return f.value if f.value is not None else (f.min if f.min is not None else f.max)
