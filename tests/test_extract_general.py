"""The extractor on releases written here in our own words, of states, bodies and phrasings the
shared corpus does not have: each test states one general rule (a body by the shape of its name,
a title's structure, a clause's cues, an organizations' agreement) and checks it on text that no
rule was written on."""

from __future__ import annotations

from graph import Release, extract
from graph.extract.doc import Doc, split_sentences
from graph.extract.matcher import Phrase, PhraseMatcher, tokenize
from graph.extract.pipeline import read
from graph.extract.translate import translate_body


def _record(text: str, language: str = "en", date: str | None = "2024-06-12", title: str | None = None):
    return extract(Release(id="own", text=text, title=title, date=date, language=language))


def _agreements(record) -> list[tuple[str, tuple[str, ...]]]:
    return sorted((a.type, a.parties) for a in record.agreements)


# ---------------------------------------------------------------------- the automaton


def test_one_pass_matches_every_layer_leftmost_longest_and_case_rules():
    matcher = PhraseMatcher(
        [
            Phrase("Guinea", "place", "GIN", True),
            Phrase("Papua New Guinea", "place", "PNG", True),
            Phrase("MOU", "instrument", "memorandum-of-understanding"),
            Phrase("traffick*", "focus", "human-trafficking"),
        ]
    )
    tokens = tokenize("Papua New Guinea and Guinea signed a MOU on trafficking; a mou is no MOU.")
    found = [(tokens[h.first].start, h.layer, h.keys[0]) for h in matcher.match(tokens)]
    assert found == [
        (0, "place", "PNG"),
        (21, "place", "GIN"),
        (37, "instrument", "memorandum-of-understanding"),
        (44, "focus", "human-trafficking"),
        (69, "instrument", "memorandum-of-understanding"),
    ]


def test_a_headline_in_capitals_still_names_its_states():
    record = _record("The two ministers met in Nairobi.", title="KENYA AND GHANA SIGN BORDER PACT")
    assert {"KEN", "GHA"} <= set(record.countries)


# ---------------------------------------------------------------------- bodies of any state


def test_bodies_by_the_shape_of_their_names_take_their_state_from_the_text():
    text = (
        "Mongolia's Ministry of Justice and Home Affairs met the Royal Thai Police and the "
        "Border Guard Service of Kyrgyzstan on Tuesday."
    )
    record = _record(text)
    assert {(a.name, a.country) for a in record.agencies} == {
        ("Ministry of Justice and Home Affairs", "MNG"),
        ("Royal Thai Police", "THA"),
        ("Border Guard Service", "KGZ"),
    }


def test_a_name_several_states_share_is_not_given_a_state_the_text_does_not_name():
    record = _record("The Ministry of Foreign Affairs of Ghana received the delegation of Togo.")
    assert [(a.name, a.country) for a in record.agencies] == [("Ministry of Foreign Affairs", "GHA")]
    assert record.countries == ("GHA", "TGO")


def test_a_persons_name_after_a_body_is_not_part_of_it():
    text = "The Department of Homeland Security Kristi Noem visited the Nepal Police on Monday."
    names = {a.name for a in _record(text).agencies}
    assert "Department of Homeland Security" in names
    assert not any("Noem" in n for n in names)


def test_an_organizations_body_is_international_and_its_states_are_not_countries():
    record = _record("The UN Information Service and the Organization of American States issued notes.")
    assert all(a.country is None for a in record.agencies)
    assert record.countries == ()


def test_spanish_bodies_are_named_in_english_with_the_spanish_form_kept():
    assert translate_body("Ministerio de Seguridad Pública") == "Ministry of Public Security"
    assert translate_body("Ministerio de la Defensa Nacional") == "Ministry of National Defense"
    text = "El Servicio Nacional de Migraciones de Bolivia y la Policía Nacional boliviana se reunieron."
    record = _record(text, language="es")
    names = {(a.name, a.country): a.aliases for a in record.agencies}
    assert "Servicio Nacional de Migraciones" in str(names[("National Migration Service", "BOL")])
    assert ("National Police", "BOL") in names


# ---------------------------------------------------------------------- titles and people


