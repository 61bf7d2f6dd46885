"""Unit tests of each extractor step on real sentences.

Sentences are read in place from the shared corpus (never copied into the project) or written
here in our own words.
"""

from __future__ import annotations

import pytest

from graph import Release, extract, read_path, read_paths
from graph.extract.countries import codes_in
from graph.extract.dates import signing_date
from graph.extract.doc import split_sentences
from graph.extract.pipeline import read


def _release(shared_corpus, stem: str) -> Release:
    return read_path(shared_corpus / "releases" / f"{stem}.txt")[0]


def test_sentences_keep_abbreviations_and_initials_together():
    text = "Acting Secretary Chad F. Wolf met U.S. officials. Then they signed it.\n- first item;\n- second"
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "Acting Secretary Chad F. Wolf met U.S. officials.",
        "Then they signed it.",
        "- first item;",
        "- second",
    ]
    assert all(text[s.start : s.end] == s.text for s in sentences)
    assert [s.list_item for s in sentences] == [False, False, True, True]


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Panamanian and Salvadoran ministers met in Central America.", {"PAN", "SLV"}),
        ("Acting Secretary Chad F. Wolf visited New Mexico.", set()),
        ("The Dominican Republic and Dominica signed.", {"DOM", "DMA"}),
        ("Officials from Niger and Nigeria met those of Papua New Guinea.", {"NER", "NGA", "PNG"}),
        ("Georgia Smith joined the delegation to Chad.", {"TCD"}),
        ("El gobierno panameño y Estados Unidos firmaron.", {"PAN", "USA"}),
        ("The EU and the UK signed a working arrangement.", {"GBR"}),
    ],
)
def test_countries_by_name_demonym_and_false_friends(text, codes):
    assert set(codes_in(text)) == codes


def test_people_with_titles_and_short_forms():
    text = (
        "Today, Acting Secretary of Homeland Security Chad F. Wolf and Panamanian Minister of Public "
        "Security Rolando Mirones signed a letter. \u201cIt is a big step,\u201d said Acting Secretary Wolf."
    )
    found = [(s.data["name"], s.data.get("title_text")) for s in read(text).spans("person")]
    assert ("Chad F. Wolf", "Acting Secretary of Homeland Security") in found
    assert ("Rolando Mirones", "Panamanian Minister of Public Security") in found
    assert ("Wolf", "Acting Secretary") in found


def test_record_of_the_seed_release(shared_corpus):
    record = extract(_release(shared_corpus, "001-dhs-us-panama-letter-of-intent-security-cooperation"))
    assert record.countries == ("PAN", "USA")
    names = {a.name: a.country for a in record.agencies}
    assert names["Department of Homeland Security"] == "USA"
    assert names["Ministry of Public Security"] == "PAN"
    wolf = next(p for p in record.people if p.name == "Chad F. Wolf")
    assert wolf.organization == "Department of Homeland Security" and wolf.country == "USA"
    assert "Acting Secretary Wolf" in wolf.aliases
    (loi,) = record.agreements
    assert (loi.type, loi.parties, loi.date) == ("letter-of-intent", ("PAN", "USA"), "2019-12-17")
    assert set(loi.signatories) == {"Chad F. Wolf", "Rolando Mirones"}
    assert {"cybersecurity", "customs-trade", "migration-management"} <= set(loi.focus_areas)
    assert {"cybersecurity", "counter-narcotics", "human-smuggling"} <= set(record.focus_areas)


def test_evidence_points_at_the_sentence(shared_corpus):
    release = _release(shared_corpus, "001-dhs-us-panama-letter-of-intent-security-cooperation")
    record = extract(release)
    ev = next(e for e in record.evidence if e.field == "agreements" and e.index == 0)
    source = release.text if ev.part == "text" else release.title
    assert source[ev.start : ev.end] == ev.sentence
    assert "signed a Letter of Intent" in ev.sentence
    assert {e.index for e in record.evidence if e.field == "focus_areas"} == set(record.focus_areas)


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("004-dhs-us-honduras-sign-more-arrangements", [("arrangement", ("HND", "USA"))] * 2),
        (
            "011-dhs-guatemala-el-salvador-honduras-acas-in-force",
            [("agreement", ("GTM", "USA")), ("agreement", ("HND", "USA")), ("agreement", ("SLV", "USA"))],
        ),
        ("022-usembassy-mexico-napolitano-signs-agreements-shcp-segob", [("agreement", ("MEX", "USA"))] * 3),
        ("035-ec-welcomes-frontex-uk-working-arrangement", [("arrangement", ("EU", "GBR"))]),
        ("050-dhs-foreign-aid-resume-central-america-negative", []),
    ],
)
def test_agreements_counted_split_and_background_left_out(shared_corpus, stem, expected):
    record = extract(_release(shared_corpus, stem))
    got = sorted((a.type, a.parties) for a in record.agreements if a.type != "other")
    assert got == sorted(expected)


