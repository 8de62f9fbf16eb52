"""The largest file an import takes as an upload (IMPORT_MAX_UPLOAD_MB), checked from the size
the upload reports before anything reads its content: at every door that takes a file (the
API's imports, the admin's import forms, framework import jobs), with one message."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.limits import MB


def api_import_inline_rows() -> int:
    """The rows of the largest file the API imports inside the request (API_IMPORT_INLINE_ROWS):
    a larger one is imported by a background job, or refused where there is none."""
    return int(getattr(settings, "API_IMPORT_INLINE_ROWS", 5000))


def admin_import_inline_rows() -> int:
    """The rows of the largest file the admin imports inside the request
    (ADMIN_IMPORT_INLINE_ROWS): a larger one is imported by a background job."""
    return int(getattr(settings, "ADMIN_IMPORT_INLINE_ROWS", 2000))


def max_upload_mb() -> int:
    return int(getattr(settings, "IMPORT_MAX_UPLOAD_MB", 200))


def upload_size_problem(upload) -> str | None:
    """Why `upload` (an UploadedFile) is refused for its size, or None when it is within bound."""
    if upload.size <= max_upload_mb() * MB:
        return None
    return _("The file is larger than %(mb)s MB (IMPORT_MAX_UPLOAD_MB).") % {"mb": max_upload_mb()}


def validate_upload_size(upload) -> None:
    """A validator for a form's or a serializer's file field."""
    problem = upload_size_problem(upload)
    if problem:
        raise ValidationError(problem)


def upload_content(upload, *, field: str = "file") -> bytes:
    """`upload`'s bytes, once its size is within bound; ValidationError on `field` otherwise."""
    problem = upload_size_problem(upload)
    if problem:
        raise ValidationError({field: problem})
    return upload.read()