def test_a_titles_complement_ends_where_its_words_end():
    doc = read("Minister of Home Affairs and Security Lindiwe Mokoena spoke.")
    (title,) = doc.spans("title")
    assert title.data["complement"] == "Home Affairs and Security"
    assert [p.data["name"] for p in doc.spans("person")] == ["Lindiwe Mokoena"]


def test_people_named_through_titles_appositives_honorifics_and_coordinated_names():
    text = (
        "Ghanaian Interior Minister Kwame Asante and Rukia Mwangi, Kenya's Cabinet Secretary for "
        "Defence, met Dr. Olusegun Bello. The foreign ministers of Chile and Peru, Ana Soto and "
        "Luis Paredes, joined them."
    )
    record = _record(text)
    people = {p.name: (p.country, p.organization) for p in record.people}
    assert people["Kwame Asante"] == ("GHA", "Ministry of the Interior")
    assert people["Rukia Mwangi"][0] == "KEN"
    assert {"Olusegun Bello", "Ana Soto", "Luis Paredes"} <= set(people)


def test_one_state_after_coordinated_names_or_a_suffix_belongs_to_them():
    text = (
        "Trade Minister Aiko Tanaka and Justice Minister Kenji Mori of Japan, together with Secretary "
        "of Justice Ramon Cruz Jr. of the Philippines, signed a memorandum of understanding in Tokyo."
    )
    people = {p.name: p.country for p in _record(text).people}
    assert people == {"Aiko Tanaka": "JPN", "Kenji Mori": "JPN", "Ramon Cruz": "PHL"}


def test_a_title_runs_over_a_states_formal_name_to_its_holder():
    text = "The Minister of Defence of the Federal Republic of Nigeria, Dr. Amina Bello, met the press."
    (person,) = _record(text).people
    assert (person.name, person.title, person.country) == (
        "Amina Bello",
        "Minister of Defence of the Federal Republic of Nigeria",
        "NGA",
    )


def test_a_title_takes_the_state_named_after_its_portfolio():
    text = (
        "Kuwait and Tanzania signed an agreement. Sheikh Fahad Al-Sabah, Minister of Interior of "
        "Kuwait, and Dr. Jane Mwita, Cabinet Secretary for Interior and National Administration of "
        "Tanzania, signed it for Kuwait."
    )
    agencies = {a.name: a.country for a in _record(text).agencies}
    assert agencies == {
        "Ministry of Interior and National Administration": "TZA",
        "Ministry of Interior": "KWT",
    }


def test_a_spanish_adjective_of_state_closes_a_titles_complement():
    text = (
        "El ministro de Hacienda salvadoreño, Julio Paz, y el jefe de la Policía Nacional peruana, Luis Vera."
    )
    record = _record(text, "es")
    assert {a.name: a.country for a in record.agencies} == {
        "Ministry of Finance": "SLV",
        "National Police": "PER",
    }
    assert {p.name: p.organization for p in record.people} == {
        "Julio Paz": "Ministry of Finance",
        "Luis Vera": "National Police",
    }


def test_a_foreign_bodys_name_inside_a_title_is_the_titles_own_portfolio():
    text = "Bhutanese Minister of Homeland Security and Digital Affairs Karma Dorji met officials."
    record = _record(text)
    assert record.countries == ("BTN",)
    assert [(a.name, a.country) for a in record.agencies] == [
        ("Ministry of Homeland Security and Digital Affairs", "BTN")
    ]


def test_a_rank_between_a_title_and_a_name_and_a_fuller_title_after_it():
    text = (
        "Defence Minister Major General Omar Haddad met Brig. Gen. Laila Nasser, Commander of the "
        "Jordanian Armed Forces, in Amman."
    )
    people = {p.name: p.title for p in _record(text).people}
    assert people == {
        "Omar Haddad": "Defence Minister",
        "Laila Nasser": "Commander of the Jordanian Armed Forces",
    }


def test_a_title_word_closing_three_names_is_a_surname():
    text = "El canciller hondureño, Luis Alberto Reina, habló con la prensa."
    assert [p.name for p in _record(text, "es").people] == ["Luis Alberto Reina"]


