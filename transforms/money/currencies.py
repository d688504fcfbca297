"""ISO 4217 currency codes as data, and the `dim_currency` dimension built from them.

The extractor emits a code for every money figure and the normalise stage must tell a
code it cannot convert ("no rate for NGN") from a string that is no currency at all
("no rate for XYZ: not an ISO 4217 code"); analysts also want names and minor units
next to the codes. So the list lives here, as plain data, rather than being inferred
from whatever rates happen to be available.

Facts: codes, English names and minor units follow ISO 4217 List One (active codes, as
maintained by the SIX maintenance agency, late 2025), including the fund codes, precious
metals and special units (their minor units are "N.A." in the standard, None here). A
few withdrawn codes that pages still print are kept with `historic=True`: the euro's
predecessor currencies (a 1998 page quoting francs or pesetas), lately replaced codes
(HRK, BGN, ANG, SLL, ZWL...) and redenominated ones the ECB used to publish (TRL, ROL).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Currency:
    """One ISO 4217 code: `minor_units` is None where the standard says N.A."""

    code: str
    name: str
    minor_units: int | None
    historic: bool = False


# (code, English name, minor units); None = "N.A." in the standard.
_ACTIVE: tuple[tuple[str, str, int | None], ...] = (
    ("AED", "UAE dirham", 2),
    ("AFN", "Afghani", 2),
    ("ALL", "Lek", 2),
    ("AMD", "Armenian dram", 2),
    ("AOA", "Kwanza", 2),
    ("ARS", "Argentine peso", 2),
    ("AUD", "Australian dollar", 2),
    ("AWG", "Aruban florin", 2),
    ("AZN", "Azerbaijan manat", 2),
    ("BAM", "Convertible mark", 2),
    ("BBD", "Barbados dollar", 2),
    ("BDT", "Taka", 2),
    ("BHD", "Bahraini dinar", 3),
    ("BIF", "Burundi franc", 0),
    ("BMD", "Bermudian dollar", 2),
    ("BND", "Brunei dollar", 2),
    ("BOB", "Boliviano", 2),
    ("BOV", "Mvdol", 2),
    ("BRL", "Brazilian real", 2),
    ("BSD", "Bahamian dollar", 2),
    ("BTN", "Ngultrum", 2),
    ("BWP", "Pula", 2),
    ("BYN", "Belarusian ruble", 2),
    ("BZD", "Belize dollar", 2),
    ("CAD", "Canadian dollar", 2),
    ("CDF", "Congolese franc", 2),
    ("CHE", "WIR euro", 2),
    ("CHF", "Swiss franc", 2),
    ("CHW", "WIR franc", 2),
    ("CLF", "Unidad de fomento", 4),
    ("CLP", "Chilean peso", 0),
    ("CNY", "Yuan renminbi", 2),
    ("COP", "Colombian peso", 2),
    ("COU", "Unidad de valor real", 2),
    ("CRC", "Costa Rican colon", 2),
    ("CUP", "Cuban peso", 2),
    ("CVE", "Cabo Verde escudo", 2),
    ("CZK", "Czech koruna", 2),
    ("DJF", "Djibouti franc", 0),
    ("DKK", "Danish krone", 2),
    ("DOP", "Dominican peso", 2),
    ("DZD", "Algerian dinar", 2),
    ("EGP", "Egyptian pound", 2),
    ("ERN", "Nakfa", 2),
    ("ETB", "Ethiopian birr", 2),
    ("EUR", "Euro", 2),
    ("FJD", "Fiji dollar", 2),
    ("FKP", "Falkland Islands pound", 2),
    ("GBP", "Pound sterling", 2),
    ("GEL", "Lari", 2),
    ("GHS", "Ghana cedi", 2),
    ("GIP", "Gibraltar pound", 2),
    ("GMD", "Dalasi", 2),
    ("GNF", "Guinean franc", 0),
    ("GTQ", "Quetzal", 2),
    ("GYD", "Guyana dollar", 2),
    ("HKD", "Hong Kong dollar", 2),
    ("HNL", "Lempira", 2),
    ("HTG", "Gourde", 2),
    ("HUF", "Forint", 2),
    ("IDR", "Rupiah", 2),
    ("ILS", "New Israeli sheqel", 2),
    ("INR", "Indian rupee", 2),
    ("IQD", "Iraqi dinar", 3),
    ("IRR", "Iranian rial", 2),
    ("ISK", "Iceland krona", 0),
    ("JMD", "Jamaican dollar", 2),
    ("JOD", "Jordanian dinar", 3),
    ("JPY", "Yen", 0),
    ("KES", "Kenyan shilling", 2),
    ("KGS", "Som", 2),
    ("KHR", "Riel", 2),
    ("KMF", "Comorian franc", 0),
    ("KPW", "North Korean won", 2),
    ("KRW", "Won", 0),
    ("KWD", "Kuwaiti dinar", 3),
    ("KYD", "Cayman Islands dollar", 2),
    ("KZT", "Tenge", 2),
    ("LAK", "Lao kip", 2),
    ("LBP", "Lebanese pound", 2),
    ("LKR", "Sri Lanka rupee", 2),
    ("LRD", "Liberian dollar", 2),
    ("LSL", "Loti", 2),
    ("LYD", "Libyan dinar", 3),
    ("MAD", "Moroccan dirham", 2),
    ("MDL", "Moldovan leu", 2),
    ("MGA", "Malagasy ariary", 2),
    ("MKD", "Denar", 2),
    ("MMK", "Kyat", 2),
    ("MNT", "Tugrik", 2),
    ("MOP", "Pataca", 2),
    ("MRU", "Ouguiya", 2),
    ("MUR", "Mauritius rupee", 2),
    ("MVR", "Rufiyaa", 2),
    ("MWK", "Malawi kwacha", 2),
    ("MXN", "Mexican peso", 2),
    ("MXV", "Mexican unidad de inversion (UDI)", 2),
    ("MYR", "Malaysian ringgit", 2),
    ("MZN", "Mozambique metical", 2),
    ("NAD", "Namibia dollar", 2),
    ("NGN", "Naira", 2),
    ("NIO", "Cordoba oro", 2),
    ("NOK", "Norwegian krone", 2),
    ("NPR", "Nepalese rupee", 2),
    ("NZD", "New Zealand dollar", 2),
    ("OMR", "Rial Omani", 3),
    ("PAB", "Balboa", 2),
    ("PEN", "Sol", 2),
    ("PGK", "Kina", 2),
    ("PHP", "Philippine peso", 2),
    ("PKR", "Pakistan rupee", 2),
    ("PLN", "Zloty", 2),
    ("PYG", "Guarani", 0),
    ("QAR", "Qatari rial", 2),
    ("RON", "Romanian leu", 2),
    ("RSD", "Serbian dinar", 2),
    ("RUB", "Russian ruble", 2),
    ("RWF", "Rwanda franc", 0),
    ("SAR", "Saudi riyal", 2),
    ("SBD", "Solomon Islands dollar", 2),
    ("SCR", "Seychelles rupee", 2),
    ("SDG", "Sudanese pound", 2),
    ("SEK", "Swedish krona", 2),
    ("SGD", "Singapore dollar", 2),
    ("SHP", "Saint Helena pound", 2),
    ("SLE", "Leone", 2),
    ("SOS", "Somali shilling", 2),
    ("SRD", "Surinam dollar", 2),
    ("SSP", "South Sudanese pound", 2),
    ("STN", "Dobra", 2),
    ("SVC", "El Salvador colon", 2),
    ("SYP", "Syrian pound", 2),
    ("SZL", "Lilangeni", 2),
    ("THB", "Baht", 2),
    ("TJS", "Somoni", 2),
    ("TMT", "Turkmenistan new manat", 2),
    ("TND", "Tunisian dinar", 3),
    ("TOP", "Pa'anga", 2),
    ("TRY", "Turkish lira", 2),
    ("TTD", "Trinidad and Tobago dollar", 2),
    ("TWD", "New Taiwan dollar", 2),
    ("TZS", "Tanzanian shilling", 2),
    ("UAH", "Hryvnia", 2),
    ("UGX", "Uganda shilling", 0),
    ("USD", "US dollar", 2),
    ("USN", "US dollar (next day)", 2),
    ("UYI", "Uruguay peso en unidades indexadas (UI)", 0),
    ("UYU", "Peso uruguayo", 2),
    ("UYW", "Unidad previsional", 4),
    ("UZS", "Uzbekistan sum", 2),
    ("VED", "Bolivar soberano (digital)", 2),
    ("VES", "Bolivar soberano", 2),
    ("VND", "Dong", 0),
    ("VUV", "Vatu", 0),
    ("WST", "Tala", 2),
    ("XAF", "CFA franc BEAC", 0),
    ("XAG", "Silver (troy ounce)", None),
    ("XAU", "Gold (troy ounce)", None),
    ("XBA", "European Composite Unit (EURCO)", None),
    ("XBB", "European Monetary Unit (E.M.U.-6)", None),
    ("XBC", "European Unit of Account 9 (E.U.A.-9)", None),
    ("XBD", "European Unit of Account 17 (E.U.A.-17)", None),
    ("XCD", "East Caribbean dollar", 2),
    ("XCG", "Caribbean guilder", 2),
    ("XDR", "SDR (Special Drawing Right)", None),
    ("XOF", "CFA franc BCEAO", 0),
    ("XPD", "Palladium (troy ounce)", None),
    ("XPF", "CFP franc", 0),
    ("XPT", "Platinum (troy ounce)", None),
    ("XSU", "Sucre", None),
    ("XTS", "Code reserved for testing", None),
    ("XUA", "ADB unit of account", None),
    ("XXX", "No currency", None),
    ("YER", "Yemeni rial", 2),
    ("ZAR", "Rand", 2),
    ("ZMW", "Zambian kwacha", 2),
    ("ZWG", "Zimbabwe gold", 2),
)

# Withdrawn codes a news page may still print (ISO 4217 List Three).
_HISTORIC: tuple[tuple[str, str, int | None], ...] = (
    # Euro legacy currencies, replaced at irrevocable rates (see transforms.money.fx).
    ("ATS", "Austrian schilling", 2),
    ("BEF", "Belgian franc", 0),
    ("BGN", "Bulgarian lev (euro from 2026-01-01)", 2),
    ("CYP", "Cyprus pound", 2),
    ("DEM", "Deutsche Mark", 2),
    ("EEK", "Estonian kroon", 2),
    ("ESP", "Spanish peseta", 0),
    ("FIM", "Finnish markka", 2),
    ("FRF", "French franc", 2),
    ("GRD", "Greek drachma", 0),
    ("HRK", "Croatian kuna (euro from 2023-01-01)", 2),
    ("IEP", "Irish pound", 2),
    ("ITL", "Italian lira", 0),
    ("LTL", "Lithuanian litas", 2),
    ("LUF", "Luxembourg franc", 0),
    ("LVL", "Latvian lats", 2),
    ("MTL", "Maltese lira", 2),
    ("NLG", "Netherlands guilder", 2),
    ("PTE", "Portuguese escudo", 0),
    ("SIT", "Slovenian tolar", 2),
    ("SKK", "Slovak koruna", 2),
    # Redenominated or replaced codes that still appear in archives.
    ("ANG", "Netherlands Antillean guilder (replaced by XCG in 2025)", 2),
    ("BYR", "Belarusian ruble (before 2016)", 0),
    ("CUC", "Cuban peso convertible (withdrawn 2021)", 2),
    ("MRO", "Ouguiya (before 2018)", 2),
    ("ROL", "Romanian leu (before 2005)", 2),
    ("SLL", "Leone (before 2022)", 2),
    ("STD", "Dobra (before 2018)", 2),
    ("TRL", "Turkish lira (before 2005)", 0),
    ("VEF", "Bolivar fuerte (before 2018)", 2),
    ("ZMK", "Zambian kwacha (before 2013)", 2),
    ("ZWL", "Zimbabwe dollar (replaced by ZWG in 2024)", 2),
)

CURRENCIES: dict[str, Currency] = {
    **{c: Currency(c, n, m) for c, n, m in _ACTIVE},
    **{c: Currency(c, n, m, historic=True) for c, n, m in _HISTORIC},
}
ACTIVE_CODES: frozenset[str] = frozenset(c for c, _, _ in _ACTIVE)
HISTORIC_CODES: frozenset[str] = frozenset(c for c, _, _ in _HISTORIC)


def is_iso4217(code: str | None, *, include_historic: bool = True) -> bool:
    """True for an ISO 4217 alphabetic code (upper case, as the extractor emits it).

    Historic codes count by default: "100 millions de francs" on a 1998 page is a real
    currency we cannot convert, which is a different finding from a garbled code.
    """
    if not code:
        return False
    if code in ACTIVE_CODES:
        return True
    return include_historic and code in HISTORIC_CODES


def currency(code: str) -> Currency | None:
    """The record of `code`, or None when it is not in the list."""
    return CURRENCIES.get(code)
