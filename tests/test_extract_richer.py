"""The richer agreement fields (contract, 'Richer agreements'; annotation guide, R6): place,
event, commitments, references. Every sentence here is invented for the test."""

from __future__ import annotations

import pytest

from graph.extract import extract
from graph.model import Agreement, Release


def _agreements(text: str, title: str | None = None, language: str = "en", date: str = "2024-05-06"):
    record = extract(Release(id="t", text=text, title=title, date=date, language=language))
    return record, list(record.agreements)


def _only(text: str, **kwargs) -> Agreement:
    _, found = _agreements(text, **kwargs)
    assert len(found) == 1, found
    return found[0]


# ---------------------------------------------------------------------- commitments


def test_a_bulleted_list_after_a_colon_gives_one_commitment_per_item_without_marker():
    text = (
        "Chile and Peru signed a Memorandum of Understanding on border cooperation today.\n"
        "The memorandum reflects the commitment of both countries to:\n"
        "- Exchange intelligence on arms smuggling;\n"
        "- Train customs officers in risk analysis; and\n"
        "- Hold joint patrols along the frontier.\n"
        "The ministers thanked their teams."
    )
    _, (mou,) = _agreements(text)
    assert [c.text for c in mou.commitments] == [
        "Exchange intelligence on arms smuggling",
        "Train customs officers in risk analysis",
        "Hold joint patrols along the frontier",
    ]
    for c in mou.commitments:
        assert text[c.start : c.end] == c.text  # offsets into the release text
    assert mou.commitments[0].focus_areas == ("information-sharing", "transnational-crime")
    assert "capacity-building" in mou.commitments[1].focus_areas


def test_an_instrument_covers_what_its_parties_commit_to(shared_corpus):
    """The focus areas of a commitment are the instrument's (the gold records hold so for 84 of
    their 86 instruments with commitments): on the list above, and on every corpus release."""
    text = (
        "Chile and Peru signed a Memorandum of Understanding today.\n"
        "The memorandum reflects the commitment of both countries to:\n"
        "- Exchange intelligence on arms smuggling;\n"
        "- Train customs officers in risk analysis.\n"
    )
    mou = _only(text)
    assert {"information-sharing", "transnational-crime", "capacity-building"} <= set(mou.focus_areas)
    from graph.ingest import read_paths

    for release in read_paths([shared_corpus / "releases"]):
        for agreement in extract(release).agreements:
            committed = {area for c in agreement.commitments for area in c.focus_areas}
            assert committed <= set(agreement.focus_areas), release.id


def test_a_numbered_list_after_a_colon():
    text = (
        "Norway and Iceland today signed an agreement on police cooperation.\n"
        "Under the agreement, the two police services will:\n"
        "1. designate contact points for urgent requests\n"
        "2. share data on missing persons\n"
    )
    agreement = _only(text)
    assert [c.text for c in agreement.commitments] == [
        "designate contact points for urgent requests",
        "share data on missing persons",
    ]


def test_an_inline_list_after_a_colon_split_at_semicolons():
    text = (
        "Ghana and Togo signed a memorandum of understanding today. The memorandum commits the two "
        "governments to the following: joint border patrols; shared training of immigration "
        "officers; and a hotline between border posts."
    )
    agreement = _only(text)
    assert [c.text for c in agreement.commitments] == [
        "joint border patrols",
        "shared training of immigration officers",
        "a hotline between border posts",
    ]


def test_running_text_commitments_one_per_coordinated_verb_phrase():
    text = (
        "Ecuador and Colombia signed a cooperation agreement today in Quito. Under the agreement, "
        "the parties will share intelligence on drug trafficking routes and train prosecutors in "
        "asset recovery."
    )
    agreement = _only(text)
    texts = [c.text for c in agreement.commitments]
    assert texts == ["share intelligence on drug trafficking routes", "train prosecutors in asset recovery"]
    for c in agreement.commitments:
        assert text[c.start : c.end] == c.text


def test_a_list_of_nouns_inside_one_undertaking_stays_one():
    text = (
        "Kenya and Uganda signed a memorandum of understanding today. The memorandum provides for "
        "the exchange of data on smuggling, trafficking and money laundering."
    )
    agreement = _only(text)
    assert [c.text for c in agreement.commitments] == [
        "the exchange of data on smuggling, trafficking and money laundering"
    ]


def test_the_purpose_of_a_signed_instrument_is_a_commitment_es():
    text = "Los ministros de Bolivia y Paraguay firmaron hoy un convenio para reforzar el control fronterizo."
    agreement = _only(text, language="es")
    assert [c.text for c in agreement.commitments] == ["reforzar el control fronterizo"]


def test_praise_and_effects_are_not_commitments():
    text = (
        "Chile and Peru signed an agreement on migration today. "
        "The agreement will strengthen the partnership between our nations. "
        '"This is a historic day and it will make our region safer," the minister said.'
    )
    agreement = _only(text)
    assert agreement.commitments == ()


def test_the_instruments_own_life_is_not_a_commitment():
    text = "Chile and Peru signed an agreement today. The agreement will remain in force for five years."
    assert _only(text).commitments == ()