def test_a_spanish_bodys_capitalised_demonym_gives_its_state():
    text = "La Armada Paraguaya y la Fuerza Aérea Colombiana realizaron patrullajes con la Policía Boliviana."
    agencies = {a.name: a.country for a in _record(text, "es").agencies}
    assert agencies == {"Navy": "PRY", "Air Force": "COL", "Police": "BOL"}


def test_capitalised_function_words_and_complements_are_no_names():
    text = "Head Of Regional Police Council Meets Kenyan Minister\n\nLos ministros del Interior se reunieron."
    assert [p.name for p in _record(text, "es").people] == []


def test_a_plural_spanish_title_whose_second_half_leaves_out_the_head():
    text = (
        "Los ministros de Justicia de Chile, Ana Soto, y del Interior de Argentina, Juan Pérez, "
        "firmaron un memorando de entendimiento."
    )
    record = _record(text, "es")
    people = {p.name: (p.country, p.organization) for p in record.people}
    assert people == {
        "Ana Soto": ("CHL", "Ministry of Justice"),
        "Juan Pérez": ("ARG", "Ministry of the Interior"),
    }
    (agreement,) = record.agreements
    assert agreement.signatories == ("Ana Soto", "Juan Pérez")


def test_a_ministers_complement_is_a_portfolio_and_a_bare_head_after_and_belongs_to_it():
    text = (
        "Poland's Minister of the Interior and Administration, Jan Nowak, visited the Ministry of "
        "Justice and Police of Suriname in Paramaribo."
    )
    agencies = {a.name: a.country for a in _record(text).agencies}
    assert agencies == {
        "Ministry of the Interior and Administration": "POL",
        "Ministry of Justice and Police": "SUR",
    }


def test_two_bodies_joined_by_y_de():
    text = (
        "Técnicos del Instituto Nacional de Migración y de la Dirección General de Aduanas de Belice "
        "trabajan."
    )
    names = sorted(a.name for a in _record(text, "es").agencies)
    assert len(names) == 2 and names[0].startswith("General Directorate")


def test_spanish_ranks_after_the_comma_and_complements_in_lower_case():
    text = (
        "El presidente de la Corte Suprema de Justicia de Honduras, magistrado Luis Mejía Paz, "
        "recibió al director ejecutivo del ministerio nicaragüense, Carlos A. Ruiz."
    )
    people = {p.name: p.country for p in _record(text, "es").people}
    assert people == {"Luis Mejía Paz": "HND", "Carlos A. Ruiz": "NIC"}


def test_a_particle_right_after_a_title_continues_its_complement():
    text = "Asistieron la directora del Sistema Nacional Integrado de Estadística Delictiva y otros."
    assert [p.name for p in _record(text, "es").people] == []


def test_spanish_titles_in_lower_case_with_modifiers_and_adjectives():
    text = (
        "La viceministra interina de Seguridad Ciudadana, Rosa Quispe, y el presidente boliviano, "
        "Marco Ayala, recibieron al fiscal general uruguayo, Tomás Pereira."
    )
    record = _record(text, language="es")
    people = {p.name: p.country for p in record.people}
    assert people == {"Rosa Quispe": None, "Marco Ayala": "BOL", "Tomás Pereira": "URY"} or (
        people["Marco Ayala"] == "BOL" and people["Tomás Pereira"] == "URY" and "Rosa Quispe" in people
    )


def test_names_by_given_name_hyphenated_syllables_and_plural_complements():
    text = (
        "Ambassador Tesfaye Bekele Alemu of Ethiopia met Commissioner General Kim Min-jun of South "
        "Korea and Director of Public Prosecutions Jane Awori of Uganda. Ambassador Tesfaye said the "
        "counterpart FIUs would meet.\n\nPolice Chiefs Agree on Plan"
    )
    people = {p.name: p.aliases for p in _record(text).people}
    assert set(people) == {"Tesfaye Bekele Alemu", "Kim Min-jun", "Jane Awori"}
    assert "Ambassador Tesfaye" in people["Tesfaye Bekele Alemu"]


