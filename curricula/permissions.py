"""Who may do what with a programme's map and its suggested links: one rule each, for the
pages, their fragments and the template tags that draw them."""

from functools import cached_property

from django.utils.translation import gettext_lazy

CHANGE_LINK = "curricula.change_courseability"
ADD_LINK = "curricula.add_courseability"
DELETE_LINK = "curricula.delete_courseability"

# What each link permission lets an editor do to the map, said when it is missing (the map's
# pages and fragments, and the API's map import).
PERMISSION_NEEDS = {
    ADD_LINK: gettext_lazy("Your account may not add links (fill empty cells)."),
    CHANGE_LINK: gettext_lazy("Your account may not change a link's level."),
    DELETE_LINK: gettext_lazy("Your account may not delete links (clear cells)."),
}


def can_edit_map(user) -> bool:
    """Staff holding the change permission on course-ability links see and use the map editor."""
    return bool(user.is_active and user.is_staff and user.has_perm(CHANGE_LINK))


def can_add_map(user) -> bool:
    """Editors holding the add permission on links too are offered levels for an empty cell; to
    the others, saving one would only be refused."""
    return can_edit_map(user) and user.has_perm(ADD_LINK)


def can_clear_map(user) -> bool:
    """Editors holding the delete permission on links too are offered to clear a taught cell
    ("not taught (clear)"); to the others, saving it would only be refused."""
    return can_edit_map(user) and user.has_perm(DELETE_LINK)


def can_review_suggestions(user) -> bool:
    """Staff who may add links are shown the programme's courses suggested for each gap (and a
    link to review them); for the others the gap report is read without them."""
    return bool(user.is_staff and user.has_perm(ADD_LINK))


class MapAccess:
    """The rules above for one account, each asked of it once: a programme page asks them in its
    view and again in its gap report's template tag, once per gap list (thirty lists for ten
    targets), and an account's permissions do not change within a request."""

    def __init__(self, user) -> None:
        self.user = user

    @cached_property
    def can_edit(self) -> bool:
        return can_edit_map(self.user)

    @cached_property
    def can_add(self) -> bool:
        return can_add_map(self.user)

    @cached_property
    def can_clear(self) -> bool:
        return can_clear_map(self.user)

    @cached_property
    def can_review(self) -> bool:
        return can_review_suggestions(self.user)


def map_access(request) -> MapAccess:
    """The request's account's MapAccess, kept on the request for its view and its templates
    (a new one should the request's account change, as at a login)."""
    access = getattr(request, "_map_access", None)
    if access is None or access.user is not request.user:
        access = request._map_access = MapAccess(request.user)
    return access


# A catalogue imported into a programme (curricula.services.course_catalogue_import with a
# programme) changes the programme: it adds courses to it and sets their terms in it, each a
# programme course row of its own, as the API's and the admin's programme edits count them.
# Asked of the account before the file is read, at every door that names an account.
PROGRAMME_IMPORT_PERMISSIONS = (
    "curricula.change_programme",
    "curricula.add_programmecourse",
    "curricula.change_programmecourse",
)


def programme_import_refused(user) -> list[str]:
    """The permissions importing a catalogue into a programme takes that `user` lacks."""
    return [perm for perm in PROGRAMME_IMPORT_PERMISSIONS if not user.has_perm(perm)]