def test_a_trigger_after_a_relative_clause_still_governs_the_instrument():
    text = (
        "The memorandum of understanding between Canada and Mexico, which covers border security, "
        "customs and the fight against drug trafficking, was signed today in Ottawa."
    )
    record = extract(Release(id="rel", text=text, date="2024-05-02"))
    assert [(a.type, a.parties, a.date) for a in record.agreements] == [
        ("memorandum-of-understanding", ("CAN", "MEX"), "2024-05-02")
    ]


def test_future_and_negated_signings_are_not_agreements():
    for text in (
        "Canada and Mexico will sign a memorandum of understanding next month.",
        "Canada and Mexico are negotiating a memorandum of understanding.",
        "The plan builds on the memorandum of understanding Canada and Mexico signed in 2019.",
        "Canada and Mexico to sign a security accord next week, officials said.",
        "He noted that Mexico has signed agreements with Guatemala in recent years.",
        "The removals were carried out under existing agreements between Canada and Mexico.",
    ):
        assert extract(Release(id="t", text=text, date="2022-05-01")).agreements == (), text


def test_signing_dates():
    assert signing_date("They signed it on July 22, 2025.", "2025-07-24") == "2025-07-22"
    assert signing_date("On May 27, the two governments signed it.", "2019-05-28") == "2019-05-27"
    assert signing_date("Ambos funcionarios firmaron el 26 de junio.", "2025-06-27") == "2025-06-26"
    assert signing_date("They signed it today.", "2019-12-17") == "2019-12-17"
    assert signing_date("They signed it.", "2019-12-17") is None


def test_release_in_our_own_words_with_three_agreements_and_a_weekday():
    text = (
        "TEGUCIGALPA — The United States and Honduras on Thursday signed three agreements on border "
        "security, information sharing and the fight against gangs. U.S. Ambassador Laura Dogu and "
        "Honduran Foreign Minister Eduardo Enrique Reina signed the documents at the Foreign Ministry."
    )
    record = extract(Release(id="own", text=text, date="2023-05-04"))
    assert [(a.type, a.parties, a.date) for a in record.agreements] == [
        ("agreement", ("HND", "USA"), "2023-05-04")
    ] * 3
    people = {p.name: p for p in record.people}
    assert people["Laura Dogu"].title == "Ambassador"
    assert people["Eduardo Enrique Reina"].organization == "Ministry of Foreign Affairs"
    assert ("Ministry of Foreign Affairs", "HND") in {(a.name, a.country) for a in record.agencies}


def test_an_upcoming_signing_or_a_background_instrument_is_not_reported():
    text = (
        "Secretary of State Antony J. Blinken met today with Guatemalan Foreign Minister Carlos Ramiro "
        "Martínez. They discussed migration and the upcoming signing of a memorandum of understanding. "
        "The talks build on a 2019 arrangement."
    )
    record = extract(Release(id="own2", text=text, date="2023-05-04"))
    assert record.agreements == ()
    assert {p.name for p in record.people} == {"Antony J. Blinken", "Carlos Ramiro Martínez"}


def test_spanish_titles_and_a_shared_acronym_resolved_by_context():
    text = (
        "CIUDAD DE MÉXICO, 14 de marzo de 2024.- El Servicio de Administración Tributaria (SAT) y la "
        "Oficina de Aduanas y Protección Fronteriza de Estados Unidos (CBP) firmaron hoy un memorándum "
        "de entendimiento para facilitar el comercio. El jefe del SAT, Antonio Martínez Dagnino, y el "
        "comisionado de CBP, Troy Miller, suscribieron el documento."
    )
    record = extract(Release(id="es", text=text, date="2024-03-14", language="es"))
    assert record.countries == ("MEX", "USA")
    people = {p.name: (p.title, p.organization, p.country) for p in record.people}
    assert people["Antonio Martínez Dagnino"] == ("jefe del SAT", "Tax Administration Service", "MEX")
    assert people["Troy Miller"] == ("comisionado de CBP", "Customs and Border Protection", "USA")
    assert [(a.type, a.parties, a.date) for a in record.agreements] == [
        ("memorandum-of-understanding", ("MEX", "USA"), "2024-03-14")
    ]
    assert "customs-trade" in record.focus_areas