def test_the_initial_of_a_states_abbreviation_is_no_name():
    text = "Pete Flores, Acting Commissioner, U.S. Customs and Border Protection, spoke."
    assert [p.name for p in _record(text).people] == ["Pete Flores"]


def test_event_programme_and_place_names_are_not_people():
    text = "Officials attended Operation Sea Shield and visited Freedom Park, said Minister Ana Lima."
    assert [p.name for p in _record(text).people] == ["Ana Lima"]


def test_a_word_for_a_day_is_a_surname_only_after_a_given_name():
    text = (
        "Hoy, el ministro de Seguridad de Honduras, Pedro Soto, recibió a la viceministra adjunta, "
        "Laura Hoy. Ayer se reunieron en Tegucigalpa."
    )
    assert sorted(p.name for p in _record(text, "es").people) == ["Laura Hoy", "Pedro Soto"]


# ---------------------------------------------------------------------- agreements


def test_instruments_listed_after_a_colon_are_counted_once():
    text = (
        "Oman and Tanzania signed two agreements: an agreement on police training and a memorandum "
        "of understanding on combating money laundering."
    )
    assert _agreements(_record(text)) == [
        ("agreement", ("OMN", "TZA")),
        ("memorandum-of-understanding", ("OMN", "TZA")),
    ]


def test_a_year_before_a_plural_counts_no_instruments():
    # a dateline's year, then a sentence opening with "The agreements": the year is no cardinal
    english = (
        "March 2023 The agreements, approved at the regional assembly held this week in Quito, "
        "formalized the work of Ameripol and its partners."
    )
    spanish = "Marzo de 2023 Los acuerdos, aprobados en la asamblea de Quito, formalizan el trabajo."
    assert len(_record(english).agreements) <= 2
    assert len(_record(spanish, "es").agreements) <= 2
    # a cardinal of the noun phrase still counts
    counted = _record("Chile and Peru signed 3 new agreements on customs and border security.")
    assert len(counted.agreements) == 3


def test_a_demonstrative_is_not_part_of_an_instruments_name():
    text = (
        "Uruguay y Paraguay firmaron un memorándum de entendimiento sobre seguridad fronteriza. "
        "Este Memorándum entra en vigor hoy."
    )
    (agreement,) = _record(text, "es").agreements
    assert agreement.title is None or not agreement.title.startswith("Este")


def test_an_ambiguous_demonym_before_a_name_is_the_state_the_text_names():
    """ "Polish" is also a language (a ``~`` form of the gazetteer): before a capitalised name it
    is the adjective of a body's name, the state's when the text names that state itself."""
    text = (
        "Germany and Poland signed a joint declaration on border security in Frankfurt (Oder). The two "
        "ministers commit to joint patrols of the Federal Police and the Polish Border Guard."
    )
    agencies = {a.name: a.country for a in _record(text).agencies}
    assert agencies["Border Guard"] == "POL" and agencies["Federal Police"] == "DEU"
    alone = "Germany signed a memorandum with Frontex. Officers of the Polish Border Guard attended."
    assert "POL" not in _record(alone).countries  # no Poland named: the adjective proves nothing


def test_who_signed_is_read_across_words_between_the_verb_and_its_agent():
    """A later sentence names the signatories after its verb's agent ("by", "por"), with a time,
    a place or a manner between them, and with "signar", a synonym of "firmar"."""
    cases = [
        (
            "Fiji and Samoa renewed their maritime arrangement. The arrangement was signed in Suva on "
            "Tuesday by Police Commissioner Rusiate Tudravu and Commissioner Auapaau Logoitino Filipo.",
            "en",
            ("Rusiate Tudravu", "Auapaau Logoitino Filipo"),
        ),
        (
            "Honduras y El Salvador firmaron una carta de intención sobre seguridad fronteriza. Los "
            "documentos fueron signados por el ministro de Seguridad, Gerzon Velásquez, y el ministro "
            "de Justicia, Gustavo Villatoro.",
            "es",
            ("Gerzon Velásquez", "Gustavo Villatoro"),
        ),
        (
            "Ecuador y Perú renovaron el acuerdo de patrullaje conjunto. La prórroga fue rubricada este "
            "martes en Tumbes por el ministro del Interior, Juan Pérez Soto, y la ministra del Interior, "
            "Rosa Quispe Mamani.",
            "es",
            ("Juan Pérez Soto", "Rosa Quispe Mamani"),
        ),
    ]
    for text, language, signatories in cases:
        (agreement,) = _record(text, language).agreements
        assert agreement.signatories == signatories, text


