"""Ingestion of files: text with and without header, encodings, JSON, errors, batches.

Fixtures live in tests/data/ingest (see tests/data/README.md); the shared corpus is read
in place from the folder beside the repository and never copied.
"""

from __future__ import annotations

import codecs
import doctest
import logging
import pickle
import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from graph import ingest, textmeta
from graph.ingest import MAX_BYTES, IngestError, decode_bytes, read_path, read_paths, read_text
from graph.textmeta import detect_language, find_release_date, guess_title, parse_date, text_id

DATA = Path(__file__).resolve().parent / "data" / "ingest"
SHARED = Path(__file__).resolve().parents[2] / "shared"
RELEASES = SHARED / "corpus" / "releases"
CORPUS = sorted(RELEASES.glob("*.txt")) if RELEASES.is_dir() else []


def _header(path: Path) -> dict[str, str | None]:
    """The corpus header, parsed independently of graph.ingest (split on the first two ---)."""
    block = path.read_text(encoding="utf-8").split("---\n")[1]
    pairs = (line.split(":", 1) for line in block.strip().splitlines())
    return {k.strip(): (None if v.strip() == "unknown" else v.strip()) for k, v in pairs}


# --------------------------------------------------------------------------- doctests


@pytest.mark.parametrize("module", [ingest, textmeta])
def test_docstring_examples_run(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


# --------------------------------------------------------------------------- the shared corpus


@pytest.mark.skipif(not CORPUS, reason="shared corpus not present beside the repository")
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem[:40])
def test_corpus_release_header(path):
    [release] = read_path(path)
    header = _header(path)
    assert release.id == path.stem
    assert release.title == header["title"]
    assert release.date == header["date"]
    assert release.language == header["language"]
    assert release.source == header["source"]
    assert release.url == header["url"]
    assert release.path == str(path)
    assert not release.text.startswith("---")
    # The contract's offsets index the text right after the header's closing line, blank line
    # included: the body is kept as it is (trailing space aside).
    body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    assert unicodedata.normalize("NFC", body).rstrip() == release.text


@pytest.mark.skipif(not CORPUS, reason="shared corpus not present beside the repository")
def test_corpus_inference_without_header_agrees_with_header():
    """Stripped of its header, each release's inferred date and language match the header."""
    found_dates = 0
    for path in CORPUS:
        header = _header(path)
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        release = read_text(body)
        assert release.language == header["language"], path.stem
        if release.date is not None and header["date"] is not None:
            # A header may say "unknown" where the body gives a date: only a known one is compared.
            found_dates += 1
            assert release.date == header["date"], path.stem
        assert release.id.startswith("sha-")
    assert found_dates >= 15


# --------------------------------------------------------------------------- header parsing


def test_header_extra_keys_any_order():
    [r] = read_path(DATA / "costa-rica-canada-mou.txt")
    assert r.id == "costa-rica-canada-mou"
    assert r.title == "Costa Rica and Canada Sign Memorandum on Border Security Training"
    assert r.date == "2024-03-04"
    assert r.source == "Ministry of Public Security of Costa Rica"
    assert r.url == "https://www.example.go.cr/news/2024/costa-rica-canada-memorandum"
    assert r.language == "en"
    assert r.text.lstrip("\n").startswith("SAN JOSÉ, March 4, 2024")
    assert "note:" not in r.text and "---" not in r.text


def test_header_with_bom_and_crlf(tmp_path):
    raw = (DATA / "costa-rica-canada-mou.txt").read_text(encoding="utf-8")
    f = tmp_path / "crlf.txt"
    f.write_bytes(codecs.BOM_UTF8 + raw.replace("\n", "\r\n").encode("utf-8"))
    [r] = read_path(f)
    [plain] = read_path(DATA / "costa-rica-canada-mou.txt")
    assert (r.title, r.date, r.language, r.text) == (plain.title, plain.date, plain.language, plain.text)
    assert "\r" not in r.text


