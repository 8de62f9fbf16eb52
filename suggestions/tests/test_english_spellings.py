"""British and American spellings of one word are one term. ESCO writes British English
("optimise", "behaviour", "catalogue") and course texts are often American ("optimize",
"behavior", "catalog"); Snowball stems the two differently ("optimis", "optimiz"), so neither
side met the other. No Django: run with `-p no:django`.
"""

import pytest
import snowballstemmer

from suggestions.engine import Candidate, Query, Settings, build_index
from suggestions.engine.text import analyse

LEXICAL = Settings(semantic_model=None)
SNOWBALL = snowballstemmer.stemmer("english")


def stems(text: str) -> list[str]:
    return [t.key for t in analyse(text, phrases=False)]


@pytest.mark.parametrize(
    ("british", "american"),
    [
        # -ise / -ize, -isation / -ization
        ("optimise", "optimize"),
        ("optimising", "optimizing"),
        ("organise", "organize"),
        ("organisation", "organization"),
        ("organisational", "organizational"),
        ("utilised", "utilized"),
        ("visualisation", "visualization"),
        ("prioritises", "prioritizes"),
        ("realisable", "realizable"),
        ("synthesiser", "synthesizer"),
        # -our / -or
        ("behaviour", "behavior"),
        ("behavioural", "behavioral"),
        ("colours", "colors"),
        ("colourful", "colorful"),
        ("favourite", "favorite"),
        ("honourable", "honorable"),
        ("labourers", "laborers"),
        ("neighbourhood", "neighborhood"),
        ("savoury", "savory"),
        # -ll- / -l- before -ing, -ed, -er, -or (Snowball already joins "modelling" and
        # "modeling"; not "fuelled", "dialling" or "counsellor")
        ("fuelled", "fueled"),
        ("dialling", "dialing"),
        ("counsellor", "counselor"),
        ("trialled", "trialed"),
        # -re / -er
        ("centre", "center"),
        ("centres", "centers"),
        ("centred", "centered"),
        ("centring", "centering"),
        ("metres", "meters"),
        ("kilometre", "kilometer"),
        ("theatre", "theater"),
        ("fibre", "fiber"),
        ("litres", "liters"),
        # -ence / -ense
        ("licence", "license"),
        ("licences", "licenses"),
        ("defence", "defense"),
        ("offences", "offenses"),
        # -ogue / -og
        ("catalogue", "catalog"),
        ("catalogued", "cataloged"),
        ("cataloguing", "cataloging"),
        ("dialogues", "dialogs"),
        ("analogue", "analog"),
        # -gramme / -gram
        ("programme", "program"),
        ("programmes", "programs"),
        ("kilogrammes", "kilograms"),
    ],
)
def test_british_and_american_spellings_are_one_term(british, american):
    assert stems(british) == stems(american)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("licence", "licensing"),
        ("defence", "defensive"),
        ("vigour", "vigorous"),
        ("humour", "humorous"),
        ("organisation", "organise"),
        ("organization", "organize"),
    ],
)
def test_a_variant_meets_its_family(one, other):
    """Where one spelling left a word's family, the shared form brings it back: "licence" was
    "licenc", "licensing" "licens"; "humour" "humour", "humorous" "humor"."""
    assert stems(one) == stems(other)


@pytest.mark.parametrize(
    "word",
    [
        # -ise words with no -ize, which an -ise -> -ize rule would change
        "advise",
        "advertising",
        "revised",
        "supervise",
        "exercises",
        "precise",
        "otherwise",
        "raised",
        "praise",
        "noise",
        "cruise",
        "franchise",
        "enterprise",
        "surprised",
        "expertise",
        "promising",
        "compromise",
        "premises",
        "treatise",
        "arise",
        # would be -ise: not a variant
        "size",
        "sizes",
        "prize",
        "seize",
        "maize",
        "capsize",
        "downsizing",
        "oversized",
        "resize",
        "citizen",
        "quizzes",
        # would be -or: not a variant
        "hour",
        "hours",
        "four",
        "pour",
        "tour",
        "tourism",
        "flour",
        "sour",
        "scour",
        "detour",
        "contour",
        "devour",
        "amour",
        "journal",
        "courage",
        # would lose an l: stressed on the last syllable, or a word of one syllable
        "selling",
        "spelled",
        "installed",
        "recalling",
        "compelled",
        "expelled",
        "excelling",
        "rebelled",
        "propeller",
        "footballer",
        "smaller",
        "controlling",
        "filling",
        # would be -er: not a variant
        "acre",
        "massacre",
        "mediocre",
        "ogre",
        "genre",
        "timbre",
        "macabre",
        "hatred",
        "inbred",
        "hamstring",
        "strings",
        # would be -ense or -og: not a variant
        "science",
        "evidence",
        "fence",
        "experience",
        "rogue",
        "vogue",
        "synagogue",
    ],
)
def test_words_that_only_look_like_a_variant_are_left_to_snowball(word):
    assert stems(word) == [SNOWBALL.stemWord(word)]


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("timbre", "timber"),
        ("hatred", "hater"),
        ("libre", "liberal"),
        ("tour", "tor"),
        ("prize", "prise"),
    ],
)
def test_no_unrelated_words_are_joined(one, other):
    assert stems(one) != stems(other)


