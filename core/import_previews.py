"""Where an admin import keeps its uploaded file from the preview to the confirm step
(settings.IMPORT_EXPORT_TMP_STORAGE_CLASS), apart from the admin itself: the daily upload purge
(positions.services.import_uploads_purge) removes the previews past their day too."""

import os
import re
import secrets
import time
from pathlib import Path

from django.utils.translation import gettext
from import_export.tmp_storages import BaseStorage

from core.media import media_root


class ImportPreviewUnavailable(Exception):
    """The confirm step of an admin import cannot go ahead: it names no preview the storage can
    give, or its form was altered; `message` says why, for the person who confirmed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ImportPreviewStorage(BaseStorage):
    """Where django-import-export keeps an uploaded file from its preview to the confirm step
    (settings.IMPORT_EXPORT_TMP_STORAGE_CLASS).

    The confirm form posts the file's name back, so the name is the client's to change. The
    library's TempFolderStorage opens whatever name it is given in the system's temp folder, then
    deletes it: anyone who may import could have any file there read and removed. It also keeps
    the upload of every preview never confirmed. Here each preview is a file of its own in a
    private folder (MEDIA_ROOT/import-previews, never served) named by 32 random hex digits; a
    name of any other form is refused before a file is touched. Writing a preview deletes the
    previews older than MAX_AGE, and so does the daily purge (remove_stale), for a site where
    nobody previews again.

    A preview is confirmed once: the confirm step claims its file by renaming it (atomic, so of
    two confirms sent together, by a double click, only one gets it) and removes it once
    imported. Confirming again, or after MAX_AGE, raises ImportPreviewUnavailable.
    """

    MAX_AGE = 24 * 3600  # seconds
    NAME = re.compile(r"[0-9a-f]{32}")
    _written = False  # this instance saved the file: the preview step, which reads it back
    _claimed: Path | None = None

    @staticmethod
    def folder() -> Path:
        return media_root() / "import-previews"

    def save(self, data: bytes | str) -> None:
        folder = self.folder()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.remove_stale()
        if isinstance(data, str):
            data = data.encode(self.encoding or "utf-8")
        self.name = secrets.token_hex(16)
        # O_EXCL: a new file, never one that was there (nor a link planted under the name).
        handle = os.open(folder / self.name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with open(handle, "wb") as file:
            file.write(data)
        self._written = True

    def read(self) -> bytes | str:
        path = self._path() if self._written else self._claim()
        if "b" in self.read_mode:
            return path.read_bytes()
        with open(path, self.read_mode, encoding=self.encoding) as file:
            return file.read()

    def remove(self) -> None:
        (self._claimed or self._path()).unlink(missing_ok=True)

    def _claim(self) -> Path:
        path = self._path()
        claimed = path.with_name(f"{path.name}.confirming")
        try:
            os.rename(path, claimed)
        except FileNotFoundError:  # confirmed already (or being confirmed), or removed as stale
            raise self._gone() from None
        try:
            fresh = claimed.stat().st_mtime >= time.time() - self.MAX_AGE
        except FileNotFoundError:  # stale: another preview's clean-up came first
            fresh = False
        if not fresh:
            claimed.unlink(missing_ok=True)
            raise self._gone()
        self._claimed = claimed
        return claimed

    @staticmethod
    def _gone() -> ImportPreviewUnavailable:
        return ImportPreviewUnavailable(
            gettext(
                "This import has already been confirmed, or its preview has expired (a preview "
                "is kept for a day): nothing more was imported. To import the file again, "
                "upload it again."
            )
        )

    def _path(self) -> Path:
        if not isinstance(self.name, str) or not self.NAME.fullmatch(self.name):
            raise ImportPreviewUnavailable(
                gettext(
                    "This import cannot be confirmed: it names no file this site stored. "
                    "Upload the file again."
                )
            )
        return self.folder() / self.name

    @classmethod
    def remove_stale(cls) -> int:
        """Delete the previews older than MAX_AGE, confirmed or not; how many were deleted."""
        folder = cls.folder()
        if not folder.is_dir():
            return 0
        cutoff = time.time() - cls.MAX_AGE
        removed = 0
        for path in folder.iterdir():
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:  # removed meanwhile by another request's clean-up
                continue
        return removed
