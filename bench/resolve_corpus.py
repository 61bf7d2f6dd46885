"""Cross-release resolution on the shared corpus: from gold records, and from what seckg extracts.

Usage::

    .venv/bin/python bench/resolve_corpus.py [--shared ../shared] [--json]

Two runs. *gold*: the gold records are loaded as reports and resolved (what the test gates).
*extracted*: the releases are extracted, loaded and resolved; each predicted report is matched to
the gold item of its release with the same type and parties (as ``tools/score.py`` matches), and
the groups of ``same-agreement.tsv`` are checked on the matched reports. For both it prints the
pairwise precision and recall of "same instrument" over firm gold items, the groups found whole,
and the merges of firm items that belong to different groups or to none.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import sys
from collections import defaultdict
from pathlib import Path

from graph.extract import extract
from graph.ingest import read_paths
from graph.loading import load_records
from graph.model import Record
from graph.store import execute, open_store

_QUERY = (
    "SELECT ?id ?pos ?a WHERE { GRAPH <https://w3id.org/seckg/graph/resolution> { ?r seckg:reportOf ?a } "
    "GRAPH ?g { ?r seckg:position ?pos ; seckg:reportedBy ?rel . ?rel dcterms:identifier ?id } }"
)


def _groups(shared: Path) -> dict[str, set[tuple[str, int]]]:
    groups: dict[str, set] = defaultdict(set)
    with (shared / "corpus" / "same-agreement.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if not row["index"].startswith("opt"):
                groups[row["cluster"]].add((row["release"], int(row["index"])))
    return groups


def _instruments(records: list[Record]) -> dict[tuple[str, int], str]:
    store = open_store(":memory:")
    load_records(store, records, generated_at="2024-01-01T00:00:00Z")
    return {(row["id"].value, int(row["pos"].value)): row["a"].value for row in execute(store, _QUERY)}


def _match(predicted: list[Record], gold: dict[str, dict]) -> dict[tuple[str, int], tuple[str, int]]:
    """Gold item -> predicted report, by release, type and parties (first unmatched wins)."""
    found = {}
    for record in predicted:
        items = gold.get(record.id, {}).get("agreements", [])
        taken: set[int] = set()
        for position, agreement in enumerate(record.agreements):
            for index, item in enumerate(items):
                if (
                    index not in taken
                    and item["type"] == agreement.type
                    and set(item["parties"]) == set(agreement.parties)
                ):
                    taken.add(index)
                    found[(record.id, index)] = (record.id, position)
                    break
    return found


def evaluate(instrument_of: dict, groups: dict, gold: dict[str, dict], match=None) -> dict:
    firm = {(rid, i) for rid, rec in gold.items() for i in range(len(rec["agreements"]))}
    to_report = match if match is not None else {item: item for item in firm}
    seen = {
        item: instrument_of[to_report[item]]
        for item in firm
        if item in to_report and to_report[item] in instrument_of
    }
    group_of = {item: name for name, items in groups.items() for item in items}
    same_true = {frozenset(p) for items in groups.values() for p in itertools.combinations(sorted(items), 2)}
    same_true = {p for p in same_true if all(x in seen for x in p)}
    by_instrument: dict[str, list] = defaultdict(list)
    for item, iri in seen.items():
        by_instrument[iri].append(item)
    same_pred = {
        frozenset(p) for items in by_instrument.values() for p in itertools.combinations(sorted(items), 2)
    }
    wrong = [sorted(items) for items in by_instrument.values() if len(items) > 1 and (
        None in {group_of.get(i) for i in items} or len({group_of.get(i) for i in items}) > 1)]  # fmt: skip
    whole = sum(
        1 for items in groups.values() if all(i in seen for i in items) and len({seen[i] for i in items}) == 1
    )
    covered = sum(1 for items in groups.values() if all(i in seen for i in items))
    hits = len(same_true & same_pred)
    return {
        "firm_items": len(firm), "matched_items": len(seen), "groups": len(groups),
        "groups_all_matched": covered, "groups_whole": whole,
        "pair_precision": round(hits / len(same_pred), 3) if same_pred else 1.0,
        "pair_recall": round(hits / len(same_true), 3) if same_true else 1.0,
        "wrong_merges": wrong,
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    gold = {
        p.stem: json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((args.shared / "corpus" / "gold").glob("*.json"))
    }
    groups = _groups(args.shared)
    gold_run = evaluate(_instruments([Record.from_dict(g) for g in gold.values()]), groups, gold)
    predicted = [extract(release) for release in read_paths([args.shared / "corpus" / "releases"])]
    extracted_run = evaluate(_instruments(predicted), groups, gold, _match(predicted, gold))
    result = {"gold": gold_run, "extracted": extracted_run}
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        for name, run in result.items():
            wrong = run.pop("wrong_merges")
            print(name, json.dumps(run))
            for items in wrong:
                print("  wrong merge:", items)
    return 0


if __name__ == "__main__":
    sys.exit(main())
