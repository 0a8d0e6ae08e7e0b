"""GBIF facets a chart can draw: which search each belongs to, how a faceted answer is
read, and how its values are named in the page language.

A facet is one field of an occurrence or dataset search (``year``, ``basisOfRecord``,
``publishingOrg``, ...); GBIF answers ``{"field": "BASIS_OF_RECORD", "counts": [{"name":
"HUMAN_OBSERVATION", "count": 123}, ...]}``, the largest counts first. Values that are
GBIF vocabularies get names from the extension's catalogue, countries get Babel's names,
publishers and datasets the titles the registry gives them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from babel import Locale
from babel.dates import format_skeleton

from ..core.converters import gbif_key
from ..core.locale import _
from .client import Query
from .count import count_query

#: Most bars a chart draws: beyond that, names no longer fit and nobody reads them.
MAX_LIMIT = 50
DEFAULT_LIMIT = 10
#: A year facet asks for every year at once (GBIF returns the largest counts first).
YEAR_FACET_LIMIT = 1000
#: Search parameters that would change the facet request itself: ours win.
_FACET_PARAMETERS = ("facet", "facetLimit", "facetMincount", "facetOffset",
                     "facetMultiselect", "limit", "offset")


@dataclass(frozen=True)
class Facet:
    """``name`` is the API's facet parameter; ``values`` says how its values are named:
    ``year``, ``month``, ``vocabulary``, ``country``, ``publisher`` or ``dataset``."""

    name: str
    values: str

    @property
    def field(self) -> str:
        """The ``field`` of the answer: ``basisOfRecord`` -> ``BASIS_OF_RECORD``."""
        return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", self.name).upper()

    @property
    def time(self) -> bool:
        """Years and months are a series in time: drawn in order, never cut to a top N."""
        return self.values in ("year", "month")

    @property
    def default_kind(self) -> str:
        return {"year": "line", "month": "column"}.get(self.values, "bar")


def _facets(*facets: Facet) -> dict[str, Facet]:
    return {facet.name: facet for facet in facets}


#: Query word (as in ``{gbif-count}``) -> the facets a chart may draw from that search.
FACETS: dict[str, dict[str, Facet]] = {
    "occurrences": _facets(
        Facet("year", "year"),
        Facet("month", "month"),
        Facet("basisOfRecord", "vocabulary"),
        Facet("kingdomKey", "vocabulary"),
        Facet("license", "vocabulary"),
        Facet("country", "country"),
        Facet("publishingCountry", "country"),
        Facet("publishingOrg", "publisher"),
        Facet("datasetKey", "dataset"),
    ),
    "datasets": _facets(
        Facet("type", "vocabulary"),
        Facet("license", "vocabulary"),
        Facet("publishingCountry", "country"),
        Facet("publishingOrg", "publisher"),
    ),
}


def chart_query(text: str, facet_name: str, limit: int) -> tuple[Query, Facet]:
    """``occurrences?country=BE`` + ``year`` -> the faceted ``limit=0`` search that
    answers it. Raises ValueError naming what is wrong (word or facet)."""
    word = text.strip().partition("?")[0].strip()
    if word not in FACETS:
        raise ValueError(f"a chart draws {' or '.join(FACETS)} searches, not {word!r}")
    facet = FACETS[word].get(facet_name.strip())
    if facet is None:
        raise ValueError(f"{facet_name!r} is not a facet of {word} searches; use one of "
                         f"{', '.join(FACETS[word])}")
    base = count_query(text)
    params = [(k, v) for k, v in base.params if k not in _FACET_PARAMETERS]
    facet_limit = {"year": YEAR_FACET_LIMIT, "month": 12}.get(facet.values, limit)
    params += [("facet", facet.name), ("facetLimit", str(facet_limit)), ("limit", "0")]
    return Query(base.path, tuple(sorted(params)), kind="facets"), facet


# --- reading an answer ------------------------------------------------------------------


@dataclass(frozen=True)
class FacetCounts:
    """The counts of one facet, largest first; ``total`` is the search's ``count``;
    ``skipped`` counts entries that were not a name with a whole, non-negative count."""

    counts: list[tuple[str, int]]
    total: int | None
    skipped: int = 0


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def read_counts(data: object, facet: Facet) -> FacetCounts | None:
    """The counts of *facet* in a search answer, or None when the answer has no facets.

    The client refuses malformed answers before they become snapshots; this is for a
    snapshot edited by hand: bad entries are skipped and counted, never trusted."""
    if not isinstance(data, dict) or not isinstance(data.get("facets"), list):
        return None
    total = data.get("count") if _is_count(data.get("count")) else None
    found = [f for f in data["facets"] if isinstance(f, dict) and f.get("field") == facet.field]
    if not found:
        return FacetCounts([], total)  # GBIF leaves a facet out when nothing matches
    raw = found[0].get("counts")
    entries = raw if isinstance(raw, list) else []
    counts = [
        (str(e["name"]), int(e["count"])) for e in entries
        if isinstance(e, dict) and isinstance(e.get("name"), str | int)
        and not isinstance(e.get("name"), bool) and _is_count(e.get("count"))
    ]
    skipped = len(entries) - len(counts) + (0 if isinstance(raw, list) else 1)
    counts.sort(key=lambda pair: pair[1], reverse=True)
    return FacetCounts(counts, total, skipped)


def year_series(counts: list[tuple[str, int]], start: int | None) -> list[tuple[int, int]]:
    """Every year from *start* (or the first with data) to the last with data, in order;
    GBIF leaves out years without records, the chart shows them as zero."""
    years: dict[int, int] = {}
    for name, count in counts:
        if name.strip().isdigit():
            years[int(name)] = years.get(int(name), 0) + count
    if start is not None:
        years = {year: count for year, count in years.items() if year >= start}
    if not years:
        return []
    first = min(years) if start is None else start
    return [(year, years.get(year, 0)) for year in range(first, max(years) + 1)]


def month_series(counts: list[tuple[str, int]]) -> list[tuple[int, int]]:
    """The twelve months in calendar order (a month without records counts zero)."""
    months = {int(n): c for n, c in counts if n.strip().isdigit() and 1 <= int(n) <= 12}
    return [(month, months.get(month, 0)) for month in range(1, 13)] if months else []


def top_values(
    counts: list[tuple[str, int]], limit: int, total: int | None
) -> tuple[list[tuple[str, int]], int, bool]:
    """The *limit* largest values, what the rest sums to, and whether that rest is
    "Other" (True: GBIF returned a full page of values, so more exist) or records with
    no value at all (False). The rest comes from the search's total when it has one,
    since the answer lists at most ``facetLimit`` values."""
    top = counts[:limit]
    shown = sum(count for _name, count in top)
    listed = sum(count for _name, count in counts)
    rest = (total - shown) if total is not None and total >= listed else listed - shown
    return top, max(rest, 0), len(counts) >= limit


# --- names in the page language -----------------------------------------------------------


def registry_query(facet: Facet, key: str) -> Query | None:
    """The registry record that names a publisher or dataset key (None for other facets
    or a key that is not a UUID: API text never becomes a request path unchecked)."""
    path = {"publisher": "organization", "dataset": "dataset"}.get(facet.values)
    try:
        checked = gbif_key(key)
    except ValueError:
        return None
    return Query(f"{path}/{checked}", kind="object", fields=("key", "title")) if path else None


@lru_cache(maxsize=1024)
def year_label(year: int, locale: Locale) -> str:
    """``2020`` in most languages, ``2020年`` in Chinese (CLDR's year skeleton)."""
    return format_skeleton("y", date(year, 1, 1), locale=locale)


def month_label(month: int, locale: Locale) -> str:
    return str(locale.months["stand-alone"]["abbreviated"][month])


def value_namer(facet: Facet, locale: Locale) -> Callable[[str], str]:
    """A function naming the values of *facet* in the page language: vocabulary values
    from the catalogue, countries from Babel; an unknown code is shown as GBIF spells
    it, made readable (``NEW_VALUE`` -> ``New value``)."""
    if facet.values == "country":
        territories = locale.territories
        return lambda name: str(territories.get(name.upper(), name))
    known = {code: str(label) for code, label in _VOCABULARIES.get(facet.name, dict)().items()}

    def name_of(name: str) -> str:
        if name in known:
            return known[name]
        return name.replace("_", " ").capitalize() if name.isupper() else name

    return name_of


def facet_heading(facet: Facet) -> str:
    """The facet as a column heading: ``Basis of record``."""
    return str({
        "year": _("Year"),
        "month": _("Month"),
        "basisOfRecord": _("Basis of record"),
        "kingdomKey": _("Kingdom"),
        "license": _("Licence"),
        "country": _("Country or area"),
        "publishingCountry": _("Publishing country"),
        "publishingOrg": _("Publisher"),
        "datasetKey": _("Dataset"),
        "type": _("Dataset type"),
    }[facet.name])


def facet_phrase(facet: Facet) -> str:
    """The facet in a sentence: ``by basis of record``."""
    return str({
        "year": _("by year"),
        "month": _("by month"),
        "basisOfRecord": _("by basis of record"),
        "kingdomKey": _("by kingdom"),
        "license": _("by licence"),
        "country": _("by country or area"),
        "publishingCountry": _("by publishing country"),
        "publishingOrg": _("by publisher"),
        "datasetKey": _("by dataset"),
        "type": _("by dataset type"),
    }[facet.name])


def measure_heading(word: str) -> str:
    """What is counted, as a column heading: ``Occurrences``."""
    return str(_("Datasets") if word == "datasets" else _("Occurrences"))


def measure_noun(word: str) -> str:
    """What is counted, in a sentence: ``occurrences``."""
    return str(_("datasets") if word == "datasets" else _("occurrences"))


# Functions, not module constants: ``_`` translates into the language of the build that
# calls, and one process may build several languages.


def _basis_of_record() -> dict[str, str]:
    return {
        "PRESERVED_SPECIMEN": _("Preserved specimen"),
        "FOSSIL_SPECIMEN": _("Fossil specimen"),
        "LIVING_SPECIMEN": _("Living specimen"),
        "OBSERVATION": _("Observation"),
        "HUMAN_OBSERVATION": _("Human observation"),
        "MACHINE_OBSERVATION": _("Machine observation"),
        "MATERIAL_SAMPLE": _("Material sample"),
        "MATERIAL_CITATION": _("Material citation"),
        "LITERATURE": _("Literature"),
        "OCCURRENCE": _("Occurrence"),
        "UNKNOWN": _("Unknown"),
    }


def _kingdoms() -> dict[str, str]:
    """GBIF backbone kingdom keys."""
    return {
        "0": _("Not classified"),
        "1": _("Animals"),
        "2": _("Archaea"),
        "3": _("Bacteria"),
        "4": _("Chromista"),
        "5": _("Fungi"),
        "6": _("Plants"),
        "7": _("Protozoa"),
        "8": _("Viruses"),
    }


def _licences() -> dict[str, str]:
    return {
        "CC0_1_0": _("Public domain (CC0 1.0)"),
        "CC_BY_4_0": _("Attribution (CC BY 4.0)"),
        "CC_BY_NC_4_0": _("Attribution-NonCommercial (CC BY-NC 4.0)"),
        "UNSPECIFIED": _("Licence not specified"),
        "UNSUPPORTED": _("Other licence"),
    }


def _dataset_types() -> dict[str, str]:
    return {
        "OCCURRENCE": _("Occurrences"),
        "CHECKLIST": _("Checklist"),
        "SAMPLING_EVENT": _("Sampling event"),
        "METADATA": _("Metadata only"),
    }


_VOCABULARIES: dict[str, Callable[[], dict[str, str]]] = {
    "basisOfRecord": _basis_of_record,
    "kingdomKey": _kingdoms,
    "license": _licences,
    "type": _dataset_types,
}
