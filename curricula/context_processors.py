"""Template context every page shares."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from curricula.paper.loader import paper_framework_exists


def paper(request: HttpRequest) -> dict:
    """`paper_loaded`: whether the paper's data is in the database. The pages then speak of its
    tables and cite it; a university mapping another field without it reads about its own
    records. Lazy: one query, made by the first template that asks."""
    return {"paper_loaded": SimpleLazyObject(paper_framework_exists)}