def test_west_african_honorifics_and_an_abbreviated_rank_are_no_part_of_a_name():
    text = (
        "Ghana and Togo signed a memorandum of understanding on border security in Accra. It was signed "
        "by Alhaji Yakubu Danjuma, Ghana's Minister for the Interior, and Amb. Kossi Agbeko, Togo's "
        "Minister of Security."
    )
    (agreement,) = _record(text).agreements
    assert agreement.signatories == ("Yakubu Danjuma", "Kossi Agbeko")
    told = (
        "ECOWAS ministers met in Abuja. The Commissioner for Political Affairs, Peace and Security, "
        "Amb. Kwame Owusu-Ansah, told the meeting that piracy demanded joint patrols."
    )
    assert [p.name for p in _record(told).people] == ["Kwame Owusu-Ansah"]


def test_an_instrument_added_by_as_well_as_shares_the_verb():
    """ "as well as", "así como" add to the verb's objects; "as", "así" alone open a clause."""
    for text, language in (
        (
            "Mexico and Guatemala signed a Letter of Intent on border security, as well as a "
            "Memorandum of Understanding on migration data.",
            "en",
        ),
        (
            "México y Guatemala firmaron una Carta de Intención sobre seguridad fronteriza, así como un "
            "Memorándum de Entendimiento sobre información migratoria.",
            "es",
        ),
    ):
        assert _agreements(_record(text, language)) == [
            ("letter-of-intent", ("GTM", "MEX")),
            ("memorandum-of-understanding", ("GTM", "MEX")),
        ], text


def test_a_bodys_name_and_its_bracketed_acronym_are_one_word_of_a_title():
    """A Spanish title whose complement names a body in full, with its acronym in brackets, runs
    to the comma before its holder's name."""
    text = (
        "El director del Servicio Nacional de Migraciones, Luis Thayer, y la jefa de misión de la "
        "Organización Internacional para las Migraciones (OIM) en Chile, Mariana Ferreyra, firmaron hoy "
        "un convenio de colaboración."
    )
    record = _record(text, "es")
    assert [p.name for p in record.people] == ["Luis Thayer", "Mariana Ferreyra"]
    assert record.people[1].title.endswith("(OIM) en Chile")
    (agreement,) = record.agreements
    assert agreement.signatories == ("Luis Thayer", "Mariana Ferreyra")


def test_two_heads_joined_by_a_hyphen_are_one_title():
    text = (
        "Nigeria and Benin signed a customs agreement. It was signed by the Comptroller-General of "
        "Customs, Bashir Adewale Adeniyi, and Benin's Minister of Finance Romuald Wadagni."
    )
    titles = {p.name: p.title for p in _record(text).people}
    assert titles == {
        "Bashir Adewale Adeniyi": "Comptroller-General of Customs",
        "Romuald Wadagni": "Minister of Finance",
    }


def test_a_hyphen_inside_a_bodys_name_keeps_it_whole():
    text = (
        "Jordan and the UAE signed a joint statement on drug control. The Anti-Narcotics Department "
        "of Jordan will share intelligence with the UAE Ministry of Interior."
    )
    assert {(a.name, a.country) for a in _record(text).agencies} == {
        ("Anti-Narcotics Department", "JOR"),
        ("Ministry of Interior", "ARE"),
    }


def test_a_name_every_state_may_have_is_the_titles_states_body_not_another_states_entry():
    """The name "Servicio Nacional de Migraciones" is the gazetteer's name of Panama's service and a name
    any state may give one (National Migration Service): in a Chilean release it is Chile's."""
    text = (
        "Santiago, 4 de marzo de 2024.- El director nacional del Servicio Nacional de Migraciones "
        "(SERMIG) de Chile, Rodrigo Sepúlveda Lagos, y la jefa de misión de la OIM, Mariana Ferreyra, "
        "firmaron hoy un convenio de colaboración."
    )
    record = _record(text, "es")
    assert ("National Migration Service", "CHL") in {(a.name, a.country) for a in record.agencies}
    assert _agreements(record) == [("agreement", ("CHL",))]