def test_a_list_belongs_to_the_instrument_named_last_before_it():
    text = (
        "Brazil and Uruguay signed a memorandum of understanding on cybercrime and a letter of intent "
        "on police training today.\n"
        "Under the letter of intent, the two police forces will:\n"
        "- organise joint courses for cyber investigators\n"
    )
    _, found = _agreements(text)
    by_type = {a.type: a for a in found}
    assert [c.text for c in by_type["letter-of-intent"].commitments] == [
        "organise joint courses for cyber investigators"
    ]
    assert by_type["memorandum-of-understanding"].commitments == ()


# ---------------------------------------------------------------------- place


@pytest.mark.parametrize(
    ("text", "language", "place", "country"),
    [
        ("Chile and Peru signed a border agreement today in Lima.", "en", "Lima", "PER"),
        (
            "The Secretary and the Minister of Ghana signed a memorandum of understanding at DHS "
            "headquarters in Washington, DC.",
            "en",
            "DHS headquarters in Washington, DC",
            "USA",
        ),
        (
            "El convenio fue firmado en Asunción por los ministros de Bolivia y Paraguay.",
            "es",
            "Asunción",
            "PRY",
        ),
        (
            "The signing ceremony of the agreement between Fiji and Tonga took place in Suva.",
            "en",
            "Suva",
            "FJI",
        ),
    ],
)
def test_place_from_a_locative_after_the_signing(text, language, place, country):
    agreement = _only(text, language=language)
    assert (agreement.place, agreement.place_country) == (place, country)


def test_a_city_resolves_to_a_state_the_release_names_first():
    agreement = _only("Jamaica and Cuba signed a maritime agreement today in Kingston.")
    assert agreement.place_country == "JAM"


def test_dateline_is_no_place_unless_signed_there_that_day():
    later = _only(
        "NAIROBI, 6 May 2024 - Kenya and Ethiopia announced that the extradition treaty they signed "
        "entered into force. The treaty was signed by the two ministers.",
        date="2024-05-06",
    )
    assert later.place is None
    today = _only("NAIROBI, 6 May 2024 - Kenya and Ethiopia signed an extradition treaty today.")
    assert (today.place, today.place_country) == ("Nairobi", "KEN")


def test_a_state_after_a_name_is_where_that_body_is_not_the_place():
    agreement = _only(
        "INTERPOL signed a memorandum of understanding today with the Police Academy in Austria."
    )
    assert agreement.place_country is None


def test_a_purpose_clause_ends_the_reach_of_the_signing():
    agreement = _only("Chile and Peru signed an agreement today to fight smuggling in Bolivia.")
    assert agreement.place is None


# ---------------------------------------------------------------------- event


@pytest.mark.parametrize(
    ("text", "language", "event"),
    [
        ("The extradition treaty between Kenya and Ethiopia entered into force today.", "en", "in-force"),
        ("Parliament ratified the extradition treaty between Kenya and Ethiopia today.", "en", "in-force"),
        ("Chile and Peru renewed their memorandum of understanding on customs today.", "en", "renewed"),
        ("Chile and Peru extended the agreement on border patrols today.", "en", "extended"),
        ("Chile and Peru amended the agreement on border patrols today.", "en", "amended"),
        ("Chile and Peru announced an agreement on border patrols today.", "en", "announced"),
        ("Chile and Peru signed an agreement on border patrols today.", "en", "signed"),
        ("El acuerdo de extradición entre Chile y Perú entró en vigor hoy.", "es", "in-force"),
        ("Chile y Perú renovaron hoy el memorando de entendimiento sobre aduanas.", "es", "renewed"),
        ("Chile y Perú prorrogaron hoy el acuerdo de patrullaje fronterizo.", "es", "extended"),
        ("Chile y Perú firmaron hoy un acuerdo de patrullaje fronterizo.", "es", "signed"),
    ],
)
def test_event(text, language, event):
    assert _only(text, language=language).event == event


# ---------------------------------------------------------------------- references


@pytest.mark.parametrize(
    ("text", "language", "relation", "kind"),
    [
        (
            "Chile and Peru signed a letter of intent today, which builds on the 2019 agreement on "
            "migration.",
            "en",
            "builds-on",
            "agreement",
        ),
        (
            "Guatemala and the United States signed an implementing arrangement today that implements "
            "the Asylum Cooperative Agreement.",
            "en",
            "implements",
            "agreement",
        ),
        (
            "Bolivia y Paraguay firmaron hoy un protocolo que reemplaza al memorando de entendimiento "
            "de 2015.",
            "es",
            "replaces",
            "memorandum-of-understanding",
        ),
    ],
)
def test_references_to_earlier_instruments(text, language, relation, kind):
    _, found = _agreements(text, language=language)
    assert len(found) == 1, found
    assert [(r.relation, r.type) for r in found[0].references] == [(relation, kind)]


