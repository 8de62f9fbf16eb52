"""Records' names in the reader's language.

Abilities, positions, courses, competency areas and tracks carry an optional Chinese name beside
their own (`name_zh`, `title_zh`, `text_zh`). The English (source) text stays the record's name:
exports, imports, CASE and the history keep it. Pages and the API show the Chinese one while the
active language is Chinese (the language menu, or the API's Accept-Language header), and the
record's own where none is given.
"""

from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

CHINESE_NAME_HELP = _("Shown when the interface is in Chinese; blank: the name above.")


def chinese_active() -> bool:
    """Whether the language of this request (or of the active translation) is Chinese."""
    return (get_language() or "").lower().startswith("zh")


def localized(own: str, chinese: str) -> str:
    """`chinese` while the interface is Chinese and it is set, otherwise `own`."""
    return chinese if chinese and chinese_active() else own


class LocalizedNameMixin:
    """`display_name` for a model with `name` and `name_zh`."""

    @property
    def display_name(self) -> str:
        return localized(self.name, self.name_zh)


def language_name(code: str) -> str:
    """A language code as records carry it ('en', 'zh', 'fr-CA', 'zh_Hans') named in the
    interface's language; the code itself when Django does not know it, blank for blank."""
    code = (code or "").strip()
    normal = code.lower().replace("_", "-")
    for candidate in (normal, normal.split("-")[0]):
        if candidate == "zh":
            # Django names only its variants (zh-hans, zh-hant), not the language.
            return str(_("Chinese"))
        try:
            return str(get_language_info(candidate)["name_translated"])
        except KeyError:
            continue
    return code
