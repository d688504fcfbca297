"""Per-site settings as plain data: time zone and country.

Why: relative publication times ("Hier 14:44") only mean something in the site's own
time zone, and "$" means CAD on a Canadian site. Most sites can be placed from their
top-level domain; the few that cannot (walaw.press is Moroccan) are listed here, and
the operator can override anything through the settings object (`site_tz`,
`site_country` mappings passed in). Overrides and the built-in table match the host or
any parent domain, so "fr.le360.ma" picks up a "le360.ma" entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:
    from transforms.contract.pages import RawPage

DEFAULT_TZ = "UTC"

# Sites whose TLD does not tell where they are. This is the one site registry: the
# page stage (time zone, country) and the figure extractor (`transforms.figures`'
# country_for_site: "$" on a Canadian site is CAD) both read it.
KNOWN_SITES: dict[str, tuple[str, str | None]] = {
    # host: (time zone, ISO 3166-1 alpha-2 country)
    "walaw.press": ("Africa/Casablanca", "MA"),
    "hespress.com": ("Africa/Casablanca", "MA"),
    "ledevoir.com": ("America/Toronto", "CA"),  # Montreal keeps Toronto's clock
    "theglobeandmail.com": ("America/Toronto", "CA"),
    "indiatimes.com": ("Asia/Kolkata", "IN"),
    "ndtv.com": ("Asia/Kolkata", "IN"),
}

# Two-letter TLDs sold for their look rather than their country (.io, .tv, .ai, ...):
# a site there is not placed by its TLD. Other two-letter TLDs name their country.
NOT_COUNTRY_TLDS = frozenset(
    ["co", "io", "tv", "me", "fm", "ai", "ly", "cc", "ws", "to", "gg", "la", "sh", "ac", "st", "vc", "am", "im", "is", "in", "so", "gl"]
)

# TLD -> (time zone, country). Facts from the IANA tz database / ISO 3166.
TLD_SETTINGS: dict[str, tuple[str, str]] = {
    "ma": ("Africa/Casablanca", "MA"),
    "sn": ("Africa/Dakar", "SN"),
    "ci": ("Africa/Abidjan", "CI"),
    "ml": ("Africa/Bamako", "ML"),
    "bf": ("Africa/Ouagadougou", "BF"),
    "ne": ("Africa/Niamey", "NE"),
    "tg": ("Africa/Lome", "TG"),
    "bj": ("Africa/Porto-Novo", "BJ"),
    "cm": ("Africa/Douala", "CM"),
    "ga": ("Africa/Libreville", "GA"),
    "dz": ("Africa/Algiers", "DZ"),
    "tn": ("Africa/Tunis", "TN"),
    "fr": ("Europe/Paris", "FR"),
    "be": ("Europe/Brussels", "BE"),
    "ch": ("Europe/Zurich", "CH"),
    "lu": ("Europe/Luxembourg", "LU"),
    "ca": ("America/Toronto", "CA"),
    "es": ("Europe/Madrid", "ES"),
    "de": ("Europe/Berlin", "DE"),
    "it": ("Europe/Rome", "IT"),
    "nl": ("Europe/Amsterdam", "NL"),
    "at": ("Europe/Vienna", "AT"),
    "br": ("America/Sao_Paulo", "BR"),
    "pt": ("Europe/Lisbon", "PT"),
    "uk": ("Europe/London", "GB"),
    "ie": ("Europe/Dublin", "IE"),
    "us": ("America/New_York", "US"),
    "mx": ("America/Mexico_City", "MX"),
    "ar": ("America/Argentina/Buenos_Aires", "AR"),
    "ao": ("Africa/Luanda", "AO"),
    "mz": ("Africa/Maputo", "MZ"),
}


@dataclass(frozen=True, slots=True)
class SiteInfo:
    """Resolved settings for one site."""

    site: str | None
    tz: str
    country: str | None

    @property
    def zone(self) -> ZoneInfo:
        return get_zone(self.tz)


def normalise_host(site: str | None) -> str | None:
    """Lower-case host without "www.", port or trailing dot; None for empty input."""
    if not site or not isinstance(site, str):
        return None
    host = site.strip().lower()
    if "://" in host:
        host = urlsplit(host).hostname or ""
    host = host.split("/", 1)[0].split(":", 1)[0].rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    return host or None


def site_from_url(url: str | None) -> str | None:
    """Host of `url` (normalised), or None when it has none."""
    if not url or not isinstance(url, str):
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    return normalise_host(host)


def _lookup(host: str, table: Mapping[str, object]) -> object | None:
    """Value for the host or its nearest parent domain in `table` (keys normalised)."""
    parts = host.split(".")
    for i in range(len(parts)):
        hit = table.get(".".join(parts[i:]))
        if hit is not None:
            return hit
    return None


def _normalised_keys(mapping: Mapping[str, str] | None) -> dict[str, str]:
    if not mapping:
        return {}
    return {normalise_host(k) or k: v for k, v in mapping.items()}


@lru_cache(maxsize=256)
def get_zone(name: str) -> ZoneInfo:
    """Cached ZoneInfo; unknown names fall back to UTC rather than failing a page."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TZ)