def test_unknown_header_values_are_none_and_not_inferred():
    [r] = read_path(DATA / "guatemala-unknowns.txt")
    assert (r.title, r.date, r.url) == (None, None, None)
    assert r.source == "Ministerio de Gobernación (invented example)"
    assert r.language == "es"
    assert r.text.lstrip().startswith("Guatemala, 12 de marzo de 2024")


def test_header_without_body_is_an_error():
    with pytest.raises(IngestError, match=r"^x\.txt: no text after the metadata header$"):
        read_text("---\ntitle: Only a header\n---\n\n  \n", path="x.txt")


def test_a_leading_rule_without_keys_is_not_a_header():
    r = read_text("---\nA paragraph after a horizontal rule.\n---\nMore text.")
    assert r.text.startswith("---") and r.title is None


def test_keys_absent_from_the_header_are_inferred():
    r = read_text("---\nsource: Example Ministry\n---\nPeru and Chile Sign Accord\n\nLIMA, 5 May 2018 – ...")
    assert (r.title, r.date, r.source) == ("Peru and Chile Sign Accord", "2018-05-05", "Example Ministry")


def test_defaults_fill_what_the_header_lacks():
    r = read_text(
        "---\ntitle: From the header\n---\nBody text of a release.",
        defaults={
            "title": "From defaults",
            "source": "Example Ministry",
            "date": "2020-01-05",
            "language": None,
        },
    )
    assert (r.title, r.source, r.date, r.language) == (
        "From the header",
        "Example Ministry",
        "2020-01-05",
        "en",
    )


# --------------------------------------------------------------------------- no header: inference


def test_no_header_title_from_first_line_and_dateline_date():
    [r] = read_path(DATA / "honduras-chile-es.txt")
    assert r.title == "Honduras y Chile firman memorando sobre seguridad portuaria"
    assert r.text.startswith(r.title + "\n\n")  # the text stays intact
    assert r.date == "2023-07-09"
    assert r.language == "es"


def test_release_date_line_on_next_line():
    [r] = read_path(DATA / "release-date-line.txt")
    assert r.date == "2021-11-18"
    assert r.title == "Panama and Spain Renew Customs Cooperation Arrangement"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Title\n\nRelease Date: October 17, 2014\n\nWASHINGTON—Today ...", "2014-10-17"),
        ("Title\n\nRelease Date:\n\nDecember 29, 2020\n\nToday ...", "2020-12-29"),
        ("Mexico City, February 27, 2012 -- The Secretary ...", "2012-02-27"),
        ("WASHINGTON, Dec. 3, 2019 – The ministers ...", "2019-12-03"),
        ("OTTAWA, Sept. 14, 2013 — The Minister ...", "2013-09-14"),
        ("Ciudad de Guatemala, 27 de junio de 2025.- La ministra ...", "2025-06-27"),
        ("Ciudad de México, 17 de octubre 2023.- El 5 de octubre ...", "2023-10-17"),
        ("Brussels, 23 February 2024\n\nThe Commission ...", "2024-02-23"),
        ("Monday, 29 July 2019\nMedia release", "2019-07-29"),
        ("Quito, August 16. The United States and Ecuador ...", None),
        ("On February 4, the ministers spoke.", None),
        ("x" * 310 + " Signed on March 3, 2020 in Lima.", None),  # beyond the dateline zone
        ("Fecha de publicación: 5 de mayo de 2021\n\nEl ministerio ...", "2021-05-05"),
    ],
)
def test_find_release_date(text, expected):
    assert find_release_date(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019-12-17", "2019-12-17"),
        ("2019-12-17T23:30:00-05:00", "2019-12-17"),
        ("2019/7/4", "2019-07-04"),
        ("Tue, 17 Dec 2019 10:00:00 GMT", "2019-12-17"),
        ("December 17, 2019", "2019-12-17"),
        ("JUNE 7, 2019", "2019-06-07"),
        ("Aug. 9, 2022", "2022-08-09"),
        ("Sept 1st, 2021", "2021-09-01"),
        ("1 de setiembre de 2020", "2020-09-01"),
        ("3 de dic. de 2018", "2018-12-03"),
        ("10 ene 2015", "2015-01-10"),
        ("February 30, 2020", None),
        ("2020-13-01", None),
        ("sometime in spring", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Press Release\n\nCosta Rica and Canada Sign Memorandum\n\nSAN JOSÉ ...",
            "Costa Rica and Canada Sign Memorandum",
        ),
        (
            "For Immediate Release\nDHS Press Office\nPanama and Chile Sign Letter of Intent\nText.",
            "Panama and Chile Sign Letter of Intent",
        ),
        ("The ministry signed a memorandum today.\n\nMore.", None),
        ("A" * 201 + " words\n\nMore.", None),
        ("December 7, 2009\n\nMinisters Sign Customs Accord\n\nText.", "Ministers Sign Customs Accord"),
    ],
)
def test_guess_title(text, expected):
    assert guess_title(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Minister of Security signed the memorandum with the Ambassador of Spain today.", "en"),
        ("El Ministro de Seguridad firmó hoy el memorando con el Embajador de España.", "es"),
        ("La Secretaría y la Policía acordaron reforzar los controles en los puertos.", "es"),
        ("", "en"),
    ],
)
def test_detect_language(text, expected):
    assert detect_language(text) == expected


