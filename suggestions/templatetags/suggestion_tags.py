"""Words for a suggestion's explanation, translated when shown (the stored parts are codes)."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from core.i18n import bracketed as core_bracketed
from core.i18n import join_list
from curricula.models import SUGGESTION_STRENGTHS
from curricula.templatetags.maps import strength_pill
from suggestions import selectors
from suggestions.reasons import importance_reason, level_reason

register = template.Library()


# A field's name as the page writes it; translated when written, one name at a time (lazy: a
# queue's 50 suggestions write a name for each field of each match, after every decision). In a
# context of their own: "title" and "label" are both 名称 elsewhere in Chinese (a model's field),
# and an explanation names one beside the other (“title → label”).
FIELD_LABELS = {
    "title": pgettext_lazy("suggestion explanation field", "title"),
    "title_zh": pgettext_lazy("suggestion explanation field", "Chinese title"),
    "description": pgettext_lazy("suggestion explanation field", "description"),
    "outcomes": pgettext_lazy("suggestion explanation field", "outcomes"),
    "label": pgettext_lazy("suggestion explanation field", "label"),
    "alt_labels": pgettext_lazy("suggestion explanation field", "alternative labels"),
    "label_zh": pgettext_lazy("suggestion explanation field", "Chinese label"),
    "description_zh": pgettext_lazy("suggestion explanation field", "Chinese description"),
    "related": pgettext_lazy("suggestion explanation field", "related ability"),
}


@register.filter
def field_label(name: str) -> str:
    label = FIELD_LABELS.get(name)
    return str(label) if label is not None else name


@register.filter
def shown_matches(explanation) -> list[dict]:
    """A stored explanation's matches as a page shows them: a line far in meaning, which a
    suggestion stored before the engine's floor may still hold, is not among them
    (selectors.explanation_matches)."""
    return selectors.explanation_matches(explanation)


@register.filter
def grouped_matches(matches) -> list[dict]:
    """The matches of an explanation, one per term and query field, heaviest first, with the
    ability's fields it was found in: “contracts” (outcomes → label, description). A match by
    meaning (`kind` "meaning") quotes the query's line and has its `similarity`. Each has its
    `details`, the words the page writes in brackets after the term, in the reader's language:
    "outcomes → label, description, similarity 0.43" (the catalogue's separators between them)."""
    grouped: dict[tuple[str, str, str], dict] = {}
    for match in matches or []:
        kind = match.get("kind", "term")
        key = (kind, match.get("query_field", ""), match.get("term", ""))
        entry = grouped.setdefault(
            key,
            {
                "kind": kind,
                "term": key[2],
                "query_field": key[1],
                "fields": [],
                "weight": 0.0,
                "similarity": match.get("similarity"),
            },
        )
        if match.get("candidate_field") not in entry["fields"]:
            entry["fields"].append(match.get("candidate_field"))
        entry["weight"] += float(match.get("weight") or 0)
    for entry in grouped.values():
        details = "{} → {}".format(
            field_label(entry["query_field"]), join_list(map(field_label, entry["fields"]))
        )
        if entry["similarity"] is not None:
            details = _("%(details)s, similarity %(similarity)s") % {
                "details": details,
                "similarity": f"{float(entry['similarity']):.2f}",
            }
        entry["details"] = details
    return sorted(grouped.values(), key=lambda e: -e["weight"])


def bracketed(name: str, said: str) -> SafeString:
    """`name (said)` as the reader's language writes it (full-width brackets in Chinese); both are
    escaped unless already safe HTML."""
    # Safe: the pattern is the catalogue's and both parts are escaped.
    return mark_safe(core_bracketed(conditional_escape(name), conditional_escape(said)))


# The reasons in the reader's language, worded by the functions the API words them with too.
register.filter("level_reason", level_reason)
register.filter("importance_reason", importance_reason)


@register.filter
def strength(suggestion) -> dict | None:
    """How strongly the engine stands by a suggestion, for a reviewer: its band's label and
    the places that decided it (engine.explain.strength); None for a suggestion generated
    before strengths were stored (the page shows its score)."""
    explanation = suggestion.explanation if isinstance(suggestion.explanation, dict) else {}
    found = explanation.get("strength")
    if not isinstance(found, dict) or found.get("band") not in SUGGESTION_STRENGTHS:
        return None
    words, meaning = found.get("lexical_rank"), found.get("meaning_rank")
    if meaning is not None and words is not None:
        reason = _("place %(words)s by shared words, %(meaning)s by meaning") % {
            "words": words,
            "meaning": meaning,
        }
    elif meaning is not None:
        reason = _("shares no word; place %(meaning)s by meaning") % {"meaning": meaning}
    else:
        share = round(100 * float(found.get("lexical_share") or 0))
        reason = _("ranked by shared words alone: %(percent)s%% of the best suggestion's score") % {
            "percent": share
        }
    # What it shares, where that was read (on words alone, or where the two rankings agreeing
    # says little: a small framework); a suggestion sharing no word has nothing to name.
    terms, coverage = found.get("terms"), found.get("coverage")
    if isinstance(terms, int) and terms > 0 and isinstance(coverage, int | float):
        shared = ngettext(
            "%(terms)s shared term, %(percent)s%% of its text",
            "%(terms)s shared terms, %(percent)s%% of its text",
            terms,
        ) % {"terms": terms, "percent": round(100 * coverage)}
        # Translators: a suggestion's place by shared words, then what it shares.
        reason = _("%(place)s; %(shared)s") % {"place": reason, "shared": shared}
    return {"band": found["band"], "label": SUGGESTION_STRENGTHS[found["band"]], "reason": reason}


@register.simple_tag
def strength_text(suggestion) -> SafeString:
    """The suggestion's strength, its label in a pill titled with the score, then why in
    brackets: "Good match (place 3 by shared words, …)"; the score alone for a suggestion
    stored before strengths."""
    found = strength(suggestion)
    pill = strength_pill(found and found["band"], suggestion.score)
    return pill if found is None else bracketed(pill, found["reason"])