def test_the_subject_of_witnessed_is_no_signatory():
    base = "Minister Ana Soto of Chile and Minister Juan Pérez of Peru witnessed the signing of a "
    (alone,) = _record(
        base + "memorandum of understanding between the police forces of Chile and Peru."
    ).agreements
    assert alone.signatories == ()
    (named,) = _record(
        base + "memorandum of understanding by police chiefs Luis Mora and Pedro Ruiz."
    ).agreements
    assert named.signatories == ("Luis Mora", "Pedro Ruiz")
    spanish = (
        "La ministra Ana Soto de Chile y el ministro Juan Pérez del Perú presenciaron la firma de un "
        "memorando de entendimiento entre las policías de Chile y el Perú."
    )
    (presenced,) = _record(spanish, "es").agreements
    assert presenced.signatories == ()


def test_a_title_word_after_a_patronymic_particle_is_a_fathers_name():
    text = (
        "The UAE and Bahrain signed an agreement on a cybercrime hub. It was signed by Lt. General "
        "Sheikh Khalid bin Sultan Al Qasimi and Bahrain's Minister of Interior Rashid Ahmed Nasser."
    )
    (agreement,) = _record(text).agreements
    assert agreement.signatories == ("Khalid bin Sultan Al Qasimi", "Rashid Ahmed Nasser")


def test_writers_drop_accents_but_do_not_add_them():
    """Writers write "Peru" for Perú, without its accent; "Germán" (a given name) is not "German"."""
    text = (
        "Colombia y Peru firmaron un convenio de cooperación policial. Lo suscribieron el director "
        "de la Policía Nacional de Colombia, general Germán Ospina Restrepo, y el ministro del Interior "
        "del Perú."
    )
    record = _record(text, "es")
    assert set(record.countries) == {"COL", "PER"}
    assert "Germán Ospina Restrepo" in {p.name for p in record.people}


def test_an_abbreviations_period_inside_an_instruments_name_does_not_end_it():
    """Within one sentence a period with more text after it ends an abbreviation ("U.S.",
    "No."), not the name: only the sentence's own end does."""
    text = (
        "Kenya and Tanzania signed the Agreement on Cooperation with the U.S. Agency for "
        "International Development, the ministries said."
    )
    (agreement,) = _record(text).agreements
    assert agreement.title == "Agreement on Cooperation with the U.S. Agency for International Development"


def test_the_state_of_a_dateline_is_no_party_and_a_later_sentence_names_the_signatories():
    text = (
        "Two police bodies sign a cooperation agreement\n\n"
        "ADDIS ABABA, Ethiopia – Ameripol and Afripol signed a cooperation agreement on Friday. "
        "The document was signed by Executive Director Ana Ruiz and Commissioner Daniel Okello."
    )
    (agreement,) = _record(text).agreements
    assert agreement.parties == ()
    assert agreement.signatories == ("Ana Ruiz", "Daniel Okello")


def test_list_items_take_the_signatories_of_the_sentence_that_opens_the_list():
    text = (
        "Interior Minister Ali Saleh of Qatar and Interior Minister Musa Kamara of Gambia today signed "
        "two memoranda of understanding:\n"
        "- A memorandum on the exchange of police expertise;\n"
        "- A memorandum on civil defence.\n"
    )
    agreements = _record(text).agreements
    assert len(agreements) == 2
    assert all(a.signatories == ("Ali Saleh", "Musa Kamara") for a in agreements)


def test_two_named_instruments_of_one_type_in_one_sentence_are_two():
    text = (
        "Ghana and Togo today signed an Extradition Treaty and a Treaty on Mutual Legal Assistance "
        "in Criminal Matters. The treaties were signed in Accra."
    )
    assert _agreements(_record(text)) == [("treaty", ("GHA", "TGO")), ("treaty", ("GHA", "TGO"))]