def test_analyse_and_analyze_are_left_apart_for_now():
    """Joined, "analyse ICT system" entered the ESCO ICT business analysis manager's top 20 in
    place of a relevant skill (text.py). This records the choice, so that joining them is a
    decision measured again, not a side effect."""
    assert stems("analyse") != stems("analyze")


def top(pool: list[str], query: str) -> list[str]:
    index = build_index([Candidate(text, {"label": text}) for text in pool], settings=LEXICAL)
    return [hit.id for hit in index.rank(Query({"title": query}), k=10, explain=False)][:1]


BRITISH_ABILITIES = [
    "optimise software performance",
    "organise conferences",
    "analyse user behaviour",
    "manage software licences",
    "maintain a product catalogue",
    "plan national defence",
    "run a data centre",
    "measure distances in metres",
    "choose a colour scheme",
    "manage a programme",
    "cook pasta",
]
AMERICAN_ABILITIES = [
    "optimize software performance",
    "organize conferences",
    "analyze user behavior",
    "manage software licenses",
    "maintain a product catalog",
    "plan national defense",
    "run a data center",
    "measure distances in meters",
    "choose a color scheme",
    "manage a program",
    "cook pasta",
]
COURSES = [
    # (in American spelling, in British spelling, the ability each is about, by its index)
    ("Code optimization", "Code optimisation", 0),
    ("Organizing trade fairs", "Organising trade fairs", 1),
    ("Consumer behavior", "Consumer behaviour", 2),
    ("License compliance", "Licence compliance", 3),
    ("Cataloging library collections", "Cataloguing library collections", 4),
    ("Missile defense", "Missile defence", 5),
    ("Center operations", "Centre operations", 6),
    ("Meters and feet", "Metres and feet", 7),
    ("Color theory", "Colour theory", 8),
    ("Program administration", "Programme administration", 9),
]


@pytest.mark.parametrize(("american", "british", "about"), COURSES)
def test_an_american_course_is_suggested_british_abilities(american, british, about):
    """Observed: a course saying "optimization" shared no term with "optimise software
    performance" and was suggested nothing."""
    assert top(BRITISH_ABILITIES, american) == [BRITISH_ABILITIES[about]]


@pytest.mark.parametrize(("american", "british", "about"), COURSES)
def test_a_british_course_is_suggested_american_abilities(american, british, about):
    assert top(AMERICAN_ABILITIES, british) == [AMERICAN_ABILITIES[about]]


@pytest.mark.parametrize(
    ("british", "american"),
    [
        # ae / oe -> e, by the word's start (not every ae or oe: aerial, aesthetic, canoe)
        ("paediatric", "pediatric"),
        ("paediatrician", "pediatrician"),
        ("orthopaedic", "orthopedic"),
        ("anaesthesia", "anesthesia"),
        ("anaesthetist", "anesthetist"),
        ("anaesthetize", "anesthetize"),
        ("oesophagus", "esophagus"),
        ("haemoglobin", "hemoglobin"),
        ("haemorrhage", "hemorrhage"),
        ("haematology", "hematology"),
        ("gynaecology", "gynecology"),
        ("leukaemia", "leukemia"),
        ("anaemia", "anemia"),
        ("diarrhoea", "diarrhea"),
        ("oedema", "edema"),
        ("foetus", "fetus"),
        ("foetal", "fetal"),
        ("homoeopathy", "homeopathy"),
        ("encyclopaedia", "encyclopedia"),
        ("archaeology", "archeology"),
        ("palaeontology", "paleontology"),
        ("manoeuvre", "maneuver"),
        ("manoeuvres", "maneuvers"),
        ("manoeuvring", "maneuvering"),
        ("manoeuvred", "maneuvered"),
        ("manoeuvrable", "maneuverable"),
        # -dgement / -dgment
        ("judgement", "judgment"),
        ("judgements", "judgments"),
        ("judgemental", "judgmental"),
        # words of their own
        ("tyre", "tire"),
        ("tyres", "tires"),
        ("mould", "mold"),
        ("moulds", "molds"),
        ("moulding", "molding"),
        ("moulded", "molded"),
        ("mouldmaking", "moldmaking"),
        ("plough", "plow"),
        ("ploughing", "plowing"),
        ("aluminium", "aluminum"),
        ("jewellery", "jewelry"),
        ("practise", "practice"),
        ("practising", "practicing"),
        ("practised", "practiced"),
        ("artefacts", "artifacts"),
        ("sulphur", "sulfur"),
        ("sulphuric", "sulfuric"),
        ("sulphate", "sulfate"),
        ("enquiry", "inquiry"),
        ("enquiries", "inquiries"),
        ("enquire", "inquire"),
        ("aeroplane", "airplane"),
        ("aeroplanes", "airplanes"),
        # licence's family, as British often writes it
        ("licenced", "licensed"),
        ("licencing", "licensing"),
    ],
)
def test_other_british_and_american_spellings_are_one_term(british, american):
    """Observed: ESCO writes "anaesthesia" 105 times, "orthopaedic" 92, "manoeuvre" 84, "tyre"
    123, "mould" 429 and "jewellery" 222, and course texts often the American spelling;
    Snowball stemmed each pair apart ("anaesthesia"/"anesthesia", "manoeuvr"/"maneuv")."""
    assert stems(british) == stems(american)


