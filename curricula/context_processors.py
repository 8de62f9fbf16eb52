"""Template context every page shares."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from curricula.paper.presence import paper_present


def paper(request: HttpRequest) -> dict:
    """`paper_loaded`: whether the paper's data is in the database. The pages then speak of its
    tables and cite it; a university mapping another field without it reads about its own
    records. Lazy: asked of the first template that needs it, from the shared cache when there is
    one (curricula.paper.presence), else by one query."""
    return {"paper_loaded": SimpleLazyObject(paper_present)}