def test_hosts_witnesses_and_participle_clauses_name_no_party():
    text = (
        "Latvia and Lithuania adopted a joint action plan on Friday, setting out how their border "
        "guards will protect the EU's external border. It was signed at a conference hosted by "
        "Poland's Border Guard, in the presence of Estonian officials."
    )
    (agreement,) = _record(text).agreements
    assert agreement.parties == ("LTU", "LVA")


def test_the_initials_of_a_name_many_states_share_are_not_one_states():
    text = "The Department of Justice (DOJ) said the treaty between the Philippines and Viet Nam took effect."
    record = _record(text)
    assert "USA" not in record.countries
    assert {a.country for a in record.agencies} <= {"PHL", "VNM"}


def test_a_signing_as_subject_takes_the_predicate_that_plans_it():
    for text, language in (
        ("Chile y Perú definieron el texto. La firma del convenio está prevista para marzo.", "es"),
        ("Chile and Peru agreed the text. The signing of the agreement is expected in March.", "en"),
    ):
        assert _record(text, language).agreements == (), text


def test_a_list_that_names_the_instruments_a_signing_sentence_counted():
    text = (
        "Niger and Chad today signed three instruments in Niamey.\n\nThe instruments are:\n"
        "- a Memorandum of Understanding on police training;\n"
        "- an Agreement on Border Patrols;\n"
        "- a Protocol on the exchange of information.\n\n"
        "Under the agreement, the two sides commit to:\n- share information on declarations of goods."
    )
    types = sorted(a.type for a in _record(text).agreements)
    assert types == ["agreement", "memorandum-of-understanding", "protocol"]


def test_earlier_hypothetical_and_quoted_instruments_are_not_reported():
    for text in (
        "Croatia and Slovenia set up a team under the European Convention on Extradition and its "
        "Third Additional Protocol.",
        "Norway and Denmark discussed gangs. Any bilateral agreement would have to be approved by "
        "both governments.",
        "The drill followed the 1982 Treaty of Mutual Defence between Fiji and Tonga. \u201cWe "
        "signed a treaty to help one another,\u201d said Commander Ana Vake.",
        "Oman and Yemen discussed a draft memorandum due next year. Officials said the memorandum "
        "would provide for the exchange of expertise between Oman and Yemen.",
    ):
        assert _record(text).agreements == (), text


def test_cues_count_only_in_the_clause_of_the_instrument():
    text = (
        "Malaysia and Indonesia signed a memorandum of understanding on maritime patrols today, "
        "which builds on the agreement they will review next year."
    )
    assert _agreements(_record(text)) == [("memorandum-of-understanding", ("IDN", "MYS"))]


def test_planned_negotiated_denied_and_long_past_instruments_are_not_reported():
    for text in (
        "Senegal and Mali agreed to pursue two agreements on border patrols.",
        "Senegal and Mali are negotiating a treaty on extradition.",
        "No agreement was signed by Senegal and Mali.",
        "Senegal and Mali signed a treaty on extradition on 3 March 2011.",
        "Talks were held under the existing agreement between Senegal and Mali.",
    ):
        assert _record(text).agreements == (), text


def test_an_agreement_between_organizations_binds_no_state_unless_one_is_of_the_eu():
    record = _record("INTERPOL and the African Union signed a cooperation agreement in Addis Ababa.")
    assert _agreements(record) == [("agreement", ())]
    eu = _record("Europol and INTERPOL signed a working arrangement on data exchange.")
    assert _agreements(eu) == [("arrangement", ("EU",))]


def test_an_agreement_between_two_bodies_of_one_state_binds_that_state():
    text = (
        "The Ministry of Defence of Portugal and the Maritime Police signed a protocol on sea "
        "rescue between the two bodies."
    )
    assert _agreements(_record(text)) == [("protocol", ("PRT",))]


def test_each_of_several_states_signed_with_the_hub():
    text = "Today Rwanda, Uganda and Kenya have each signed the Labour Mobility Agreement with Qatar."
    assert _agreements(_record(text)) == [
        ("agreement", ("KEN", "QAT")),
        ("agreement", ("QAT", "RWA")),
        ("agreement", ("QAT", "UGA")),
    ]


