"""British and American spellings of one English word read as one ("optimize" as "optimise",
"behaviour" as "behavior"), by the suggestion engine (suggestions.engine.text) and the site's
search (core.search) alike. Plain Python: the engine imports no framework.

`one_spelling` gives a word's one spelling; `both_spellings` every spelling of a word read as
it, for a search that cannot rewrite what it searches (PostgreSQL's stored search vectors hold
the words as written).
"""

from __future__ import annotations

import re
from functools import lru_cache

# British and American spellings of one word are read as one: ESCO writes "optimise",
# "behaviour", "catalogue", course texts often "optimize", "behavior", "catalog", and Snowball
# stems them apart ("optimis", "optimiz"). Each rule rewrites one spelling as the other by its
# ending (or its start: `_START_FAMILIES`), before stemming, in the direction a rule can take:
# every -our word can lose its u, but not every -or word can gain one; "catalogue" can become
# "catalog", "blog" not "blogue"; and
# -ize becomes -ise, since "advise", "exercise", "promise" and some forty more are -ise words
# with no -ize, while only "size", "prize", "seize" and "capsize" are the reverse. (As -ise,
# a word also keeps its own family: Snowball stems "authorize" "author", "digitize" "digit",
# "utilize" "util" as in "utility", but "authorise" "authoris".) A word a rule would wrongly
# change is left alone: too short a stem ("size", "prize", "seize"), no vowel before -our
# ("hour", "four", "tour", "flour"), a listed exception ("capsize", "contour", "timbre",
# "hatred"). "Programme" is read as "program": British English keeps "program" for software,
# but American English, and so a course, writes "program" for both. "Analyse" and "analyze"
# are not joined yet: joined, "analyse ICT system" entered the ESCO ICT business analysis
# manager's top 20 and pushed a relevant skill out (ICT recall@20 0.2962 -> 0.2943,
# PERFORMANCE.md).
_IZE_RE = re.compile(
    r"^([a-z]{3,}i)z(e|es|ed|ing|er|ers|ation|ations|ational|able)$"
)  # optimize -> optimise, organizing -> organising, organizational -> organisational
_IZE_KEPT = frozenset(
    {"capsize", "resize", "upsize", "downsize", "oversize", "undersize", "outsize", "midsize"}
)
_OUR_RE = re.compile(
    r"^([a-z]*[aeiou][a-z]*)our"
    r"(|s|ed|ing|er|ers|ful|fully|less|able|ably|ite|ites|al|ally|ism|ist|ists|hood|hoods|y|ies)$"
)  # behaviour -> behavior, favourite -> favorite; not hour, four, tour (no vowel before -our)
_OUR_KEPT = frozenset({"devour", "contour", "detour", "troubadour", "amour", "paramour", "velour"})
# British doubles the l of an unstressed last syllable: "fuelled", "dialling", "counsellor".
# Snowball itself joins most ("modelling", "travelled" are "model", "travel").
_LL_RE = re.compile(r"^([a-z]+[ae])ll(ing|ed|er|ers|or|ors|ous)$")
_LL_KEPT = frozenset(  # stressed on the l's syllable: both countries double it
    {"compel", "propel", "expel", "repel", "dispel", "impel", "rebel", "excel", "appal", "enthral"}
)
_ONE_SYLLABLE_LL = re.compile(  # alone or last in a compound: "selling", "installed", "footballer"
    r"(ball|call|fall|hall|wall|stall|tall|small|mall|gall|pall|thrall|squall|(?<!coun)sell|tell|spell"
    r"|dwell|smell|shell|yell|well|swell|quell|bell|cell|fell|knell|dell)$"
)
_RE_RE = re.compile(r"^([a-z]{2,})(tre|bre)(|s)$|^([a-z]{2,})tr(ed|ing)$")  # centre -> center
_RE_KEPT = frozenset({"timbre", "macabre", "libre", "hatred"})  # "libre" is no "liber"
# licence -> license, licenced -> licensed; not "science"
_ENSE_RE = re.compile(r"^(lic|def|off|pret)enc(e|es|eless|ed|ing)$")
_OGUE_RE = re.compile(r"^([a-z]{2,})logu(e|es|ed|ing|er|ers)$")  # catalogue -> catalog
_GRAMME_RE = re.compile(r"^([a-z]*)gramme(|s)$")  # programme -> program, kilogramme -> kilogram
_OGUE_ENDS = {"e": "", "es": "s", "ed": "ed", "ing": "ing", "er": "er", "ers": "ers"}
# Families spelt apart at the start of the word, not at its end: a British ae or oe is an
# American e in medicine and a few more ("paediatric", "anaesthesia", "oesophagus"), and some
# words are written otherwise whole ("tyre", "mould", "jewellery", "enquiry"). Each family is
# named by a start long enough to be its own, British first, with the endings it takes: an ae or
# oe elsewhere is no British spelling ("aerial", "aesthetic", "Michael", "phoenix", "canoe"), nor
# is every American start the start of a variant ("hemp", "fetch", "tired", "Moldova",
# "practical"). The families are those ESCO's skills and occupations write in both spellings
# or often ("tyre" 123 times, "tire" 26; "mould" 429, "mold" 214; "jewellery" 222, "jewelry"
# 26; "anaesthesia" and its family 105, "anesthesia" 18), and their near kin in medicine.
# Snowball already joins enrol/enroll, fulfil/fulfill, instalment/installment, distil/distill
# and ageing/aging. Left apart: "cheque" (American "check", far more often a verb), "kerb"
# (ESCO's "curb" is the verb: "curb blazes"), "disc" (both write "compact disc"), "draught"
# (ESCO's "draughting" is drawing, its "draft" documents), "grey" (once), "speciality" (twice;
# Snowball joins it to "special", "specialty" not).
_START_FAMILIES = {
    # British start: (American start, the endings the family takes)
    "paediatr": ("pediatr", r"[a-z]*"),
    "orthopaed": ("orthoped", r"[a-z]*"),
    "encyclopaed": ("encycloped", r"[a-z]*"),
    "anaesthe": ("anesthe", r"[a-z]*"),
    "oesophag": ("esophag", r"[a-z]*"),
    "haemo": ("hemo", r"[a-z]+"),  # haemoglobin, haemorrhage, haemostasis
    "haemat": ("hemat", r"[a-z]+"),  # haematology, haematoma
    "leukaem": ("leukem", r"[a-z]*"),
    "anaem": ("anem", r"ia|ias|ic"),  # not anemometer
    "gynaecolog": ("gynecolog", r"[a-z]*"),
    "diarrhoea": ("diarrhea", r"|l|s"),
    "oedem": ("edem", r"a|as|atous"),
    "homoeopath": ("homeopath", r"[a-z]*"),
    "archaeolog": ("archeolog", r"[a-z]*"),
    "palaeo": ("paleo", r"[a-z]+"),
    "foet": ("fet", r"us|uses|al"),  # not fetch
    "judgement": ("judgment", r"|s|al"),
    "tyre": ("tire", r"|s"),  # not tired, tiring: the verb
    "mould": ("mold", r"|s|ed|ing|ings|er|ers|y|able|making|maker|makers"),  # not Moldova
    "plough": ("plow", r"|s|ed|ing|man|men"),
    "aluminium": ("aluminum", r""),
    "jewellery": ("jewelry", r""),
    "jewelleries": ("jewelries", r""),
    "practis": ("practic", r"e|es|ed|ing"),  # the verb; not practical, practitioner
    "artefact": ("artifact", r"|s|ual"),
    "sulph": ("sulf", r"ur|uric|urous|ate|ates|ide|ides|onamide|onamides"),
    "enquir": ("inquir", r"e|es|ed|ing|er|ers|y|ies"),
    "aeroplane": ("airplane", r"|s"),
}
_START_ENDS = {start: re.compile(ends) for start, (_, ends) in _START_FAMILIES.items()}
_AMERICAN_STARTS = {american: british for british, (american, _) in _START_FAMILIES.items()}


