#!/usr/bin/env python3
"""Mechanical checks for data/samples: headers, expected records, coverage.

usage: python3 data/check_samples.py [--jsonl OUT]

Checks every NN-slug.txt against expected/NN-slug.json (valid JSON, indent 1, field order, sorted
codes, focus ids from the vocabulary, agreement types from the contract, signatories are people,
parties are in countries except EU, aliases occur in the title or body), prints diagnostics (focus
areas annotated without the vocabulary's typical wording, and the reverse; 7-word runs shared with the
original release in the shared corpus, if present) and the coverage counts used in README.md.
With --jsonl, also writes the expected records as JSON Lines, for tools/score.py --pred.
Exits 1 when a check fails. Standard library only. SECKG_SHARED points at the shared folder.
"""

import csv
import json
import os
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent / "samples"
SHARED = pathlib.Path(os.environ.get("SECKG_SHARED", "/work/shared"))
ORDER = ["id", "title", "date", "language", "countries", "agencies", "people", "agreements", "focus_areas", "optional", "notes"]
TYPES = {"letter-of-intent", "memorandum-of-understanding", "memorandum-of-cooperation", "agreement", "arrangement",
         "joint-statement", "declaration", "action-plan", "treaty", "protocol", "other"}
HEADER = ["title", "date", "source", "url", "language", "note"]
NOTE = "Illustrative summary written for seckg; not the original release text."


def vocabulary():
    vocab = {}
    for line in (SHARED / "contract" / "focus-areas.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and re.fullmatch(r"[a-z-]+", cells[0]) and cells[0] != "id":
            vocab[cells[0]] = [w.strip() for w in cells[4].split(",") if w.strip()]
    return vocab


def words(text):
    return re.findall(r"\w+", text.lower())


def shared_runs(body, original, n=7):
    a, b = words(body), words(original)
    grams = {" ".join(b[i:i + n]) for i in range(len(b) - n + 1)}
    runs, i = [], 0
    while i <= len(a) - n:
        if " ".join(a[i:i + n]) in grams:
            j = i
            while j <= len(a) - n and " ".join(a[j:j + n]) in grams:
                j += 1
            runs.append(" ".join(a[i:j + n - 1]))
            i = j
        else:
            i += 1
    return runs


def main():
    vocab = vocabulary()
    index_path = SHARED / "corpus" / "INDEX.tsv"
    index = {}
    if index_path.exists():
        index = {r["url"]: r["file"] for r in csv.DictReader(open(index_path, encoding="utf-8"), delimiter="\t")}
    errors, records = [], []
    cov = {"countries": set(), "years": set(), "focus areas": set(), "agreement types": set()}
    langs, negatives = {}, 0
    for path in sorted((HERE / "releases").glob("[0-9][0-9]-*.txt")):
        rid, raw = path.stem, path.read_text(encoding="utf-8")
        err = lambda msg: errors.append(f"{rid}: {msg}")  # noqa: E731
        if not raw.startswith("---\n"):
            err("no header")
            continue
        _, head, body = raw.split("---\n", 2)
        pairs = [line.split(": ", 1) for line in head.strip().splitlines()]
        if [k for k, _ in pairs] != HEADER:
            err(f"header keys {[k for k, _ in pairs]}")
        h = dict(pairs)
        if not h.get("source", "").startswith("seckg illustrative summary (facts from ") or h.get("note") != NOTE:
            err("source/note line")
        if not re.fullmatch(r"\d{4}-\d\d-\d\d", h.get("date", "")):
            err("header date")
        n = len(body.split())
        if not 120 <= n <= 300:
            err(f"body has {n} words")
        text = h["title"] + "\n" + body
        jpath = HERE / "expected" / f"{rid}.json"
        if not jpath.exists():
            err("no expected record")
            continue
        src = jpath.read_text(encoding="utf-8")
        g = json.loads(src)
        records.append(g)
        if src != json.dumps(g, indent=1, ensure_ascii=False) + "\n":
            err("not written with indent=1, ensure_ascii=False")
        if list(g) != ORDER:
            err(f"field order {list(g)}")
        if [g["id"], g["title"], g["date"], g["language"]] != [rid, h["title"], h["date"], h["language"]]:
            err("id/title/date/language differ from the file")
        for key in ("countries", "focus_areas"):
            if g[key] != sorted(set(g[key])):
                err(f"{key} not sorted and unique")
        optional = g["optional"]
        for f in g["focus_areas"] + optional.get("focus_areas", []):
            if f not in vocab:
                err(f"unknown focus area {f}")
        names = {p["name"] for p in g["people"]}
        for p in g["people"]:
            for form in [p["name"]] + p["aliases"]:
                if form not in text:
                    err(f"person form not in text: {form}")
        for a in g["agencies"]:
            for form in a["aliases"]:
                if form not in text:
                    err(f"agency alias not in text: {form}")
            if a["country"] is not None and a["country"] not in g["countries"]:
                err(f"agency country {a['country']} not in countries")
        for ag in g["agreements"]:
            if ag["type"] not in TYPES:
                err(f"agreement type {ag['type']}")
            for key in ("parties", "focus_areas"):
                if ag[key] != sorted(set(ag[key])):
                    err(f"agreement {key} not sorted and unique")
            for party in ag["parties"]:
                if party != "EU" and party not in g["countries"]:
                    err(f"party {party} not in countries")
            for s in ag["signatories"]:
                if s not in names:
                    err(f"signatory {s} is not a person of the record")
            for f in ag["focus_areas"]:
                if f not in g["focus_areas"]:
                    err(f"agreement focus {f} missing at release level")
            cov["agreement types"].add(ag["type"])
        low = text.lower()
        found = {fid for fid, ws in vocab.items() for w in ws
                 if re.search(r"(?<!\w)" + re.escape(w.lower()) + r"(?!\w)", low)}
        missing = sorted(set(g["focus_areas"]) - found)
        extra = sorted(found - set(g["focus_areas"]) - set(optional.get("focus_areas", [])))
        if missing or extra:
            print(f"note {rid}: annotated without typical wording {missing}; typical wording not annotated {extra}")
        original = SHARED / "corpus" / "releases" / index.get(h["url"], "-")
        if original.is_file():
            runs = shared_runs(body, original.read_text(encoding="utf-8").split("---", 2)[-1])
            if runs:
                print(f"note {rid}: runs shared with the original: {' | '.join(runs)}")
        cov["countries"] |= set(g["countries"])
        cov["years"].add(h["date"][:4])
        cov["focus areas"] |= set(g["focus_areas"])
        langs[h["language"]] = langs.get(h["language"], 0) + 1
        negatives += not g["agreements"]
    print(f"samples {len(records)}; languages {langs}; without agreements {negatives}")
    for key, values in cov.items():
        print(f"{key}: {len(values)} ({', '.join(sorted(values))})")
    if "--jsonl" in sys.argv:
        out = sys.argv[sys.argv.index("--jsonl") + 1]
        with open(out, "w", encoding="utf-8") as fh:
            for g in records:
                fh.write(json.dumps(g, ensure_ascii=False) + "\n")
    print(f"errors: {len(errors)}")
    print("\n".join(errors))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
