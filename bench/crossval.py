"""Cross-validation of the extractor's rules: the two halves of the shared corpus scored apart.

Releases 001-066 are the ones the first rules were written on; 201-420 came later, from states,
bodies and instrument kinds the first lack. A rule written for one release's phrasing shows up as a
gap between the halves; general rules keep them close. The scorer is the shared one
(``../shared/tools/score.py``), run on each half and language. The instruments' own focus areas,
which that scorer leaves out, are scored here on the instruments matched to gold by type and parties.

Run ``python bench/crossval.py`` (``--show-errors`` lists each half's errors, ``--json`` prints the
figures as JSON).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from graph import extract, read_paths

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIELDS = ("countries", "agencies", "people", "agreements", "focus_areas")
HALVES = {"001-066": lambda stem: int(stem[:3]) < 100, "201-420": lambda stem: int(stem[:3]) >= 100}


def _score(gold: Path, pred: Path, language: str, errors: bool) -> dict:
    cmd = [sys.executable, str(SHARED / "tools" / "score.py"), "--gold", str(gold), "--pred", str(pred)]
    cmd += ["--language", language, "--json"]
    scores = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)
    if errors:
        shown = subprocess.run([*cmd[:-1], "--show-errors"], capture_output=True, text=True, check=True)
        scores["errors"] = [line for line in shown.stdout.splitlines() if ": " in line and "{" in line]
    return scores


def _instrument_focus(records: list, gold: dict[str, dict], member) -> dict[str, float]:
    """Precision, recall and F1 of the instruments' own focus areas (which the shared scorer does
    not score), over the instruments matched to a firm gold one by type and parties."""
    tp = fp = fn = 0
    for record in records:
        expected = gold.get(record.id)
        if expected is None or not member(record.id):
            continue
        used: set[int] = set()
        for agreement in record.agreements:
            for k, other in enumerate(expected["agreements"]):
                if k in used or other.get("optional"):
                    continue
                if agreement.type == other["type"] and sorted(agreement.parties) == sorted(other["parties"]):
                    used.add(k)
                    found, wanted = set(agreement.focus_areas), set(other["focus_areas"])
                    tp, fp, fn = tp + len(found & wanted), fp + len(found - wanted), fn + len(wanted - found)
                    break
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-errors", action="store_true", help="list each half's errors")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    corpus = SHARED / "corpus"
    if not (corpus / "releases").is_dir():
        sys.exit(f"crossval: {corpus} not found beside the checkout")
    records = [extract(r) for r in read_paths([corpus / "releases"])]
    results: dict[str, dict[str, dict]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "pred.jsonl"
        pred.write_text("".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in records))
        for half, member in HALVES.items():
            gold = Path(tmp) / half
            gold.mkdir()
            for path in (corpus / "gold").glob("*.json"):
                if member(path.stem):
                    shutil.copy(path, gold / path.name)
            results[half] = {lang: _score(gold, pred, lang, args.show_errors) for lang in ("en", "es")}
    gold = {
        path.stem: json.loads(path.read_text(encoding="utf-8")) for path in (corpus / "gold").glob("*.json")
    }
    focus = {half: _instrument_focus(records, gold, member) for half, member in HALVES.items()}
    if args.json:
        print(json.dumps({**results, "instrument_focus_areas": focus}, indent=2))
        return 0
    for half, by_language in results.items():
        for lang, scores in by_language.items():
            for line in scores.get("errors", []):
                print(f"[{half} {lang}] {line}")
    header = (
        f"{'half':<9} {'lang':<4} {'n':>3} " + " ".join(f"{f[:10]:>10}" for f in FIELDS) + f" {'overall':>8}"
    )
    print(header)
    for half, by_language in results.items():
        for lang, s in by_language.items():
            cells = " ".join(f"{s['fields'][f]['f1']:>10.3f}" for f in FIELDS)
            print(f"{half:<9} {lang:<4} {s['releases']:>3} {cells} {s['overall_f1']:>8.3f}")
    for lang in ("en", "es"):
        a, b = (results[h][lang]["overall_f1"] for h in HALVES)
        print(f"gap between the halves ({lang}): {abs(a - b):.3f}")
    print("instruments' own focus areas (instruments matched to gold by type and parties):")
    for half, f in focus.items():
        print(f"  {half}: precision {f['precision']:.3f}, recall {f['recall']:.3f}, F1 {f['f1']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