def test_ids_from_text_hash_are_stable_and_given_ids_win():
    a = read_text("Costa Rica and Canada signed  a memorandum.\n")
    b = read_text("Costa Rica and Canada signed a memorandum.")
    assert a.id == b.id == text_id("Costa Rica and Canada signed a memorandum.")
    assert re.fullmatch(r"sha-[0-9a-f]{16}", a.id)
    assert read_text("Other text.").id != a.id
    assert read_text("Costa Rica and Canada signed a memorandum.", id="given").id == "given"


def test_text_is_nfc_normalized():
    decomposed = unicodedata.normalize("NFD", "Panamá y Canadá firmaron un memorando de cooperación.")
    r = read_text(decomposed)
    assert r.text == "Panamá y Canadá firmaron un memorando de cooperación." and r.language == "es"


# --------------------------------------------------------------------------- encodings

SPANISH = "“Señal clara”: el Ministerio de Seguridad Pública firmó el acuerdo — según el vocero, costó 5 €."
LATIN1 = "¿Qué firmó el Ministerio? ¡Un acuerdo de cooperación con Panamá sobre la protección fronteriza!"


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("cp1252.txt", SPANISH.encode("cp1252"), SPANISH),
        ("latin1.txt", LATIN1.encode("latin-1"), LATIN1),
        ("utf8-bom.txt", codecs.BOM_UTF8 + SPANISH.encode("utf-8"), SPANISH),
        ("utf8.txt", SPANISH.encode("utf-8"), SPANISH),
        ("utf16-le.txt", SPANISH.encode("utf-16"), SPANISH),
        ("utf16-be.txt", codecs.BOM_UTF16_BE + SPANISH.encode("utf-16-be"), SPANISH),
    ],
)
def test_encodings_decode_without_mojibake(tmp_path, name, data, expected):
    f = tmp_path / name
    f.write_bytes(data)
    [r] = read_path(f)
    assert r.text == expected
    assert "Ã" not in r.text and "\ufffd" not in r.text
    assert r.language == "es"


def test_utf16_file_with_header(tmp_path):
    raw = (DATA / "costa-rica-canada-mou.txt").read_text(encoding="utf-8").replace("\n", "\r\n")
    f = tmp_path / "u16.txt"
    f.write_bytes(raw.encode("utf-16"))
    [r] = read_path(f)
    assert r.title == "Costa Rica and Canada Sign Memorandum on Border Security Training"
    assert "SAN JOSÉ" in r.text


