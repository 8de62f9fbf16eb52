"""Records' names in the reader's language.

Abilities, positions, courses, competency areas, tracks and their aliases carry an optional
Chinese name beside their own (`name_zh`, `title_zh`, `text_zh`); certifications and programmes a
Chinese description (`description_zh`), course-ability links a Chinese note (`note_zh`). The
English (source) text stays the record's own: exports, imports, CASE and the history keep it.
Pages and the API show the Chinese one while the active language is Chinese (the language menu,
or the API's Accept-Language header), and the record's own where none is given.
"""

import re
import unicodedata

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, get_language_info, pgettext
from django.utils.translation import gettext_lazy as _

CHINESE_NAME_HELP = _("Shown when the interface is in Chinese; blank: the name above.")
CHINESE_DESCRIPTION_HELP = _(
    "Shown when the interface is in Chinese; blank: the description above."
)
CHINESE_NOTE_HELP = _("Shown when the interface is in Chinese; blank: the note above.")


def chinese_active() -> bool:
    """Whether the language of this request (or of the active translation) is Chinese."""
    return (get_language() or "").lower().startswith("zh")


def localized(own: str, chinese: str) -> str:
    """`chinese` while the interface is Chinese and it is set, otherwise `own`; `chinese` also
    where there is no own text (a position described by a Chinese job advert alone): shown in
    Chinese rather than not at all."""
    return chinese if chinese and (chinese_active() or not own) else own


def record_name(obj) -> str:
    """`obj` named as its `__str__` names it, in the reader's language where its model says how
    (a `display_str` property): what the admin shows of a record (inline rows, delete
    confirmations, autocomplete results, history pages, messages). `__str__` itself stays the
    English (source) text, which exports, imports, CASE and the history read."""
    label = getattr(obj, "display_str", None)
    return str(obj) if label is None else str(label)


class LocalizedNameMixin:
    """`display_name` for a model with `name` and `name_zh`; `display_str` (see record_name)
    for one whose `__str__` is its name."""

    @property
    def display_name(self) -> str:
        return localized(self.name, self.name_zh)

    @property
    def display_str(self) -> str:
        return self.display_name


class LocalizedDescriptionMixin:
    """`display_description` for a model with `description` and `description_zh`."""

    @property
    def display_description(self) -> str:
        return localized(self.description, self.description_zh)


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


def join_list(items) -> str:
    """`items` (strings) written as a list in the current language: the catalogue's separator
    between them (", " in English, 、 in Chinese). Templates write the same message:
    `{% translate ", " context "list separator" %}`."""
    return pgettext("list separator", ", ").join(str(item) for item in items)


def join_long_items(items) -> str:
    """`items` (strings longer than a word or two: phrases, names with what is said of them, or
    short lists themselves) written as a list in the current language: the catalogue's "; "
    between them (a full-width semicolon in Chinese). Templates write the same message:
    `{% translate "; " context "list separator" %}`."""
    # Translators: joins the items of a list whose items are phrases or lists themselves.
    return pgettext("list separator", "; ").join(str(item) for item in items)


def bracketed(name: str, said: str) -> str:
    """`name (said)` as the current language writes it: the catalogue's brackets (full-width in
    Chinese, with no space before them)."""
    pattern = pgettext("a name, then what is said of it in brackets", "%(name)s (%(said)s)")
    return pattern % {"name": name, "said": said}


def join_sentences(sentences) -> str:
    """`sentences` (strings, each ending with its own full stop) one after another in the
    current language: the catalogue's "%(sentence)s %(next)s" between them (a space in English,
    none after Chinese 。). Templates write `{% sentences %}…{% sentence %}…{% endsentences %}`."""
    pattern = pgettext("two sentences, one after the other", "%(sentence)s %(next)s")
    sentences = iter(sentences)
    joined = next(sentences, "")
    for sentence in sentences:
        joined = pattern % {"sentence": joined, "next": sentence}
    return joined