def _valid_tz(name: object) -> bool:
    if not isinstance(name, str) or not name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def site_timezone(site: str | None, overrides: Mapping[str, str] | None = None) -> str:
    """IANA time zone of `site`: override, then known site, then TLD, else UTC."""
    host = normalise_host(site)
    if host is None:
        return DEFAULT_TZ
    hit = _lookup(host, _normalised_keys(overrides))
    if _valid_tz(hit):
        return hit  # type: ignore[return-value]
    known = _lookup(host, KNOWN_SITES)
    if known is not None:
        return known[0]  # type: ignore[index]
    tld = TLD_SETTINGS.get(host.rsplit(".", 1)[-1])
    return tld[0] if tld else DEFAULT_TZ


def site_country(site: str | None, overrides: Mapping[str, str] | None = None) -> str | None:
    """ISO alpha-2 country of `site`: override, known site, TLD; None for .com, .io and the like."""
    host = normalise_host(site)
    if host is None:
        return None
    hit = _lookup(host, _normalised_keys(overrides))
    if isinstance(hit, str) and len(hit) == 2 and hit.isalpha():
        return hit.upper()
    known = _lookup(host, KNOWN_SITES)
    if known is not None:
        return known[1]  # type: ignore[index]
    tld = host.rsplit(".", 1)[-1]
    if tld in TLD_SETTINGS:
        return TLD_SETTINGS[tld][1]
    if len(tld) == 2 and tld.isalpha() and tld not in NOT_COUNTRY_TLDS:
        return tld.upper()  # a country-code TLD we hold no time zone for (.jp, .ng ...)
    return None


def site_info(
    site: str | None,
    site_tz: Mapping[str, str] | None = None,
    site_country_map: Mapping[str, str] | None = None,
) -> SiteInfo:
    """Time zone and country of a site in one call (what prepare_page needs)."""
    return SiteInfo(
        site=normalise_host(site),
        tz=site_timezone(site, site_tz),
        country=site_country(site, site_country_map),
    )


def page_site(raw: RawPage) -> str | None:
    """Site of a landing page: the sidecar's "site", else its url's host, else None.

    The flow groups pages by this key for `recurring_lines`, and prepare_page uses the
    same function, so the furniture statistics and the cleaning agree on the site.
    """
    meta = raw.sidecar if isinstance(raw.sidecar, dict) else None
    if not meta:
        return None
    site = meta.get("site")
    host = normalise_host(site) if isinstance(site, str) else None
    if host:
        return host
    url = meta.get("url")
    return site_from_url(url) if isinstance(url, str) else None


_DOMAIN = re.compile(
    r"(?<![\w@.-])((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,12})(?![\w-]|\.\w)", re.IGNORECASE
)
_OWNER_CUES = (
    "©", "copyright", "cookie", "droits réservés", "rights reserved", "derechos reservados",
    "direitos reservados", "rechte vorbehalten", "ce site", "this site", "this website",
    "este sitio", "este site", "diese website", "diese seite",
)  # fmt: skip


def site_from_furniture(lines: Iterable[str]) -> str | None:
    """The site's own host as printed in its footer or cookie notice, when it has one.

    Only for pages without sidecar and url: "© 2025 Casaeco.ma – Tous droits réservés"
    or "Ce site, walaw.press, utilise des cookies" names the site, which is enough to
    pick its time zone. Lines without an ownership cue are ignored, so a domain quoted
    in a related-article title cannot be mistaken for the site.
    """
    for line in lines:
        low = line.lower()
        if not any(cue in low for cue in _OWNER_CUES):
            continue
        for m in _DOMAIN.finditer(low):
            host = normalise_host(m.group(1))
            if host and "." in host and max(len(p) for p in host.split(".")[:-1]) >= 3:
                return host
    return None
