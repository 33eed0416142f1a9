"""MCPD v2.1 fields, code lists and the validation of one passport row.

:func:`validate_row` takes a mapping of MCPD column names to text (as read from a CSV file)
and returns the cleaned values, or raises :class:`McpdError` naming the line and the field.
Dates are ``YYYYMMDD`` with unknown month or day given as hyphens (``1998----``,
``199806--``); lists (STORAGE, DUPLSITE, OTHERNUMB, COLLCODE, CROPNAME…) are separated by
semicolons; coordinates in decimal degrees are checked against their range and the
``DDMMSSH``/``DDDMMSSH`` forms; institute codes (INSTCODE, COLLCODE, DONORCODE, BREDCODE,
DUPLSITE) are checked by their form, three letters of an ISO 3166 country and three or more
digits (the FAO WIEWS registry itself cannot be reached from here).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

# Every column of MCPD v2.1, in the standard's order.
FIELDS: tuple[str, ...] = (
    "PUID", "INSTCODE", "ACCENUMB", "COLLNUMB", "COLLCODE", "COLLNAME", "COLLINSTADDRESS",
    "COLLMISSID", "GENUS", "SPECIES", "SPAUTHOR", "SUBTAXA", "SUBTAUTHOR", "CROPNAME",
    "ACCENAME", "ACQDATE", "ORIGCTY", "COLLSITE", "DECLATITUDE", "LATITUDE", "DECLONGITUDE",
    "LONGITUDE", "COORDUNCERT", "COORDDATUM", "GEOREFMETH", "ELEVATION", "COLLDATE",
    "BREDCODE", "BREDNAME", "SAMPSTAT", "ANCEST", "COLLSRC", "DONORCODE", "DONORNAME",
    "DONORNUMB", "OTHERNUMB", "DUPLSITE", "DUPLINSTNAME", "STORAGE", "MLSSTAT", "REMARKS",
)  # fmt: skip

REQUIRED: tuple[str, ...] = ("INSTCODE", "ACCENUMB", "GENUS")

SAMPSTAT: dict[int, str] = {
    100: "Wild", 110: "Natural", 120: "Semi-natural/wild", 130: "Semi-natural/sown",
    200: "Weedy", 300: "Traditional cultivar/landrace", 400: "Breeding/research material",
    410: "Breeder's line", 411: "Synthetic population", 412: "Hybrid",
    413: "Founder stock/base population", 414: "Inbred line", 415: "Segregating population",
    416: "Clonal selection", 420: "Genetic stock", 421: "Mutant", 422: "Cytogenetic stocks",
    423: "Other genetic stocks", 500: "Advanced or improved cultivar", 600: "GMO", 999: "Other",
}  # fmt: skip

COLLSRC: dict[int, str] = {
    10: "Wild habitat", 11: "Forest or woodland", 12: "Shrubland", 13: "Grassland",
    14: "Desert or tundra", 15: "Aquatic habitat", 20: "Farm or cultivated habitat",
    21: "Field", 22: "Orchard", 23: "Backyard, kitchen or home garden", 24: "Fallow land",
    25: "Pasture", 26: "Farm store", 27: "Threshing floor", 28: "Park",
    30: "Market or shop", 40: "Institute, experimental station, research organization, genebank",
    50: "Seed company", 60: "Weedy, disturbed or ruderal habitat", 61: "Roadside",
    62: "Field margin", 99: "Other",
}  # fmt: skip

STORAGE: dict[int, str] = {
    10: "Seed collection", 11: "Short term", 12: "Medium term", 13: "Long term",
    20: "Field collection", 30: "In vitro collection", 40: "Cryopreserved collection",
    50: "DNA collection", 99: "Other",
}  # fmt: skip

MLSSTAT: dict[int, str] = {0: "No (not included)", 1: "Yes (included)", 99: "Other"}

GEOREFMETH: dict[str, str] = {
    "GPS": "Global Positioning System",
    "LAT": "Determined from map",
    "GAZ": "Gazetteer",
    "EST": "Estimated",
}

# ISO 3166-3: alpha-3 codes of countries that no longer exist, which MCPD accepts in ORIGCTY
# and in institute codes for material collected before the change (e.g. SUN, YUG, CSK).
FORMER_COUNTRIES: dict[str, str] = {
    "AFI": "French Afars and Issas", "ANT": "Netherlands Antilles",
    "ATB": "British Antarctic Territory", "ATN": "Dronning Maud Land", "BUR": "Burma",
    "BYS": "Byelorussian SSR", "CSK": "Czechoslovakia", "CTE": "Canton and Enderbury Islands",
    "DDR": "German Democratic Republic", "DHY": "Dahomey", "FXX": "France, Metropolitan",
    "GEL": "Gilbert and Ellice Islands", "HVO": "Upper Volta", "JTN": "Johnston Island",
    "MID": "Midway Islands", "NHB": "New Hebrides", "NTZ": "Neutral Zone",
    "PCI": "Pacific Islands (Trust Territory)", "PCZ": "Panama Canal Zone",
    "PUS": "US Miscellaneous Pacific Islands", "RHO": "Southern Rhodesia",
    "SCG": "Serbia and Montenegro", "SKM": "Sikkim", "SUN": "USSR", "TMP": "East Timor",
    "VDR": "Viet-Nam, Democratic Republic of", "WAK": "Wake Island",
    "YMD": "Yemen, Democratic", "YUG": "Yugoslavia", "ZAR": "Zaire",
}  # fmt: skip

INTEGER_FIELDS = ("COORDUNCERT", "ELEVATION")
DATE_FIELDS = ("ACQDATE", "COLLDATE")
INSTITUTE_FIELDS = ("INSTCODE", "COLLCODE", "DONORCODE", "BREDCODE", "DUPLSITE")
# Fields that hold several values separated by semicolons.
LIST_FIELDS = ("COLLCODE", "CROPNAME", "OTHERNUMB", "DUPLSITE", "DUPLINSTNAME", "STORAGE")

_DATE = re.compile(r"^(\d{4})(\d{2}|--)(\d{2}|--)$")
_INSTITUTE = re.compile(r"^([A-Z]{3})\d{3,}$")
_LATITUDE = re.compile(r"^(\d{2})(\d{2}|--)(\d{2}|--)([NS])$")
_LONGITUDE = re.compile(r"^(\d{3})(\d{2}|--)(\d{2}|--)([EW])$")
_GENUS = re.compile(r"^[A-Z][a-z-]+$")
_MAX_LENGTH = 2000


class McpdError(ValueError):
    """A value that breaks the standard: the line, the field and why.

    ``message`` is English (for the command line); ``code`` and ``value`` let a page say the
    same in the reader's language.
    """

    def __init__(
        self, line: int, field: str, message: str, code: str = "invalid", value: str = ""
    ) -> None:
        super().__init__(f"line {line}, {field}: {message}")
        self.line = line
        self.field = field
        self.message = message
        self.code = code
        self.value = value


@dataclass(frozen=True)
class McpdDate:
    """An MCPD date: the year always, the month and day when known."""

    year: int
    month: int | None = None
    day: int | None = None

    def __str__(self) -> str:
        month = "--" if self.month is None else f"{self.month:02d}"
        day = "--" if self.day is None else f"{self.day:02d}"
        return f"{self.year:04d}{month}{day}"


def parse_date(text: str) -> McpdDate:
    """``YYYYMMDD`` with hyphens for an unknown month or day; raises ValueError."""
    match = _DATE.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a date in the form YYYYMMDD (YYYY----, YYYYMM--)")
    year = int(match.group(1))
    month = None if match.group(2) == "--" else int(match.group(2))
    day = None if match.group(3) == "--" else int(match.group(3))
    if month is None and day is not None:
        raise ValueError(f"{text!r} gives a day without a month")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"{text!r} has no month {month}")
    if month is not None and day is not None:
        try:
            datetime.date(year, month, day)
        except ValueError:
            raise ValueError(f"{text!r} is not a day of the calendar") from None
    if year < 1000:
        raise ValueError(f"{text!r} has a year before 1000")
    return McpdDate(year, month, day)


def split_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _decimal_degrees(line: int, field: str, text: str, limit: int) -> float:
    try:
        value = float(text)
    except ValueError:
        raise McpdError(
            line, field, f"{text!r} is not a number of decimal degrees", "not_degrees", text
        ) from None
    if not -limit <= value <= limit:
        raise McpdError(line, field, f"{text} is outside -{limit} to {limit}", "out_of_range", text)
    return value


def _code(line: int, field: str, text: str, codes: Mapping[int, str]) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value not in codes:
        allowed = ", ".join(str(code) for code in codes)
        raise McpdError(
            line, field, f"{text!r} is not in the code list ({allowed})", "not_in_code_list", text
        )
    return value


def _institutes(line: int, name: str, text: str, countries: frozenset[str]) -> object:
    codes = split_list(text) if name in LIST_FIELDS else [text]
    for code in codes:
        match = _INSTITUTE.match(code)
        if not match or match.group(1) not in countries:
            raise McpdError(
                line,
                name,
                f"{code!r} is not an institute code (an ISO 3166 country code "
                "and three digits, e.g. PER001)",
                "invalid_institute",
                code,
            )
    return codes if name in LIST_FIELDS else text


def _genus(line: int, name: str, text: str, countries: frozenset[str]) -> object:
    if not _GENUS.match(text):
        raise McpdError(
            line, name, f"{text!r} is not a genus (a capitalised Latin word)",
            "invalid_genus", text,
        )  # fmt: skip
    return text


def _country(line: int, name: str, text: str, countries: frozenset[str]) -> object:
    if text not in countries:
        raise McpdError(
            line, name, f"{text!r} is not an ISO 3166 alpha-3 country code",
            "unknown_country", text,
        )  # fmt: skip
    return text


def _date(line: int, name: str, text: str, countries: frozenset[str]) -> object:
    try:
        return parse_date(text)
    except ValueError as error:
        raise McpdError(line, name, str(error), "invalid_date", text) from None


def _latitude(line: int, name: str, text: str, countries: frozenset[str]) -> object:
    return _decimal_degrees(line, name, text, 90)


def _longitude(line: int, name: str, text: str, countries: frozenset[str]) -> object:
    return _decimal_degrees(line, name, text, 180)


def _dms(line: int, name: str, text: str, countries: frozenset[str]) -> object:
    pattern, limit = (_LATITUDE, 90) if name == "LATITUDE" else (_LONGITUDE, 180)
    match = pattern.match(text)
    if not match:
        form = "DDMMSSH" if name == "LATITUDE" else "DDDMMSSH"
        raise McpdError(line, name, f"{text!r} is not in the form {form}", "invalid_dms", text)
    minutes, seconds = match.group(2), match.group(3)
    if (
        int(match.group(1)) > limit
        or (minutes != "--" and int(minutes) > 59)
        or (seconds != "--" and int(seconds) > 59)
    ):
        raise McpdError(line, name, f"{text!r} is not a position on the globe", "invalid_dms", text)
    return text


def _metres(line: int, name: str, text: str, countries: frozenset[str]) -> object:
    try:
        number = int(text)
    except ValueError:
        raise McpdError(
            line, name, f"{text!r} is not a whole number of metres", "not_metres", text
        ) from None
    if name == "COORDUNCERT" and number < 0:
        raise McpdError(line, name, "must not be negative", "negative", text)
    if name == "ELEVATION" and not -500 <= number <= 9000:
        raise McpdError(
            line, name, f"{number} m is not an elevation on land", "not_elevation", text
        )
    return number


def _code_of(codes: Mapping[int, str]) -> Callable[[int, str, str, frozenset[str]], object]:
    def check(line: int, name: str, text: str, countries: frozenset[str]) -> object:
        return _code(line, name, text, codes)

    return check


def _storage(line: int, name: str, text: str, countries: frozenset[str]) -> object:
    return [_code(line, name, part, STORAGE) for part in split_list(text)]


def _georefmeth(line: int, name: str, text: str, countries: frozenset[str]) -> object:
    if text not in GEOREFMETH:
        raise McpdError(
            line, name, f"{text!r} is not one of {', '.join(GEOREFMETH)}",
            "not_in_code_list", text,
        )  # fmt: skip
    return text


def _list(line: int, name: str, text: str, countries: frozenset[str]) -> object:
    return split_list(text)


def _text(line: int, name: str, text: str, countries: frozenset[str]) -> object:
    return text


# The check of each column, by name: (line, field, text, country codes) -> cleaned value.
_CHECKS: dict[str, Callable[[int, str, str, frozenset[str]], object]] = dict.fromkeys(FIELDS, _text)
_CHECKS.update(dict.fromkeys(LIST_FIELDS, _list))
_CHECKS.update(dict.fromkeys(INSTITUTE_FIELDS, _institutes))
_CHECKS.update(dict.fromkeys(DATE_FIELDS, _date))
_CHECKS.update(dict.fromkeys(INTEGER_FIELDS, _metres))
_CHECKS.update(
    {
        "GENUS": _genus,
        "ORIGCTY": _country,
        "DECLATITUDE": _latitude,
        "DECLONGITUDE": _longitude,
        "LATITUDE": _dms,
        "LONGITUDE": _dms,
        "SAMPSTAT": _code_of(SAMPSTAT),
        "COLLSRC": _code_of(COLLSRC),
        "MLSSTAT": _code_of(MLSSTAT),
        "STORAGE": _storage,
        "GEOREFMETH": _georefmeth,
    }
)
_FIELD_SET = frozenset(FIELDS)


def validate_row(
    row: Mapping[str, str | None], *, line: int, country_codes: frozenset[str]
) -> dict[str, object]:
    """The cleaned values of one passport row, or :class:`McpdError` for the first fault
    (a value too long, then a required value missing, then the columns left to right).

    Unknown columns are refused (a misspelt column would otherwise lose data silently).
    ``country_codes`` are the ISO 3166-1 alpha-3 codes (and the ISO 3166-3 codes of former
    countries, which MCPD also allows) the caller accepts. Empty and absent columns cost
    nothing, so a file with few columns is checked at the speed of those columns.
    """
    if not _FIELD_SET.issuperset(row):
        unknown = sorted(name for name in row if name not in _FIELD_SET)
        raise McpdError(line, unknown[0], "is not an MCPD v2.1 column", "unknown_column")
    texts: dict[str, str] = {}
    for name, raw in row.items():
        if not raw:
            continue
        # Spaces inside a value collapse to one; remarks keep their own apart from the edges.
        text = raw.strip() if name == "REMARKS" else " ".join(raw.split())
        if not text:
            continue
        if len(text) > _MAX_LENGTH:
            raise McpdError(line, name, f"is longer than {_MAX_LENGTH} characters", "too_long")
        texts[name] = text
    for name in REQUIRED:
        if name not in texts:
            raise McpdError(line, name, "is required", "required")
    clean: dict[str, object] = dict.fromkeys(FIELDS)
    for name, text in texts.items():
        clean[name] = _CHECKS[name](line, name, text, country_codes)
    if (clean["DECLATITUDE"] is None) != (clean["DECLONGITUDE"] is None):
        missing = "DECLONGITUDE" if clean["DECLONGITUDE"] is None else "DECLATITUDE"
        raise McpdError(
            line, missing, "is needed with the other decimal coordinate", "needs_coordinate"
        )
    if clean["SPECIES"] is None and clean["SPAUTHOR"] is not None:
        raise McpdError(line, "SPAUTHOR", "needs SPECIES", "needs_species")
    return clean


def format_value(value: object) -> str:
    """The MCPD text of a cleaned value (inverse of :func:`validate_row` per field)."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(part) for part in value)
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)