def test_an_ambassador_belongs_to_the_sending_state_and_headline_words_are_not_people():
    record = extract(
        Release(
            id="amb",
            title="Statement by Ambassador on World Day Against Trafficking",
            text="U.S. Ambassador to Mexico Ken Salazar marked the World Day Against Trafficking in Persons.",
        )
    )
    assert [(p.name, p.country) for p in record.people] == [("Ken Salazar", "USA")]
    assert record.agreements == ()


def test_every_item_has_evidence_that_points_into_the_release(shared_corpus):
    for release in read_paths([shared_corpus / "releases"]):
        record = extract(release)
        counts = {"agencies": len(record.agencies), "people": len(record.people)}
        counts["agreements"] = len(record.agreements)
        for field, n in counts.items():
            indices = {e.index for e in record.evidence if e.field == field}
            assert indices == set(range(n)), (release.id, field)
        assert {e.index for e in record.evidence if e.field == "focus_areas"} == set(record.focus_areas)
        for ev in record.evidence:
            source = release.text if ev.part == "text" else release.title
            assert source[ev.start : ev.end] == ev.sentence, (release.id, ev)


def test_named_instrument_in_the_body_names_the_headline_agreement():
    record = extract(
        Release(
            id="png",
            title="Australia and Papua New Guinea sign security agreement",
            text=(
                "CANBERRA, 7 December 2023 — Prime Minister Anthony Albanese and Prime Minister James "
                "Marape today signed the Bilateral Security Agreement, which supports policing and "
                "border security cooperation."
            ),
            date="2023-12-07",
        )
    )
    (deal,) = record.agreements
    assert (deal.type, deal.parties, deal.date) == ("agreement", ("AUS", "PNG"), "2023-12-07")
    assert deal.title == "Bilateral Security Agreement"
    assert set(deal.signatories) == {"Anthony Albanese", "James Marape"}


def test_spanish_signing_negation_and_an_interim_secretary():
    signed = extract(
        Release(
            id="es-loi",
            language="es",
            date="2019-12-17",
            text=(
                "CIUDAD DE PANAMÁ – El ministro de Seguridad Pública de Panamá, Rolando Mirones, y el "
                "secretario interino de Seguridad Nacional de los Estados Unidos, Chad Wolf, firmaron hoy "
                "una Carta de Intención para fortalecer la cooperación en ciberseguridad y aduanas."
            ),
        )
    )
    assert [(a.type, a.parties, a.date) for a in signed.agreements] == [
        ("letter-of-intent", ("PAN", "USA"), "2019-12-17")
    ]
    assert {a.name for a in signed.agencies} == {
        "Ministry of Public Security",
        "Department of Homeland Security",
    }
    assert {"cybersecurity", "customs-trade"} <= set(signed.focus_areas)
    none = extract(
        Release(
            id="es-none",
            language="es",
            text=(
                "La canciller de Honduras recibió al embajador de los Estados Unidos. No se firmó ningún "
                "acuerdo; las partes acordaron reunirse nuevamente el próximo mes."
            ),
        )
    )
    assert none.agreements == ()


def test_transcript_speakers_and_a_titled_surname_in_a_headline():
    record = extract(
        Release(
            id="transcript",
            title="Joint Press Availability with Secretary Mayorkas in Mexico City",
            text=(
                "SECRETARY BLINKEN: Thank you, Foreign Minister Ebrard. We met today.\n"
                "QUESTION: Will Mexico do more?\n"
                "FOREIGN MINISTER EBRARD: We will continue to cooperate."
            ),
        )
    )
    people = {p.name: p.title for p in record.people}
    assert people == {"Mayorkas": "Secretary", "Blinken": "Secretary", "Ebrard": "Foreign Minister"}


def test_a_shared_body_name_takes_the_state_of_a_possessive():
    record = extract(
        Release(id="poss", text="Officials met Honduras' National Police and Mexico's National Guard.")
    )
    assert {(a.name, a.country) for a in record.agencies} == {
        ("National Police", "HND"),
        ("National Guard", "MEX"),
    }