def test_non_latin_legacy_encoding_uses_charset_normalizer():
    text = "Министерство внутренних дел подписало меморандум о сотрудничестве в области безопасности границ."
    assert decode_bytes(text.encode("cp1251")) == text


def test_declared_encoding_is_tried_first_and_ignored_when_wrong():
    assert decode_bytes("Señal".encode("cp1252"), encoding="utf-8") == "Señal"
    assert decode_bytes("Señal".encode(), encoding="no-such-codec") == "Señal"


# --------------------------------------------------------------------------- bad input


def _bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """Write one file per kind of bad input; map kind -> (path, expected reason pattern)."""
    files = {
        "empty": ("empty.txt", b"", r"empty file"),
        "blank": ("blank.md", b" \n\t\r\n", r"empty file \(only whitespace\)"),
        "nul": ("nul.txt", b"Some text\x00\x01\x02 and more", r"binary file \(contains NUL bytes\)"),
        "controls": ("controls.txt", bytes(range(1, 9)) * 40 + b"abc", r"binary file \(control characters\)"),
        "png": ("picture.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, r"binary file \(PNG image\)"),
        "pdf": ("paper.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", r"binary file \(PDF document\)"),
        "bad-json": (
            "broken.json",
            b'{"title": "x",\n  "text": }',
            r"invalid JSON: .* \(line 2, column 11\)",
        ),
        "no-text-json": ("notext.json", b'{"title": "Only a title"}', r"no text field"),
        "scalar-json": ("scalar.json", b"42", r"JSON top level must be an object or a list"),
        "empty-list-json": ("nothing.json", b"[]", r"JSON list holds no records"),
        "header-only": ("header.txt", b"---\ntitle: t\n---\n", r"no text after the metadata header"),
        "html-no-text": (
            "blank.html",
            b"<html><body><nav>Home</nav><script>x</script></body></html>",
            r"no text",
        ),
        "xml-not-feed": (
            "data.xml",
            b"<?xml version='1.0'?><catalog><item/></catalog>",
            r"not an RSS or Atom",
        ),
        "bad-utf16": ("bad16.txt", codecs.BOM_UTF16_LE + b"a\x00\x00\xd8", r"undecodable"),
    }
    out = {}
    for kind, (name, data, reason) in files.items():
        (tmp_path / name).write_bytes(data)
        out[kind] = (tmp_path / name, reason)
    big = tmp_path / "huge.txt"
    with big.open("wb") as fh:
        fh.truncate(MAX_BYTES + 1)
    out["too-large"] = (big, rf"too large: {MAX_BYTES + 1} bytes \(limit {MAX_BYTES}\)")
    return out


def test_each_bad_input_kind_raises_ingest_error_with_path_and_reason(tmp_path):
    for kind, (path, reason) in _bad_files(tmp_path).items():
        with pytest.raises(IngestError) as info:
            read_path(path)
        err = info.value
        assert isinstance(err, ValueError)
        assert err.path == str(path), kind
        assert str(err) == f"{path}: {err.reason}", kind
        assert "\n" not in str(err), kind
        assert re.search(reason, err.reason), (kind, err.reason)


def test_not_found_and_directory_errors(tmp_path):
    with pytest.raises(IngestError, match=r"nope\.txt: not found$"):
        read_path(tmp_path / "nope.txt")
    with pytest.raises(IngestError, match=r": is a directory"):
        read_path(tmp_path)


def test_ingest_error_pickles_and_reads_as_one_line():
    err = pickle.loads(pickle.dumps(IngestError("a.txt", "bad\nthing")))
    assert (err.path, err.reason, str(err)) == ("a.txt", "bad thing", "a.txt: bad thing")


# --------------------------------------------------------------------------- JSON and JSON Lines


def test_json_list_records():
    from graph.web import canonical_url_id

    a, b, c = read_path(DATA / "releases.json")
    assert (a.id, a.date, a.language, a.source) == (
        "ec-peru-2022",
        "2022-08-09",
        "en",
        "Ministry of the Interior of Ecuador (invented example)",
    )
    assert b.id == canonical_url_id("https://www.example.gob.do/noticias/carta-de-intencion")  # from "body"
    assert (b.date, b.language) == ("2021-02-02", "es")  # dateline, detector
    assert c.id == "releases-3" and c.text.startswith("The Belize Police")  # from "content"
    assert {r.path for r in (a, b, c)} == {str(DATA / "releases.json")}


def test_json_single_object_takes_the_stem():
    [r] = read_path(DATA / "single-record.json")
    assert (r.id, r.date, r.language) == ("single-record", "2020-10-05", "es")
    assert r.title == "Uruguay and Argentina Sign Protocol on Police Cooperation"


def test_jsonl_bad_lines_are_reported_and_the_rest_kept():
    errors: list[IngestError] = []
    releases = read_path(DATA / "releases.jsonl", on_error=errors.append)
    assert [r.id for r in releases] == ["pa-us-2020", "releases-3"]
    assert releases[1].date == "2019-04-14"
    path = DATA / "releases.jsonl"
    assert [e.path for e in errors] == [f"{path}:2", f"{path}:5"]
    assert "invalid JSON" in errors[0].reason and "no text field" in errors[1].reason


def test_jsonl_without_callback_raises_at_the_first_bad_line():
    with pytest.raises(IngestError, match=r"releases\.jsonl:2: invalid JSON"):
        read_path(DATA / "releases.jsonl")


# --------------------------------------------------------------------------- batches


def test_read_paths_over_a_mixed_directory(tmp_path):
    bad = _bad_files(tmp_path)
    good = ["costa-rica-canada-mou.txt", "honduras-chile-es.txt", "release-page.html", "single-record.json"]
    for name in good:
        shutil.copy(DATA / name, tmp_path / name)
    sub = tmp_path / "sub"
    sub.mkdir()
    shutil.copy(DATA / "release-date-line.txt", sub / "release-date-line.txt")
    (tmp_path / ".hidden.txt").write_text("A hidden note that must be skipped.")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("Inside a hidden folder.")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # unknown extension: skipped silently
    (tmp_path / "README").write_text("No extension: skipped in directories.")

    errors: list[IngestError] = []
    ids = [r.id for r in read_paths([tmp_path], on_error=errors.append)]
    assert ids == [
        "costa-rica-canada-mou",
        "honduras-chile-es",
        "release-page",
        "single-record",
        "release-date-line",
    ]
    assert sorted(e.path for e in errors) == sorted(str(p) for p, _ in bad.values())
    assert len(errors) == len(bad)  # each bad file reported once


def test_read_paths_explicit_files_are_always_attempted(tmp_path):
    notes = tmp_path / "notes.dat"
    notes.write_text("Chile and Peru Sign Police Memorandum\n\nLIMA, May 2, 2018 – The police forces ...")
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    errors: list[IngestError] = []
    out = list(read_paths([notes, str(logo), tmp_path / "missing.txt"], on_error=errors.append))
    assert [(r.id, r.date) for r in out] == [("notes", "2018-05-02")]
    assert [e.reason for e in errors] == ["binary file (PNG image), not text", "not found"]


def test_read_paths_empty_directory_and_default_logging(tmp_path, caplog):
    (tmp_path / "empty").mkdir()
    with caplog.at_level(logging.ERROR, logger="graph.ingest"):
        out = list(read_paths([tmp_path / "empty", DATA / "honduras-chile-es.txt"]))
    assert [r.id for r in out] == ["honduras-chile-es"]
    assert "directory holds no readable files" in caplog.text


def test_read_paths_reads_feed_and_jsonl_files_in_a_directory(tmp_path):
    shutil.copy(DATA / "feed-full.atom", tmp_path / "feed-full.atom")
    shutil.copy(DATA / "releases.jsonl", tmp_path / "releases.jsonl")
    errors: list[IngestError] = []
    out = list(read_paths([tmp_path], on_error=errors.append))
    assert [r.language for r in out[:2]] == ["es", "es"]  # feed entries
    assert [r.id for r in out[2:]] == ["pa-us-2020", "releases-3"]
    assert len(errors) == 2


def test_a_release_in_another_language_is_labelled_with_its_code_and_a_warning(tmp_path, caplog):
    from graph.ingest import read_path

    french = tmp_path / "communique.txt"
    french.write_text(
        "Le ministre de l'Intérieur a signé aujourd'hui à Rabat un accord de coopération avec le Maroc "
        "pour renforcer la lutte contre le terrorisme et la criminalité organisée. Les deux pays vont "
        "échanger des informations et former des policiers.",
        encoding="utf-8",
    )
    with caplog.at_level("WARNING"):
        (release,) = read_path(french)
    assert release.language == "fr"
    assert "tuned for English and Spanish" in caplog.text
    spanish = tmp_path / "comunicado.txt"
    spanish.write_text(
        "El ministro del Interior firmó hoy en Rabat un acuerdo de cooperación con Marruecos para "
        "reforzar la lucha contra el terrorismo y la delincuencia organizada.",
        encoding="utf-8",
    )
    assert read_path(spanish)[0].language == "es"


# --------------------------------------------------------------------------- Markdown

_PLAIN = (
    "Canada and Mexico Sign a Memorandum on Border Security\n\n"
    "OTTAWA, March 3, 2021 - Canada's Minister of Public Safety Jane Example and Mexico's "
    "Secretary of Security Juan Ejemplo signed a Memorandum of Understanding on Border Security "
    "today.\n\nBoth countries commit to:\n\n- Share customs data\n- Train border officers\n"
)
_MARKDOWN = (
    "# Canada and Mexico Sign a *Memorandum* on Border Security\n\n"
    "OTTAWA, March 3, 2021 - Canada's [Minister of Public Safety](https://example.org/minister) "
    "Jane Example and **Mexico's** Secretary of Security Juan Ejemplo signed a Memorandum of\n"
    "Understanding on Border Security today.\n\n"
    "Both countries commit to:\n\n* Share customs data\n* Train border officers\n\n"
    "[minister]: https://example.org/minister\n"
)


def test_markdown_reads_as_the_text_a_reader_sees(tmp_path):
    """Link, emphasis and heading marks go, so names and titles read as in plain text (a link in
    a title kept the signatory out of the record); the offsets index the plain text."""
    from graph.extract import extract

    (tmp_path / "plain.txt").write_text(_PLAIN, encoding="utf-8")
    (tmp_path / "marked.md").write_text(_MARKDOWN, encoding="utf-8")
    (plain,) = read_path(tmp_path / "plain.txt")
    (marked,) = read_path(tmp_path / "marked.md")
    assert marked.title == plain.title == "Canada and Mexico Sign a Memorandum on Border Security"
    assert marked.date == plain.date == "2021-03-03"
    assert "[" not in marked.text and "*" not in marked.text and "https://" not in marked.text
    assert "- Share customs data\n- Train border officers" in marked.text
    ours, theirs = extract(marked), extract(plain)
    names = ["Jane Example", "Juan Ejemplo"]
    assert [p.name for p in ours.people] == [p.name for p in theirs.people] == names
    assert [(a.type, a.parties, a.signatories) for a in ours.agreements] == [
        (a.type, a.parties, a.signatories) for a in theirs.agreements
    ]
    assert ours.evidence
    for ev in ours.evidence:
        assert (marked.title if ev.part == "title" else marked.text)[ev.start : ev.end] == ev.sentence
    # a .txt file is text as written, whatever it holds
    (tmp_path / "marked.txt").write_text(_MARKDOWN, encoding="utf-8")
    assert "[Minister of Public Safety]" in read_path(tmp_path / "marked.txt")[0].text