def _starts(starts) -> re.Pattern[str]:
    return re.compile("^(" + "|".join(sorted(starts, key=len, reverse=True)) + ")")


_BRITISH_START = _starts(_START_FAMILIES)
_AMERICAN_START = _starts(_AMERICAN_STARTS)
# manoeuvre -> maneuver, manoeuvring -> maneuvering; the mixed "manoeuvering" and "maneuvres"
# (ESCO has both) too
_MANOEUVRE_ENDS = {
    "re": "er",
    "res": "ers",
    "red": "ered",
    "ring": "ering",
    "rable": "erable",
    "rability": "erability",
}
_MANOEUVRE_RE = re.compile(
    r"^man(?:oeu|eu)v(re|res|red|ring|rable|rability|er|ers|ered|ering|erable|erability)$"
)
_MANEUVER_RE = re.compile(r"^maneuv(er|ers|ered|ering|erable|erability)$")
_MANOEUVRE_FROM = {american: british for british, american in _MANOEUVRE_ENDS.items()}


def _syllables(word: str) -> int:
    # vowel groups, a "ue", "ua" or "ia" being two ("fuel", "dual", "dial")
    return len(re.findall(r"[aeiouy]+", word)) + len(re.findall(r"ue|ua|ia", word))


def _american_start(word: str) -> str:
    if (m := _BRITISH_START.match(word)) and _START_ENDS[m[1]].fullmatch(word, m.end()):
        return f"{_START_FAMILIES[m[1]][0]}{word[m.end() :]}"
    if m := _MANOEUVRE_RE.match(word):
        return f"maneuv{_MANOEUVRE_ENDS.get(m[1], m[1])}"
    return word