def test_one_instrument_of_three_states_is_one():
    text = "The interior ministers of Slovenia, Croatia and Italy signed the Memorandum on joint patrols."
    assert _agreements(_record(text)) == [("memorandum-of-understanding", ("HRV", "ITA", "SVN"))]


def test_a_new_instrument_introduced_twice_is_two():
    text = (
        "Uruguay and Argentina signed a convenio on drug control. They also signed a convenio on "
        "police training. The convenio on drug control starts in May."
    )
    assert len(_record(text).agreements) == 2


def test_a_later_mention_by_the_head_of_the_name_reports_the_instrument():
    text = (
        "La carta de intenciones sobre tráfico de armas mejora la cooperación entre Chile y Argentina. "
        "La carta fue firmada por ambos ministros."
    )
    record = _record(text, language="es")
    assert _agreements(record) == [("letter-of-intent", ("ARG", "CHL"))]


def test_list_items_and_sentences_split_and_locate():
    sentences = split_sentences("They signed:\n- a memorandum;\n- b) a treaty\nLt. Gen. Jones left.")
    assert [s.list_item for s in sentences] == [False, True, True, False]
    doc = Doc.from_parts("Title", "Body.")
    assert doc.to_release(7, 12) == (0, 5, "text")


def test_an_organization_and_one_state_bind_that_state():
    text = (
        "The African Union Commission and the Government of Sierra Leone have signed a host "
        "agreement for a liaison office in Freetown."
    )
    record = _record(text)
    assert _agreements(record) == [("agreement", ("SLE",))]


def test_exchanged_notes_are_an_instrument_and_a_counterpart_takes_the_other_state():
    text = (
        "Ambassador of Norway to Chile Ingrid Berg and Undersecretary Tomás Rivas exchanged notes "
        "on search and rescue cooperation between Norway and Chile."
    )
    record = _record(text)
    assert _agreements(record) == [("other", ("CHL", "NOR"))]
    people = {p.name: p.country for p in record.people}
    assert people == {"Ingrid Berg": "NOR", "Tomás Rivas": "CHL"}


def test_an_honorific_between_a_title_and_a_name_and_a_spelling_variant():
    text = (
        "Interior Minister Sheikh Fahad Al Sabah of Kuwait met Minister of Justice Dr. Amal Haddad "
        "of Jordan. Later, Sheikh Fahad Al-Sabah said the talks went well."
    )
    people = {p.name: (p.title, p.country) for p in _record(text).people}
    assert people["Amal Haddad"] == ("Minister of Justice", "JOR")
    assert people["Fahad Al Sabah"][1] == "KWT"


def test_the_items_of_a_list_a_signing_sentence_introduces_are_its_instruments():
    text = (
        "HANOI, 4 May 2024 - Viet Nam and Australia today signed three instruments:\n"
        "- a Memorandum of Understanding on Combating Transnational Crime;\n"
        "- an Arrangement on Police Training; and\n"
        "- a Letter of Intent on Cyber Security Cooperation.\n"
        "The ministers also discussed a future extradition treaty."
    )
    assert _agreements(_record(text)) == [
        ("arrangement", ("AUS", "VNM")),
        ("letter-of-intent", ("AUS", "VNM")),
        ("memorandum-of-understanding", ("AUS", "VNM")),
    ]
    planned = "Both ministers agreed to negotiate the following:\n- a treaty on extradition;\n- an MOU."
    assert _record(planned).agreements == ()


def test_a_place_after_a_spanish_body_name_is_not_part_of_it():
    record = _record(
        "El canciller de Uruguay y la ministra de Chile se reunieron en la sede del Ministerio de "
        "Seguridad Pública en Montevideo.",
        language="es",
    )
    names = [a.name for a in record.agencies] + [x for a in record.agencies for x in a.aliases]
    assert any(
        n.startswith("Ministerio de Seguridad Pública") or n == "Ministry of Public Security" for n in names
    )
    assert not any("Montevideo" in n for n in names), names