@pytest.mark.parametrize(
    ("british", "american"),
    [
        ("enrolment", "enrollment"),
        ("enrol", "enroll"),
        ("fulfilment", "fulfillment"),
        ("fulfil", "fulfill"),
        ("instalment", "installment"),
        ("distil", "distill"),
        ("instil", "instill"),
        ("acknowledgement", "acknowledgment"),
        ("ageing", "aging"),
        ("jeweller", "jeweler"),
    ],
)
def test_snowball_already_joins_these_families(british, american):
    """No rule needed: Snowball drops the second l and -ment, -ing alike. Kept so that a rule
    added later does not part them."""
    assert stems(british) == stems(american)


@pytest.mark.parametrize(
    "word",
    [
        # an ae or oe that is no British spelling
        "aerial",
        "aerospace",
        "aesthetic",
        "aesthetics",
        "michael",
        "israel",
        "maestro",
        "algae",
        "formulae",
        "phoenix",
        "canoe",
        "shoe",
        "toe",
        "oboe",
        "poet",
        "heroes",
        # an American spelling's start that is another word's
        "hemp",
        "hemisphere",
        "fetch",
        "estrange",
        "tired",
        "tiring",
        "molten",
        "moldova",
        "moldovan",
        "moldavian",
        "practical",
        "practitioner",
        "sulk",
        # left apart on purpose: the other spelling is a more common word of its own
        "cheque",
        "check",
        "kerb",
        "curb",
        "grey",
        "disc",
        "draught",
        "speciality",
    ],
)
def test_words_that_only_look_like_another_spelling_are_left_to_snowball(word):
    assert stems(word) == [SNOWBALL.stemWord(word)]


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("check", "cheque"),
        ("curb", "kerb"),
        ("disk", "disc"),
        ("draft", "draught"),
        ("gray", "grey"),
        ("aesthetic", "esthetic"),
        ("fetch", "foetch"),
    ],
)
def test_other_words_are_not_joined(one, other):
    assert stems(one) != stems(other)


BRITISH_ABILITIES_2 = [
    "care for paediatric patients",
    "monitor anaesthesia during surgery",
    "perform aircraft manoeuvres",
    "replace worn tyres",
    "operate injection moulding machines",
    "design jewellery",
    "answer customer enquiries",
    "exercise professional judgement",
    "weld aluminium alloys",
    "measure sulphur content",
    "restore museum artefacts",
    "manage licensed premises",
    "cook pasta",
]
AMERICAN_ABILITIES_2 = [
    "care for pediatric patients",
    "monitor anesthesia during surgery",
    "perform aircraft maneuvers",
    "replace worn tires",
    "operate injection molding machines",
    "design jewelry",
    "answer customer inquiries",
    "exercise professional judgment",
    "weld aluminum alloys",
    "measure sulfur content",
    "restore museum artifacts",
    "manage licensed premises",
    "cook pasta",
]
COURSES_2 = [
    # (in American spelling, in British spelling, the ability each is about, by its index)
    ("Pediatric nursing", "Paediatric nursing", 0),
    ("Anesthesia fundamentals", "Anaesthesia fundamentals", 1),
    ("Flight maneuvering", "Flight manoeuvring", 2),
    ("Tire service", "Tyre service", 3),
    ("Mold making", "Mould making", 4),
    ("Jewelry making", "Jewellery making", 5),
    ("Handling inquiries", "Handling enquiries", 6),
    ("Clinical judgment", "Clinical judgement", 7),
    ("Aluminum fabrication", "Aluminium fabrication", 8),
    ("Sulfur chemistry", "Sulphur chemistry", 9),
    ("Artifact conservation", "Artefact conservation", 10),
    ("Licensing law", "Licencing law", 11),
]


@pytest.mark.parametrize(("american", "british", "about"), COURSES_2)
def test_an_american_course_is_suggested_british_abilities_of_other_families(
    american, british, about
):
    """Observed: a course saying "pediatric", "tire" or "mold" shared no term with the ESCO
    ability saying "paediatric", "tyre" or "mould"."""
    assert top(BRITISH_ABILITIES_2, american) == [BRITISH_ABILITIES_2[about]]


@pytest.mark.parametrize(("american", "british", "about"), COURSES_2)
def test_a_british_course_is_suggested_american_abilities_of_other_families(
    american, british, about
):
    assert top(AMERICAN_ABILITIES_2, british) == [AMERICAN_ABILITIES_2[about]]