# The longest word a spelling is looked for in: far longer than any English word (ESCO's longest
# is 25 letters), and the -our rules read a word in time growing with the square of its length,
# so a run of letters pasted without a space (a description's megabyte of "aaaa…", a hash) kept
# a worker minutes on one word. A longer "word" is read as it is written.
LONGEST_WORD = 64


def one_spelling(word: str) -> str:
    """`word` (lowercase) in the one spelling read for its British and American forms; a word
    longer than LONGEST_WORD as it is."""
    if len(word) > LONGEST_WORD:
        return word
    word = _american_start(word)
    if m := _IZE_RE.match(word):
        return word if f"{m[1]}ze" in _IZE_KEPT else f"{m[1]}s{m[2]}"
    if (m := _OUR_RE.match(word)) and f"{m[1]}our" not in _OUR_KEPT:
        return f"{m[1]}or{m[2]}"
    if m := _LL_RE.match(word):
        base = f"{m[1]}l"
        if base in _LL_KEPT or _ONE_SYLLABLE_LL.search(f"{base}l") or _syllables(base) < 2:
            return word
        return f"{base}{m[2]}"
    if (m := _RE_RE.match(word)) and word not in _RE_KEPT:
        if m[1]:
            return f"{m[1]}{m[2][0]}er{m[3]}"
        if not word.endswith("string"):
            return f"{m[4]}ter{m[5]}" if m[5] == "ed" else f"{m[4]}tering"
        return word
    if m := _ENSE_RE.match(word):
        return f"{m[1]}ens{m[2]}"
    if m := _OGUE_RE.match(word):
        return f"{m[1]}log{_OGUE_ENDS[m[2]]}"
    if m := _GRAMME_RE.match(word):
        return f"{m[1]}gram{m[2]}"
    return word


# The other spellings a word's one spelling (`one_spelling`) may come from: each rule of
# `one_spelling` run backwards. A candidate is kept only if `one_spelling` reads it back
# (`both_spellings`), so these may be loose.
_FROM_ISE = re.compile(r"^([a-z]{3,}i)s(e|es|ed|ing|er|ers|ation|ations|ational|able)$")
_FROM_OR = re.compile(
    r"^([a-z]*[aeiou][a-z]*)or"
    r"(|s|ed|ing|er|ers|ful|fully|less|able|ably|ite|ites|al|ally|ism|ist|ists|hood|hoods|y|ies)$"
)
_FROM_L = re.compile(r"^([a-z]+[ae])l(ing|ed|er|ers|or|ors|ous)$")
_FROM_ER = re.compile(r"^([a-z]{2,})([tb])er(|s)$|^([a-z]{2,})ter(ed|ing)$")
_FROM_ENSE = re.compile(r"^(lic|def|off|pret)ens(e|es|eless|ed|ing)$")
_FROM_LOG = re.compile(r"^([a-z]{2,})log(|s|ed|ing|er|ers)$")
_FROM_GRAM = re.compile(r"^([a-z]*)gram(|s)$")
_LOGUE_ENDS = {ending: logue for logue, ending in _OGUE_ENDS.items()}


def _british_start(word: str) -> str:
    """`word` with an American start of `_START_FAMILIES` (or maneuver's) in its British one."""
    if m := _AMERICAN_START.match(word):
        return f"{_AMERICAN_STARTS[m[1]]}{word[m.end() :]}"
    if m := _MANEUVER_RE.match(word):
        return f"manoeuv{_MANOEUVRE_FROM[m[1]]}"
    return word


def _written_otherwise(word: str) -> list[str]:
    found = []
    if m := _FROM_ISE.match(word):
        found.append(f"{m[1]}z{m[2]}")
    if m := _FROM_OR.match(word):
        found.append(f"{m[1]}our{m[2]}")
    if m := _FROM_L.match(word):
        found.append(f"{m[1]}ll{m[2]}")
    if m := _FROM_ER.match(word):
        found.append(f"{m[1]}{m[2]}re{m[3]}" if m[1] else f"{m[4]}tr{m[5]}")
    if m := _FROM_ENSE.match(word):
        found.append(f"{m[1]}enc{m[2]}")
    if m := _FROM_LOG.match(word):
        found.append(f"{m[1]}logu{_LOGUE_ENDS[m[2]]}")
    if m := _FROM_GRAM.match(word):
        found.append(f"{m[1]}gramme{m[2]}")
    return found


@lru_cache(maxsize=20_000)
def both_spellings(word: str) -> tuple[str, ...]:
    """Every spelling of `word` (lowercase) that `one_spelling` reads as it reads `word`: the
    word first, then its one spelling, then the other: ("optimize", "optimise"), ("behaviour",
    "behavior"), ("center", "centre"); a word with one spelling alone, ("analyse",), as is one
    longer than LONGEST_WORD."""
    if len(word) > LONGEST_WORD:
        return (word,)
    one = one_spelling(word)
    candidates = [word, one, *_written_otherwise(one)]
    candidates += [_british_start(c) for c in candidates]
    return tuple(dict.fromkeys(c for c in candidates if one_spelling(c) == one))