def display_width(text: str) -> int:
    """How wide `text` is set, in Latin letters: an East Asian wide or full-width character
    (a Chinese character, a full-width letter) takes two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def cut_to_width(text: str, width: int) -> str:
    """`text` cut to `width` (display_width) with an ellipsis, which the width includes, as
    the `truncatechars` filter cuts characters: a Chinese name cut to 34 characters is as wide
    as 68 Latin letters."""
    if display_width(text) <= width:
        return text
    kept, used = [], 1  # the ellipsis
    for char in text:
        used += display_width(char)
        if used > width:
            break
        kept.append(char)
    return "".join(kept) + "…"


_HAN_RE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_LANGUAGE_TAG_RE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$")


# A record in Chinese says which script by its language tag: Traditional by its script
# subtag, or by the regions that write it (Taiwan, Hong Kong, Macao); Simplified otherwise.
_TRADITIONAL_SUBTAGS = frozenset({"hant", "tw", "hk", "mo"})


def text_language(text: str, language: str = "") -> str:
    """The BCP 47 tag of a record's `text` as a page shows it ('zh-Hans', 'en', 'fr-CA'), or ''
    where it is not known: a text with Han characters is Chinese (a record's Chinese name, or
    its own text in Chinese), whatever its record's `language` says, Traditional ('zh-Hant')
    where the record says it is written so and Simplified (the site's) otherwise; any other
    text is in its record's `language` when that is set and is not Chinese (a Chinese course's
    title written in Latin letters alone is a code or an English name, not Chinese)."""
    code = (language or "").strip().lower().replace("_", "-")
    if _HAN_RE.search(text or ""):
        primary, *rest = code.split("-")
        if primary == "zh" and _TRADITIONAL_SUBTAGS.intersection(rest):
            return "zh-Hant"
        return "zh-Hans"
    if not code or not _LANGUAGE_TAG_RE.match(code) or code.split("-")[0] == "zh":
        return ""
    primary, *rest = code.split("-")
    # BCP 47's conventional case: language lower, script title, region upper (en-US, sr-Latn).
    subtags = [s.title() if len(s) == 4 else s.upper() if len(s) == 2 else s for s in rest]
    return "-".join([primary, *subtags])


def in_language(text: str, language: str = "") -> SafeString:
    """`text` escaped, in a `<span lang="…">` where its language (text_language, given its
    record's `language`) is known and is not the page's, as it is otherwise (WCAG 3.1.2
    Language of Parts: a course's English title on a Chinese page, shown for want of a Chinese
    one, is read with an English voice). For element content, not attributes. Templates:
    `{{ course.display_title|in_lang:course.language }}` (core.templatetags.records)."""
    text = "" if text is None else text
    tag = text_language(str(text), language or "")
    if not differs_from_page(tag):
        return conditional_escape(text)
    return format_html('<span lang="{}">{}</span>', tag, text)


def differs_from_page(tag: str) -> bool:
    """Whether a text tagged `tag` (text_language) is in a language other than the page's (the
    active language's): only then does it need a `lang` of its own. Chinese in the other
    script (Traditional on the site's Simplified pages) counts as another: it is read and
    voiced apart."""
    if not tag:
        return False
    page = (get_language() or "").lower().split("-")
    text = tag.lower().split("-")
    if text[0] != page[0]:
        return True
    return text[0] == "zh" and ("hant" in text) != ("hant" in page)


# A language named rather than tagged, as catalogues write a course's teaching language: its
# BCP 47 tag. Names are compared case-folded, NFKC (full-width letters), without spaces.
_LANGUAGE_NAMES = {
    "en": ("english", "英文", "英语", "英語"),
    "zh": ("chinese", "mandarin", "中文", "汉语", "漢語", "华语", "華語", "普通话", "國語"),
    "ja": ("japanese", "日语", "日文", "日語"),
    "ko": ("korean", "韩语", "韩文", "韓語", "朝鲜语"),
    "fr": ("french", "法语", "法文", "法語"),
    "de": ("german", "德语", "德文", "德語"),
    "es": ("spanish", "西班牙语", "西班牙文", "西班牙語"),
    "ru": ("russian", "俄语", "俄文", "俄語"),
}
_TAG_OF_NAME = {name: tag for tag, names in _LANGUAGE_NAMES.items() for name in names}
# A BCP 47 tag's shape: a primary language subtag of 2 or 3 letters, then subtags of 1 to 8
# letters or digits (zh-Hans, en-GB, es-419).
_TAG_SHAPE_RE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
# Two languages in one value: "双语", "bilingual", "中英", "zh, en", "English/Chinese" (read
# NFKC, case-folded, without spaces: a full-width comma is a comma). It only chooses the message.
_TWO_LANGUAGES_RE = re.compile(r"双语|雙語|bilingual|中英|英中|[,、/;&+]|and|和")


# Said of two languages in a framework's or an ability's language (language_tag).
TEXT_TWO_LANGUAGES = _(
    "“%(value)s” names two languages, and a text is written in one: give the language it is "
    "mainly written in, as a tag such as en or zh (or a name: English, Chinese, 英文, 中文)."
)


def language_tag(value: str, *, two_languages: str | None = None) -> str:
    """A course's teaching language (or a framework's or an ability's, in CASE's `language`) as
    its BCP 47 tag: a well-known name (English, 英文 → en; Chinese, 中文, 汉语 → zh; in any case)
    as its tag, a value shaped as a tag as given, blank as blank. ValidationError, saying what is
    taken, for anything else; for two languages (双语, "zh, en"), asking for the main one (a
    course's, or `two_languages` for another record's): one value names one language."""
    from django.core.exceptions import ValidationError

    given = (value or "").strip()
    if not given:
        return ""
    key = "".join(unicodedata.normalize("NFKC", given).casefold().split())
    if key in _TAG_OF_NAME:
        return _TAG_OF_NAME[key]
    if _TAG_SHAPE_RE.match(given):
        return given
    if _TWO_LANGUAGES_RE.search(key):
        raise ValidationError(
            two_languages
            or _(
                "“%(value)s” names two languages, and a course has one: give the language it is "
                "mainly taught in, as a tag such as en or zh (or a name: English, Chinese, 英文, "
                "中文)."
            ),
            code="two_languages",
            params={"value": given},
        )
    raise ValidationError(
        _(
            "“%(value)s” is not a language this field takes: give a language tag such as en, zh "
            "or zh-Hans, or a language's name (English, Chinese, 英文, 中文)."
        ),
        code="language",
        params={"value": given},
    )
