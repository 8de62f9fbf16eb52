"""Who may do what through the API: reads are public (unless API_REQUIRE_AUTH), writes need staff
with the model permission."""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import NestedObjects
from django.db import router
from django.utils.translation import gettext as _
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissions

from core.i18n import join_list


def reads_are_public() -> bool:
    return not getattr(settings, "API_REQUIRE_AUTH", False)


class StaffModelPermissionsOrReadOnly(DjangoModelPermissions):
    """Safe methods for everyone (or for authenticated users when API_REQUIRE_AUTH is set);
    unsafe methods only for active staff users holding the model's add/change/delete permission.

    `allows_anonymous(method)` says the same to the OpenAPI schema (core.api.schema), so that a
    generated client asks for credentials exactly where they are needed."""

    def allows_anonymous(self, method: str) -> bool:
        return method in SAFE_METHODS and reads_are_public()

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            if getattr(settings, "API_REQUIRE_AUTH", False):
                return bool(request.user and request.user.is_authenticated)
            return True
        user = request.user
        if not (user and user.is_authenticated and user.is_active and user.is_staff):
            return False
        if getattr(view, "queryset", None) is None and not hasattr(view, "get_queryset"):
            return user.is_superuser
        return super().has_permission(request, view)

    def has_object_permission(self, request, view, obj):
        if request.method != "DELETE":
            return True
        refused = cascade_delete_refused(request, obj)
        if refused:
            self.message = cascade_refusal(refused)
            return False
        return True


def require_permissions(user, needed, message: str) -> None:
    """Raise PermissionDenied with `message` (naming them as %(permissions)s) unless `user` holds
    every permission in `needed`: for a write whose rows have permissions of their own."""
    missing = sorted(perm for perm in needed if not user.has_perm(perm))
    if missing:
        raise PermissionDenied(message % {"permissions": join_list(missing)})


def require_cascade_delete(request, obj) -> None:
    """Raise PermissionDenied, naming them, when deleting `obj` would also delete records that
    `request.user` may not delete (cascade_delete_refused): for a write that deletes other than
    through DELETE, such as reverting the change that created `obj`."""
    refused = cascade_delete_refused(request, obj)
    if refused:
        raise PermissionDenied(cascade_refusal(refused))


def cascade_refusal(refused: list[str]) -> str:
    return _("Deleting this also deletes records your account may not delete: %(kinds)s.") % {
        "kinds": join_list(refused)
    }


def cascade_delete_refused(request, obj) -> list[str]:
    """The kinds of record (verbose names, plural) that deleting `obj` would delete with it and
    that `request.user` may not delete, as the admin counts them (get_deleted_objects): only
    kinds the admin manages, each by its own delete permission (rows it computes, such as a
    programme's coverage, go with what they are computed from)."""
    collector = NestedObjects(using=router.db_for_write(type(obj)))
    collector.collect([obj])
    refused = []
    for model in collector.model_objs:
        model_admin = admin.site._registry.get(model)
        if model is type(obj) or model_admin is None or getattr(model_admin, "computed", False):
            continue
        if not model_admin.has_delete_permission(request):
            refused.append(str(model._meta.verbose_name_plural))
    return sorted(refused)


class IsStaffUser(StaffModelPermissionsOrReadOnly):
    """For actions that are not plain model writes (recompute, imports): staff only, holding
    the view's `required_permissions` (e.g. an import writes frameworks: not for every staff
    member) to write and its `read_permissions` (none by default) to read."""

    def allows_anonymous(self, method: str) -> bool:
        return False

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated and user.is_active and user.is_staff):
            return False
        if request.method in SAFE_METHODS:
            return user.has_perms(getattr(view, "read_permissions", ()))
        return user.has_perms(getattr(view, "required_permissions", ()))