def test_richer_fields_have_evidence_and_the_record_prints_them():
    text = (
        "Chile and Peru signed a border agreement today in Lima. Under the agreement, the parties "
        "will share data on smuggling."
    )
    record, _ = _agreements(text)
    fields = {e.field for e in record.evidence}
    assert {"agreements", "agreements.place", "agreements.commitments"} <= fields
    printed = record.to_dict()["agreements"][0]
    assert printed["place"] == "Lima" and printed["place_country"] == "PER"
    assert printed["commitments"][0]["text"] == "share data on smuggling"


def test_a_venue_named_after_an_instrument_or_a_person_is_a_place():
    agreement = _only(
        "Namibia and Angola signed a border agreement today at the Sam Nujoma Convention Centre in Windhoek."
    )
    assert agreement.place_country == "NAM"


def test_listed_instruments_take_the_place_of_the_sentence_that_signed_them():
    text = (
        "Zambia and Malawi today signed three instruments to deepen police cooperation, at the end of "
        "their joint commission at the State House in Lusaka. The instruments are:\n"
        "- a Memorandum of Understanding on cross-border crime;\n"
        "- an Agreement on Border Patrols;\n"
        "- an Action Plan on Trafficking.\n"
    )
    _, found = _agreements(text)
    assert len(found) == 3
    assert {a.place_country for a in found} == {"ZMB"}


def test_verbs_that_share_an_object_stay_one_undertaking():
    text = (
        "Chile and Peru signed a customs agreement today. Under the agreement, the two services will "
        "prevent, detect and investigate customs fraud."
    )
    assert [c.text for c in _only(text).commitments] == ["prevent, detect and investigate customs fraud"]


def test_a_state_after_an_instruments_name_is_where_it_was_signed():
    agreement = _only("Honduras and Mexico signed the Letter of Intent on Border Security in Honduras.")
    assert (agreement.place, agreement.place_country) == ("Honduras", "HND")


def test_a_dateline_with_its_state_before_the_dash():
    agreement = _only(
        "DAKAR, Senegal — Senegal and Mali signed a memorandum of understanding on border security today."
    )
    assert (agreement.place, agreement.place_country) == ("Dakar", "SEN")


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "Ghana and Togo signed an agreement today. The agreement establishes a joint task force on "
            "human trafficking.",
            "en",
            ["a joint task force on human trafficking"],
        ),
        (
            "Bolivia y Perú firmaron hoy un convenio. Ambas partes se comprometieron a intercambiar "
            "información y a realizar patrullajes conjuntos en el lago.",
            "es",
            ["intercambiar información", "realizar patrullajes conjuntos en el lago"],
        ),
        (
            "Thailand and Laos signed an agreement today. It is a milestone in our friendship. The two "
            "countries will jointly patrol the Mekong River and share information on drug trafficking.",
            "en",
            ["patrol the Mekong River", "share information on drug trafficking"],
        ),
    ],
)
def test_running_text_undertakings_in_sentences_that_name_the_instrument_or_its_parties(
    text, language, expected
):
    agreement = _only(text, language=language)
    assert [c.text for c in agreement.commitments] == expected


def test_a_speakers_words_are_not_undertakings():
    text = (
        "Chile and Peru signed an agreement on migration today.\n"
        "The minister said:\n"
        "Under the agreement we will deport anyone who has no right to stay."
    )
    assert _only(text).commitments == ()


def test_a_venue_of_a_city_takes_the_citys_state():
    agreement = _only(
        "Chile y Perú firmaron hoy un convenio sobre migración. La firma se realizó en el Palacio de "
        "Gobierno de Lima.",
        language="es",
    )
    assert (agreement.place, agreement.place_country) == ("Palacio de Gobierno de Lima", "PER")


def test_announced_with_a_signing_reported_is_signed():
    text = (
        "Chile and Peru announced a new migration treaty on Tuesday. "
        "The two foreign ministers presided over the signing ceremony in Lima."
    )
    assert _only(text).event == "signed"
    assert _only("Chile and Peru announced a new migration treaty on Tuesday.").event == "announced"


def test_announced_with_a_signing_planned_stays_announced():
    text = (
        "Chile and Peru announced a new migration treaty on Tuesday. "
        "The ministers will sign it in Lima next year."
    )
    assert _only(text).event == "announced"


LATER_ACTS = [
    (
        "Chile and Peru have signed a Border Agreement and the agreement has entered into force.",
        "en",
        "in-force",
    ),
    (
        "Chile and Peru today signed a Border Agreement, which will enter into force once ratified.",
        "en",
        "signed",
    ),
    (
        "Chile y Perú firmaron el convenio de seguridad fronteriza y el convenio entró en vigor.",
        "es",
        "in-force",
    ),
    (
        "Chile y Perú firmaron hoy un convenio fronterizo, que entrará en vigor cuando lo ratifiquen.",
        "es",
        "signed",
    ),
]


@pytest.mark.parametrize(("text", "language", "event"), LATER_ACTS)
def test_a_later_act_in_the_same_sentence_is_the_event_unless_it_is_a_condition(text, language, event):
    (agreement,) = extract(Release(id="later", text=text, date="2024-05-02", language=language)).agreements
    assert agreement.event == event
    if event == "in-force":
        assert agreement.date is None  # the sentence dates the entry into force, not the signing
