"""Course-ability links and the course catalogue as spreadsheets (CSV, XLSX), for import and
export: course-ability links from the admin and the API; courses from the admin, the API and
`manage.py import_courses` (all three through curricula.services.course_catalogue_import but the
admin's own preview-and-confirm flow, which runs the same resource on a file read the same way,
core.spreadsheets, within the same bounds).

One row is one link, keyed by what people read rather than database ids:

    course     the course code, e.g. "C0001"
    framework  the framework's identifier (UUID) or its name, when that name is unique
    ability    the ability's code, external identifier or URI (an ESCO skill's) within that
               framework, or the ability's identifier (UUID); the column may be left out
               where ability_uri or ability_external_id (the export's last columns) names it
    level      the level code: I, R or M
    note       free text, may be empty
    note_zh    the note in Chinese (shown on Chinese pages), may be empty; a file without the
               column leaves the links' Chinese notes as they are

Export writes the same columns (the framework as its identifier, the ability as its code, or its
identifier when it has none), so an exported file imports back unchanged.

Both imports also read a column headed by one of its Chinese names, as a Chinese curriculum
designer heads a catalogue: one table, CHINESE_HEADERS, gives them for every column (课程代码,
课程编号 or 课程号 for a course's code; 课程, 课程代码, 能力, 能力代码, 等级, 框架 for a link).
A Chinese name is matched as an English one is (LineNumberedImport.require_columns: any case,
full or half width, spaces around it, ideographic ones included, or between its words); a file
naming one column twice, by its English and a Chinese name or by two Chinese ones, is refused
as any column named twice is; and a refusal for a missing column names, to a reader in Chinese,
the Chinese names that would do (column_label). A cell written in both languages, as many
Chinese catalogues head theirs ("课程名称 Course Title", "学分(Credits)", "课程代码/Course Code"),
names the column its parts name (bilingual_columns); one whose parts name two columns is
refused. A column may also be headed as English-speaking offices head it (ENGLISH_HEADERS:
"Course Code", "Course Title", "Learning Outcomes", "ECTS"), read the same way. Exports keep the
English names.
"""

import datetime
import difflib
import re
import unicodedata
import uuid
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from functools import cached_property
from html.parser import HTMLParser
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from import_export import fields, resources, widgets
from import_export.instance_loaders import ModelInstanceLoader
from import_export.results import Result, RowResult

from certifications.models import TrainingStage
from core.csv import HEADER_SEARCH_ROWS, blank, unnamed_column_message
from core.i18n import bracketed, chinese_active, join_list, join_long_items, join_sentences
from core.limits import at_line, line_said, row_and_line
from core.models import (
    Provenance,
    code_key,
    normalized_code,
    normalized_lines,
    strip_ordinary_whitespace,
)
from core.number_codes import NumberReadings, with_number_hint
from core.search import fold
from core.services import writers_one_at_a_time
from core.spreadsheets import WorkbookNote, shown, workbook_notes
from core.xlsx import UNCALCULATED
from curricula.credits import number_to_write
from curricula.models import (
    MAX_TERM,
    Course,
    CourseAbility,
    Module,
    Programme,
    ProgrammeCourse,
)
from curricula.selectors.catalogue import (
    COURSE_ABILITY_EXPORT_HEADER,
    PORTABLE_ABILITY_COLUMNS,
    REQUIREMENT_EXPORT_HEADER,
    course_code_readings,
)
from positions.importers.base import PROBLEM_LIST_LIMIT
from positions.models import Ability, Framework, Importance, Level, Position, Requirement
from positions.selectors import ability_code_readings, importance_named, levels_written

COLUMNS = tuple(COURSE_ABILITY_EXPORT_HEADER)


def _text(value: Any) -> str:
    # A sheet's number cells come as numbers (a whole one as an int: core.xlsx.xlsx_dataset).
    # Not str.strip(): a control character at an end (U+0085) is the cell's, for the field's
    # validator to refuse as it refuses one inside.
    return "" if value is None else strip_ordinary_whitespace(str(value))


def storable(text: str) -> bool:
    """Whether `text` can be a stored value, and so be looked up: PostgreSQL's text cannot hold
    a NUL (U+0000), and a query naming one fails as a whole (psycopg's ValueError), where the
    row holding it is what should be reported (LineNumberedImport.unreadable_cells)."""
    return "\x00" not in text


def nul_message() -> str:
    return gettext("This cell contains a NUL character (U+0000), which cannot be stored.")


def _as_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


class _CachedLookupWidget(widgets.ForeignKeyWidget):
    """Looks each distinct value up once per import and says clearly what it could not find.

    A resource instance (and so its widgets) serves one import, so the cache cannot go stale
    across imports.
    """

    def __init__(self, model, field, **kwargs):
        super().__init__(model, field, **kwargs)
        self._cache: dict[tuple, Any] = {}

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text and not self.named_elsewhere(row):
            raise ValueError(self.missing_message())
        key = self.cache_key(text, row)
        if key not in self._cache:
            try:
                self._cache[key] = self.find(text, row)
            except ValueError as error:
                self._cache[key] = error
        found = self._cache[key]
        if isinstance(found, ValueError):
            raise found
        return found

    def cache_key(self, text: str, row) -> tuple:
        return (text,)

    def named_elsewhere(self, row) -> bool:
        """Whether the row's other columns may name the record its blank cell does not."""
        return False

    def find(self, text: str, row) -> Any:
        raise NotImplementedError

    def missing_message(self) -> str:
        """What a blank cell is told: what to give, as the catalogue tells a blank code cell
        ("Give the course a code."), not that something is missing."""
        raise NotImplementedError


class CourseWidget(_CachedLookupWidget):
    def __init__(self, **kwargs):
        super().__init__(Course, "code", **kwargs)

    def find(self, text, row):
        course = Course.objects.filter(code=text).first()
        if course is None:
            message = gettext("Unknown course code “%(code)s”.") % {"code": shown(text)}
            raise ValueError(with_number_hint(message, self._readings.hint(text)))
        return course

    @cached_property
    def _readings(self) -> NumberReadings:
        # The catalogue's codes a number may have been (007 for 7), read once an unknown code
        # is a number: once per import, whatever its length.
        return course_code_readings()

    def missing_message(self):
        return gettext("Give the course (its code).")


class LevelWidget(_CachedLookupWidget):
    def __init__(self, **kwargs):
        super().__init__(Level, "code", **kwargs)

    def find(self, text, row):
        # In full width too (as a Chinese input method types it), as course codes are read;
        # its code in any case, or its name in any of the site's languages (a bilingual office's
        # sheet is in either): the levels are few, and compared in Python (a cell of any length).
        levels = list(Level.objects.all())
        named = levels_written(text, levels)
        known = join_list(level.code for level in levels)
        if len(named) > 1:
            # Never a guess between them: the levels it could be, by code and name.
            raise ValueError(
                gettext("“%(name)s” could be more than one level (%(levels)s): give its code.")
                % {
                    "name": shown(text),
                    "levels": join_list(f"{level.code} {level.display_name}" for level in named),
                }
            )
        if not named:
            raise ValueError(
                gettext("Unknown level code “%(code)s” (known codes: %(known)s).")
                % {"code": shown(text), "known": known}
            )
        return named[0]

    def missing_message(self):
        return gettext("Give the level (its code or name).")


def find_framework(text: str) -> Framework:
    """The framework a cell names, by identifier or by (unique) name; ValueError if none or many."""
    identifier = _as_uuid(text)
    if identifier is not None:
        framework = Framework.objects.filter(identifier=identifier).first()
        if framework is None:
            raise ValueError(gettext("No framework has the identifier %(id)s.") % {"id": text})
        return framework
    matches = list(Framework.objects.filter(name=text).order_by("pk")[:NAMED_FRAMEWORKS_SHOWN])
    if not matches:
        raise ValueError(gettext("Unknown framework “%(name)s”.") % {"name": shown(text)})
    if len(matches) > 1:
        # Which ones: the name alone says nothing a file could write instead.
        raise ValueError(
            gettext(
                "Several frameworks are named “%(name)s” (%(frameworks)s): give the identifier "
                "of the one meant instead."
            )
            % {
                "name": shown(text),
                "frameworks": join_long_items(_identified(f) for f in matches),
            }
        )
    return matches[0]


# How many frameworks of one name a refusal lists.
NAMED_FRAMEWORKS_SHOWN = 10


def _identified(framework: Framework) -> str:
    return gettext("%(framework)s, identifier %(identifier)s") % {
        "framework": framework,
        "identifier": framework.identifier,
    }


def framework_label(framework: Framework) -> str:
    """The framework as a message names it: its name and version, and its identifier too where
    another framework has the same name and version (two "ESCO 1.2" are told apart)."""
    shared = (
        Framework.objects.filter(name=framework.name, version=framework.version)
        .exclude(pk=framework.pk)
        .exists()
    )
    return _identified(framework) if shared else str(framework)


class AbilityWidget(_CachedLookupWidget):
    """An ability by its code, external identifier or URI within the row's framework (or the one
    framework holding it, where the row names none), or by its own identifier.

    A row may also give the ability's URI and external identifier in their own columns
    (PORTABLE_ABILITY_COLUMNS, which the exports write): the ability either names here is the
    row's, whatever its code (a file from another installation, where the framework's abilities
    have other codes), found in the row's framework, or in every framework where the row's is
    unknown here (another installation's identifier). Where neither names one, the ability
    column does, unless the ability it names has another URI or external identifier than the
    row gives (another installation's code naming another ability here)."""

    def __init__(self, **kwargs):
        super().__init__(Ability, "code", **kwargs)
        self._frameworks: dict[str, Framework | ValueError] = {}
        self._readings: dict[int | None, NumberReadings] = {}

    def cache_key(self, text, row):
        portable = tuple(_text(row.get(column)) for column in PORTABLE_ABILITY_COLUMNS)
        key = (_text(row.get("framework")), text)
        # Without them, the key the bulk import's preload fills (curricula.import_jobs).
        return (*key, *portable) if any(portable) else key

    def framework(self, row) -> Framework | None:
        text = _text(row.get("framework"))
        if not text:
            return None
        if text not in self._frameworks:
            try:
                self._frameworks[text] = find_framework(text)
            except ValueError as error:
                self._frameworks[text] = error
        found = self._frameworks[text]
        if isinstance(found, ValueError):
            raise found
        return found

    def named_elsewhere(self, row) -> bool:
        # A blank ability cell beside a URI or an external identifier: those name the ability
        # (an export's last columns, or a file of another system's abilities by their URI).
        return row is not None and any(
            _text(row.get(column)) for column in PORTABLE_ABILITY_COLUMNS
        )

    def find(self, text, row):
        portable = self._portable(row)
        if portable is not None:
            return portable
        if not text:
            raise ValueError(self._portable_unknown_message(row))
        ability = self._named(text, row)
        for column, field, label in self._portable_fields():
            given, own = _text(row.get(column)), getattr(ability, field)
            if given and own and given != own:
                raise ValueError(
                    gettext(
                        "“%(code)s” is ability %(ability)s, whose %(what)s is “%(own)s”, but "
                        "the %(column)s column gives “%(given)s”, which names no single ability "
                        "here."
                    )
                    % {
                        "code": shown(text),
                        "ability": ability.code or ability.identifier,
                        "what": label,
                        "own": shown(own),
                        "column": column,
                        "given": shown(given),
                    }
                )
        return ability

    @staticmethod
    def _portable_fields() -> tuple[tuple[str, str, str], ...]:
        """Each portable column, the ability's field it gives, and the field's name."""
        return (
            ("ability_uri", "uri", gettext("URI")),
            ("ability_external_id", "external_id", gettext("external identifier")),
        )

    def _portable(self, row) -> Ability | None:
        """The one ability the row's URI, else its external identifier, names here (see the
        class), or None."""
        given = [
            (column, field, _text(row.get(column))) for column, field, _ in self._portable_fields()
        ]
        if not any(value for _, _, value in given):
            return None
        try:
            framework = self.framework(row)
        except ValueError:
            framework = None  # another installation's identifier: the URI says which
        named: list[tuple[str, Ability]] = []
        for column, field, value in given:
            if not value or not storable(value):
                continue
            found = Ability.objects.select_related("framework").filter(**{field: value})
            if framework is not None:
                found = found.filter(framework=framework)
            found = list(found.order_by("pk")[:2])
            if len(found) == 1:
                named.append((column, found[0]))
        if len({ability.pk for _, ability in named}) > 1:
            # Never a guess between them: which one the row means is not for the import to say.
            (column, ability), (other_column, other) = named[:2]
            raise ValueError(
                gettext(
                    "The %(column)s column names ability %(ability)s and the %(other_column)s "
                    "column ability %(other)s: give the URI and external identifier of one "
                    "ability."
                )
                % {
                    "column": column,
                    "ability": ability.code or ability.identifier,
                    "other_column": other_column,
                    "other": other.code or other.identifier,
                }
            )
        return named[0][1] if named else None

    def _portable_unknown_message(self, row) -> str:
        """What a row whose ability cell is blank is told when its URI and external identifier
        name no single ability here."""
        column, given = next(
            (column, _text(row.get(column)))
            for column in PORTABLE_ABILITY_COLUMNS
            if _text(row.get(column))
        )
        external_id = _text(row.get("ability_external_id"))
        if not _text(row.get("framework")) and external_id and storable(external_id):
            # An external identifier is a framework's own: several may give it to theirs. The
            # framework says which, never a guess between them (a URI is one ability's alone).
            frameworks = list(
                Framework.objects.filter(abilities__external_id=external_id)
                .order_by("name")
                .values_list("name", flat=True)
                .distinct()[:PROBLEM_LIST_LIMIT]
            )
            if len(frameworks) > 1:
                return gettext(
                    "The ability_external_id column gives “%(given)s”, an external identifier "
                    "abilities of several frameworks have (%(frameworks)s): give the row's "
                    "framework in the framework column, or the ability's URI."
                ) % {
                    "given": shown(external_id),
                    "frameworks": join_list(f"“{shown(name)}”" for name in frameworks),
                }
        return gettext(
            "The %(column)s column gives “%(given)s”, which names no single ability here: give "
            "the ability (its code, external identifier, URI or identifier)."
        ) % {"column": column, "given": shown(given)}

    def _named(self, text, row):
        """The ability the ability column names (see the class)."""
        framework = self.framework(row)
        identifier = _as_uuid(text)
        if identifier is not None:
            ability = (
                Ability.objects.select_related("framework").filter(identifier=identifier).first()
            )
            if ability is None:
                raise ValueError(gettext("No ability has the identifier %(id)s.") % {"id": text})
            if framework is not None and ability.framework_id != framework.pk:
                raise ValueError(
                    gettext("Ability %(id)s does not belong to framework “%(framework)s”.")
                    % {"id": text, "framework": framework_label(framework)}
                )
            return ability
        # A code, else an external identifier, else a URI (ESCO's, a CASE item's): what a
        # person copying from ESCO or another system has, ranked as the crosswalk import ranks
        # them (positions.services._crosswalk_abilities), within a framework: a value that is
        # one framework's code and another's URI names several. The code is looked up first,
        # alone: the common case, on the code's index (a URI has none); in the framework given,
        # a code found settles it, else the other frameworks are asked for the others.
        best: dict[int, tuple[int, list[Ability]]] = {}
        for lookup in (Q(code=text), Q(external_id=text) | Q(uri=text)):
            found = Ability.objects.select_related("framework").filter(lookup)
            if framework is not None:
                found = found.filter(framework=framework)
            elif best:
                found = found.exclude(framework__in=best)
            for ability in found.order_by("pk"):
                rank = next(
                    i
                    for i, v in enumerate((ability.code, ability.external_id, ability.uri))
                    if v == text
                )
                held = best.get(ability.framework_id)
                if held is None or rank < held[0]:
                    best[ability.framework_id] = (rank, [ability])
                elif rank == held[0]:
                    held[1].append(ability)
            if best and framework is not None:
                break
        if not best:
            raise ValueError(self._unknown_message(text, framework))
        if len(best) > 1:
            frameworks = [held[1][0].framework for held in best.values()]
            raise ValueError(
                gettext(
                    "“%(code)s” names an ability of several frameworks (%(frameworks)s): give "
                    "its framework in the framework column."
                )
                % {
                    "code": shown(text),
                    "frameworks": join_long_items(framework_label(f) for f in frameworks),
                }
            )
        [(_, abilities)] = best.values()
        if len(abilities) > 1:
            # Only a URI can: a code and an external identifier are unique within a framework.
            raise ValueError(
                gettext(
                    "Several abilities of framework “%(framework)s” have the URI “%(uri)s” "
                    "(%(abilities)s): give the ability's code or identifier instead."
                )
                % {
                    "framework": framework_label(abilities[0].framework),
                    "uri": shown(text),
                    "abilities": join_long_items(a.code or str(a.identifier) for a in abilities),
                }
            )
        return abilities[0]

    def _unknown_message(self, text: str, framework: Framework | None) -> str:
        message = self._unknown_said(text, framework)
        key = framework.pk if framework is not None else None
        if key not in self._readings:
            # The abilities' codes a number may have been (1.10 for 1.1), in the row's framework
            # or in all: read once a framework, once an unknown code is a number.
            self._readings[key] = ability_code_readings(framework_id=key)
        return with_number_hint(message, self._readings[key].hint(text))

    @staticmethod
    def _unknown_said(text: str, framework: Framework | None) -> str:
        accepts = gettext(
            "the ability column takes an ability's code, external identifier or URI, or its "
            "identifier (UUID)"
        )
        if framework is None:
            return gettext(
                "No framework has an ability whose code, external identifier or URI is "
                "“%(code)s”: %(accepts)s."
            ) % {"code": shown(text), "accepts": accepts}
        return gettext(
            "Framework “%(framework)s” has no ability whose code, external identifier or URI is "
            "“%(code)s”: %(accepts)s."
        ) % {"framework": framework_label(framework), "code": shown(text), "accepts": accepts}

    def missing_message(self):
        return gettext("Give the ability (its code, external identifier, URI or identifier).")

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value.code or str(value.identifier)


def preload_abilities(ability_widget: AbilityWidget, dataset) -> set[int]:
    """Fill the ability widget's cache with the abilities a file names, in a query or two a
    framework rather than one or more a row, as the widget would find them: by code in the
    row's framework, and for rows giving an ability's URI (an export's `ability_uri` column,
    which names the ability whatever its code) by that URI alone. What is not found here (no
    framework column, an identifier, an external identifier, a URI naming none or two, a URI
    beside an external identifier) is left
    to the widget, which looks it up and words the error. Returns the ids of the abilities
    found."""
    found: set[int] = set()
    wanted: dict[str, set[str]] = {}
    by_uri_rows: dict[str, list] = {}
    for row in dataset.dict:
        ability, uri = _text(row.get("ability")), _text(row.get("ability_uri"))
        framework_text = _text(row.get("framework"))
        # A value holding a NUL names nothing stored, and PostgreSQL would refuse the whole
        # query: left out here, its row reports it (LineNumberedImport.unreadable_cells).
        if ability and storable(ability) and _as_uuid(ability) is None:
            wanted.setdefault(framework_text, set()).add(ability)
        # A row giving an external identifier too is left to the widget, which checks that
        # both name one ability.
        external_id = _text(row.get("ability_external_id"))
        if uri and ability and not external_id and storable(uri) and storable(ability):
            by_uri_rows.setdefault(framework_text, []).append(row)
    for framework_text in {*wanted, *by_uri_rows}:
        try:
            framework = ability_widget.framework({"framework": framework_text})
        except ValueError:
            continue  # the rows naming it report it
        if framework is None:
            continue
        codes = sorted(wanted.get(framework_text, ()))
        for start in range(0, len(codes), PRELOAD_CHUNK):
            chunk = codes[start : start + PRELOAD_CHUNK]
            for ability in Ability.objects.filter(framework=framework, code__in=chunk):
                ability.framework = framework  # the row's framework column reads it
                ability_widget._cache[(framework_text, ability.code)] = ability
                found.add(ability.pk)
        rows = by_uri_rows.get(framework_text, [])
        uris = sorted({_text(row.get("ability_uri")) for row in rows})
        by_uri: dict[str, list[Ability]] = {}
        for start in range(0, len(uris), PRELOAD_CHUNK):
            chunk = uris[start : start + PRELOAD_CHUNK]
            for ability in Ability.objects.filter(framework=framework, uri__in=chunk):
                ability.framework = framework
                by_uri.setdefault(ability.uri, []).append(ability)
        for row in rows:
            abilities = by_uri.get(_text(row.get("ability_uri")), [])
            if len(abilities) == 1:
                key = ability_widget.cache_key(_text(row.get("ability")), row)
                ability_widget._cache[key] = abilities[0]
                found.add(abilities[0].pk)
    return found


# Values a bulk lookup's query names at most (SQLite refuses more than 32,766 parameters).
PRELOAD_CHUNK = 2000


# The Chinese names a file may give a column instead of its English one, as a Chinese
# curriculum designer's catalogue heads them, for the course catalogue (CourseResource: code to
# language) and for course-ability links (CourseAbilityResource: course to note). A resource
# reads the names of its own columns only, so 课程代码 is the catalogue's code and a link's
# course. A name is matched as an English one is (column_name: any case, full or half width,
# spaces around it or between its words), so a file naming one column twice, in English and in
# Chinese or by two of its Chinese names, is refused as a column named twice.
#
# 课程名称 is a course's Chinese title (title_zh), as the programme workbook and the map CSV
# write it in Chinese (the title a Chinese reader sees), and 英文名称 its title: a catalogue
# giving both keeps both; one with 课程名称 alone gives it to new courses as their title too
# (CourseResource.import_instance). 学期 (semester) is no alias of the training stage: a
# semester's number is no stage's place in the order, and would be read as one. Nor are
# 课程类别, 课程性质 or 课程平台 (a 培养方案's course category, nature, platform) names of the
# module: their values (通识教育课, 专业核心课; 必修, 选修) are a course's kind, which names no
# module and would refuse every row of a site that has none of those names, and many tables
# have two of them side by side, which would name the module twice. They are named as not read.
CHINESE_HEADERS: dict[str, tuple[str, ...]] = {
    "code": ("课程代码", "课程编号", "课程号"),
    "title": ("英文名称", "英文课程名称", "课程英文名称", "英文名"),
    "title_zh": ("课程名称", "课程名", "中文名称", "中文标题", "课程中文名称"),
    "description": ("课程描述", "课程简介", "课程说明", "说明", "描述", "简介"),
    "outcomes": ("学习成果", "课程目标", "教学目标", "学习目标"),
    "credits": ("学分",),
    "module": ("模块", "课程模块"),
    "stage": ("培养阶段", "阶段", "训练阶段"),
    "language": ("语言", "授课语言"),
    # Read only by an import into a programme (CourseResource with a programme): a catalogue
    # import without one names the column as left out, as it did before.
    "term": ("开课学期", "建议修读学期", "修读学期", "学期"),
    "course": ("课程", "课程代码", "课程编号", "课程号"),
    "framework": ("框架", "能力框架"),
    "ability": ("能力", "能力代码", "能力编号"),
    "level": ("等级", "程度", "层次"),
    "note": ("备注",),
    "note_zh": ("备注（中文）", "中文备注"),  # noqa: RUF001 (as a Chinese header writes them)
    # An ability's URI and external identifier, the last columns of the link and requirement
    # exports: what names the ability where its code is another (AbilityWidget._portable).
    # 能力URI is one name, not 能力 (ability) beside an English URI (column_name reads a whole
    # name before its parts).
    "ability_uri": ("能力URI", "能力网址", "能力统一资源标识符"),
    "ability_external_id": ("能力外部标识符", "能力外部编号", "能力外部代码"),
    # A position's requirements (RequirementResource); 等级 is the minimum level there, as
    # a link's level is in a link file (a resource reads only its own columns' names).
    "position": ("职位", "岗位", "职位代码", "岗位代码", "职位编号", "岗位编号"),
    "position_name": ("职位名称", "岗位名称", "职位英文名称"),
    "position_name_zh": ("职位中文名称", "岗位中文名称", "中文职位名称"),
    "importance": ("重要性", "重要程度"),
    "min_level": ("最低等级", "最低要求等级", "等级要求", "要求等级", "等级"),
}


def column_name(written: str, aliases: dict[str, str] | None = None) -> str:
    """A header cell as the column it names: any case, full-width letters as ASCII ones (NFKC),
    and the words of a name joined by spaces or hyphens as by its underscore ("Title ZH",
    "title-zh": title_zh); with `aliases` (header_aliases), a Chinese name as its column
    ("课程 代码": code), and a cell written in both languages as the one column its parts
    name (bilingual_columns: "学分 Credits", "课程名称 Course Title")."""
    name = _plain_name(written)
    if aliases:
        whole = aliases.get(name.replace("_", ""))
        if whole is not None:
            return whole
        named = bilingual_columns(written, aliases)
        if named is not None and len(named) == 1:
            return named[0]
        return aliases.get(name.replace("_", ""), name)
    return name


def _plain_name(written: str) -> str:
    return re.sub(r"[\s-]+", "_", unicodedata.normalize("NFKC", written).strip()).lower()


# The English names an office's export heads a column by, beside the column's own name: a
# registry's "Course Code" and "Course Title", a syllabus's "Learning Outcomes", Europe's "ECTS".
# Read as the Chinese names are (header_aliases), and only for a resource's own columns, so
# "Course Code" is the catalogue's code and a link's course. Not "Credit" (a misspelt column
# is named as ignored, not read) nor "Name" (which name is not for the import to guess).
ENGLISH_HEADERS: dict[str, tuple[str, ...]] = {
    "code": ("course code", "course id", "course number"),
    "title": ("course title", "course name"),
    "description": ("course description",),
    "outcomes": ("learning outcomes", "intended learning outcomes", "course outcomes"),
    "credits": (
        "ects",
        "ects credits",
        "credits (ects)",
        "credit points",
        "credit hours",
        "course credits",
    ),
    "module": ("course module",),
    "stage": ("training stage",),
    "language": ("language of instruction", "teaching language", "course language"),
    "term": ("semester",),
    "course": ("course code",),
    "ability": ("ability code",),
    "position": ("position code", "job code"),
    "position_name": ("position title", "job title", "position name"),
    "position_name_zh": ("position title zh", "chinese position title"),
    "min_level": ("minimum level", "min. level", "required level", "level"),
}


def header_aliases(columns: Sequence[str]) -> dict[str, str]:
    """The other names of `columns` (CHINESE_HEADERS, ENGLISH_HEADERS), as column_name reads
    them, each with the column it names."""
    return {
        column_name(alias).replace("_", ""): column
        for column in columns
        for alias in (*CHINESE_HEADERS.get(column, ()), *ENGLISH_HEADERS.get(column, ()))
    }


# A header cell in both languages: its Chinese part and its English part, in either order,
# apart or set off by spaces, a line break, a slash, a bar, a colon or brackets (read after
# NFKC, which makes full-width ones ASCII): "课程名称 Course Title", "学分(Credits)",
# "课程代码/Course Code", "Title|英文名称".
_APART = " \t\r\n/|()[]:"
_ENGLISH_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_\s-]*")


def _bilingual_parts(written: str) -> tuple[str, str] | None:
    """The Chinese part and the English part of a header cell written in both, or None. Read
    in one pass (a header cell may be long: no pattern that backtracks)."""
    text = unicodedata.normalize("NFKC", written).strip(_APART)
    chinese = [index for index, char in enumerate(text) if ord(char) > 0x7F]
    english = [index for index, char in enumerate(text) if char.isascii() and char.isalnum()]
    if not chinese or not english:
        return None
    if chinese[-1] < english[0]:
        chinese_part, english_part = text[: chinese[-1] + 1], text[chinese[-1] + 1 :]
    elif english[-1] < chinese[0]:
        english_part, chinese_part = text[: chinese[0]], text[chinese[0] :]
    else:
        return None  # the two interleave: no cell of two names
    english_part = english_part.strip(_APART)
    if not _ENGLISH_NAME.fullmatch(english_part):
        return None
    if any(char.isascii() and not char.isspace() for char in chinese_part.strip(_APART)):
        return None
    return chinese_part.strip(_APART), english_part


def bilingual_columns(written: str, aliases: dict[str, str]) -> list[str] | None:
    """The columns the parts of a header cell written in Chinese and in English name, each
    part by a name of its own language: the English one by its column's name, the Chinese one
    by `aliases` (header_aliases); none, one (both parts name it, or one part names it and the
    other names no column) or two (each part another column: which the file means is not
    for the import to guess). None for a cell not in both languages."""
    parts = _bilingual_parts(written)
    if parts is None:
        return None
    chinese, english = parts[0], _plain_name(parts[1])
    columns = set(aliases.values())
    named = [
        aliases.get(_plain_name(chinese).replace("_", "")),
        english if english in columns else None,
    ]
    return list(dict.fromkeys(column for column in named if column))


def column_label(names: Sequence[str], *, every_alias: bool = True) -> str:
    """A column as a refusal names it: `names` holds the column and the columns that would do
    instead (a catalogue's title_zh for its title). For a Chinese reader, their Chinese names
    follow (only the first of each, unless `every_alias`), so that a file written in Chinese
    knows what to call it: "code (or 课程代码 / 课程编号 / 课程号)"."""
    column = names[0]
    if not chinese_active():
        return column
    alternatives = []
    for index, name in enumerate(names):
        aliases = CHINESE_HEADERS.get(name, ())
        alternatives += ([name] if index else []) + list(aliases if every_alias else aliases[:1])
    if not alternatives:
        return column
    return gettext("%(column)s (or %(aliases)s)") % {
        "column": column,
        "aliases": " / ".join(alternatives),
    }


class ImportColumn(str):
    """A column an import reads, as its admin page lists it (the column's name): with
    `aliases`, the Chinese names a file may head it by, for a Chinese reader (none otherwise);
    with a `note`, when it is read (a catalogue's term: only into a programme)."""

    note = ""

    def __new__(cls, name: str, note: str = ""):
        column = super().__new__(cls, name)
        column.note = note
        return column

    @property
    def aliases(self) -> tuple[str, ...]:
        return CHINESE_HEADERS.get(str(self), ()) if chinese_active() else ()

    @property
    def code(self) -> str:
        """The name as the page writes it, in a <code> element."""
        return format_html("<code>{}</code>", str(self))

    @property
    def heading(self) -> str:
        """The column as the import's preview and problem tables head it: for a Chinese reader,
        its first Chinese name, the column's own after it in brackets (core.i18n.bracketed), as
        a Chinese catalogue heads it; otherwise the column's name, as a file heads it."""
        aliases = self.aliases
        return bracketed(aliases[0], str(self)) if aliases else str(self)


def _read_past_lines_above_header(dataset, aliases: dict[str, str], needed) -> None:
    """Where the first line of `dataset` lacks a column of `needed` (one of each tuple) and one
    of the lines just below it (HEADER_SEARCH_ROWS) names them all, as a table headed by a title
    has it (a 培养方案's, merged across above the header), make that line the header: the lines
    above it are taken out and named (`dataset.lines_above_header`, said by every door:
    core.spreadsheets.LinesAboveHeader). Where none does, the dataset is left as it is, and the
    missing columns refused (require_columns)."""

    def names_all(row) -> bool:
        named = {column_name(_text(cell), aliases) for cell in row}
        return all(set(names) & named for names in needed)

    if not dataset.headers or names_all(dataset.headers):
        return
    at = next(
        (index for index, row in enumerate(dataset[:HEADER_SEARCH_ROWS]) if names_all(row)), None
    )
    if at is None:
        return
    lines = getattr(dataset, "line_numbers", None)
    header = dataset[at]
    if lines:
        # A cell merged down from the header (or above it) over the rows below is a heading
        # spanning a two-row header, not a value of those rows (core.xlsx spread it, taking
        # the title for the header): given back its emptiness.
        for top, cells in getattr(dataset, "spread_down", {}).items():
            if top > lines[at]:
                continue
            for index, column in cells:
                row = list(dataset[index])
                row[column] = None
                dataset[index] = row
    # Lines as the file numbers them (rows_dataset keeps them: a CSV's and a workbook's).
    above = [getattr(dataset, "header_line", 1), *(lines[:at] if lines else range(2, at + 2))]
    dataset.lines_above_header = [int(line) for line in above]
    _not_hidden_read(dataset, set(dataset.lines_above_header))
    del dataset[: at + 1]
    dataset.headers = list(header)
    if lines:
        dataset.header_line = lines[at]
        # In place: the import's result reads these lists (LineNumberedImport.import_data).
        del lines[: at + 1]
    rows = getattr(dataset, "sheet_rows", None)
    if rows:
        dataset.header_row = rows[at]
        del rows[: at + 1]


class TwoRowHeading(str):
    """A column named by a two-row header, as reports name it: the heading spanning it above
    (学时分配, merged across) and its own label below (理论): "学时分配 理论". `term`, the term
    it names where the group's labels are terms (各学期周学时分配 above 1 … 8: term_of_header),
    else None."""

    term: int | None = None


# A heading spanning the terms' columns of a two-row header (各学期周学时分配, 周学时分配,
# 学期周学时, 各学期学时分配, Hours per week by semester, Term), read after NFKC: under it, a
# bare number (3) or numeral (三) names a term too; under any other, only a label naming one
# itself does (第3学期, Semester 3: term_of_header).
_TERM_GROUP = re.compile(r"学期|周学时|semester|\bterms?\b|\bsem\b", re.IGNORECASE)


def _names_terms(group: str) -> bool:
    """Whether a heading spanning several columns names the terms (各学期周学时分配)."""
    return bool(_TERM_GROUP.search(unicodedata.normalize("NFKC", group)))


# How long a label of a second header row may be (理论, 实践, 上机, Theory, Practice, 第12学期).
_LABEL_CHARS = 16


def _label(cell) -> str | int | None:
    """`cell` of a row just below the header as the label of a column under a spanning heading:
    a term's number (1 … MAX_TERM, as a number or as digits), or a short text with a letter of
    any script (理论, Theory, 三, 第1学期); None for any other value (hours, credits, a date, a
    long text), so that a data row is never read as labels."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, str) and (digits := unicodedata.normalize("NFKC", cell).strip()).isdigit():
        cell = int(digits) if digits.isascii() else None
    if isinstance(cell, int):
        return cell if 1 <= cell <= MAX_TERM else None
    if not isinstance(cell, str):
        return None
    text = strip_ordinary_whitespace(cell)
    if len(text) > _LABEL_CHARS or "\n" in text or not re.search(r"[^\W\d_]", text):
        return None
    return text


def _labels_read(group: str, labels: list[str | int]) -> bool:
    """Whether the labels under the spanning heading `group` are a second header row's: all
    given and distinct, and numbers only as a run of terms (1, 2, 3 …) under the terms' heading
    (_TERM_GROUP), never hours (40, 8; 2, 3 under 学时分配) or a mix."""
    numbers = [label for label in labels if isinstance(label, int)]
    if len(set(map(str, labels))) < len(labels):
        return False
    if not numbers:
        return True
    return (
        _names_terms(group)
        and len(numbers) == len(labels)
        and numbers == list(range(numbers[0], numbers[-1] + 1))
    )


def _label_term(group: str, label: str | int) -> int | None:
    """The term a label of a second header row names under the heading `group`, or None: as a
    header names one, or, under the terms' heading, as a number alone too (三, 3)."""
    if isinstance(label, int):
        return label  # a run of terms under the terms' heading (_labels_read, _label)
    return term_of_header(label, bare=_names_terms(group))


def _read_past_second_header_row(dataset, aliases: dict[str, str], needed) -> None:
    """Where the header row has headings spanning several columns (学时分配 over 理论 and 实践,
    各学期周学时分配 over 1 … 8: a heading followed by blank cells, or by its own text where a
    merged cell's value is written into each cell, up to the next heading) and the first line
    below it labels their columns, read that line with the header: each column under a
    spanning heading is named by both (TwoRowHeading: “学时分配 理论”; a group's labels naming
    terms give the per-term columns, term_of_header), the line is taken out, and said
    (`dataset.second_header_row`: require_columns warns of it at its line). Only a line of
    labels is: nothing in the columns a record needs (`needed`, one of each tuple) nor under a
    heading of one column but the heading's own text (merged down over both rows), every column
    of a labelled group labelled (_label, _labels_read). Any other line is left as a row."""
    headers = list(dataset.headers or [])
    if not headers or not len(dataset):
        return
    written = [_text(cell) for cell in headers]
    names = [column_name(text, aliases) for text in written]
    if not all(set(columns) & set(names) for columns in needed):
        return
    keys = {index for index, name in enumerate(names) if any(name in cols for cols in needed)}
    # Each column's spanning heading, by the place of its first column (None: under none).
    starts: list[int | None] = []
    start = None
    for index, text in enumerate(written):
        if text and (start is None or text != written[start]):
            start = index
        starts.append(start)
    widths = Counter(starts)
    spanning = {at for at, width in widths.items() if at is not None and width > 1}
    row = dataset[0]
    labels: dict[int, list[tuple[int, str | int]]] = {}
    for index, cell in enumerate(row):
        if blank(cell) or (written[index] and _text(cell) == written[index]):
            continue  # nothing, or a heading merged down over both rows, its text in each
        group = starts[index] if index < len(starts) else None
        label = _label(cell)
        if index in keys or group not in spanning or label is None:
            return
        labels.setdefault(group, []).append((index, label))
    if not labels:
        return
    headings: dict[int, TwoRowHeading] = {}
    for group, labelled in labels.items():
        columns = [index for index, at in enumerate(starts) if at == group]
        if [index for index, _label in labelled] != columns:
            return
        if not _labels_read(written[group], [label for _index, label in labelled]):
            return
        terms = {index: _label_term(written[group], label) for index, label in labelled}
        all_terms = len(set(terms.values()) - {None}) == len(terms)
        for index, label in labelled:
            heading = TwoRowHeading(f"{written[group]} {label}")
            heading.term = terms[index] if all_terms else None
            headings[index] = heading
    lines = getattr(dataset, "line_numbers", None)
    rows = getattr(dataset, "sheet_rows", None)
    line = lines.pop(0) if lines else getattr(dataset, "header_line", 1) + 1
    sheet_row = rows.pop(0) if rows else None
    del dataset[0]
    _not_hidden_read(dataset, {line})
    dataset.two_row_headings = headings
    dataset.second_header_row = {
        "line": line,
        **({"row": sheet_row} if sheet_row is not None and sheet_row != line else {}),
        "labels": [str(label) for labelled in labels.values() for _index, label in labelled],
        "heading": next(iter(headings.values())),
    }


def _not_hidden_read(dataset, lines: set[int]) -> None:
    """Leave `lines`, read past, out of the rows the workbook hides that the import is said to
    read like the others (core.spreadsheets.HiddenRows)."""
    hidden = getattr(dataset, "hidden_lines", None)
    if hidden and lines:
        dataset.hidden_lines = [line for line in hidden if line not in lines]


# What a total row's first text starts with (小计, 合计: subtotal, total; in any case, width or
# spacing, NFKC and casefold first), and what may follow it: nothing, a colon or a bracket
# ("小计 (专业核心课)"), a number or the unit it adds up ("Total credits", 总计学时), never another
# word ("Total Quality Management" is a course's title, its code left out: refused as such); and
# what a note row's one cell starts with (注, 注意, 说明, 备注, "Note:"), a word of its own: not
# 注册会计 (a module's name on a row of its own), "Notebook".
_TOTAL = re.compile(
    r"(?:小\s*计|合\s*计|总\s*计|共\s*计|(?:sub\s*)?totals?)"
    r"\s*(?:$|[:(\[【]|\d|(?:credits?|hours?)\b|学分|学时)"
)
_NOTE = re.compile(r"(?:注意?|说\s*明|备\s*注|notes?)(?![^\W\d])")


def _said(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


# A section heading of a published table (a 培养方案's 一、通识教育课程, (一)专业核心课程,
# 1. 学科基础课, A. General Education), read on its text after NFKC (full-width brackets and
# stops as ASCII ones): its enumerator, by kind (a heading of a kind seen before closes the
# sections opened since: CourseResource.section_heading), and the words a heading's text ends
# with when it has none (通识教育课程, 专业选修课, 创新创业模块, 专业教育平台, 实践教学环节,
# Business module, General education courses), a trailing bracket ("(40学分)") or colon aside.
# A number's own stop is no enumerator's ("1.1" is a code, not section 1 titled 1).
_CHINESE_NUMBER = "[一二三四五六七八九十百〇零两]+"
_ENUMERATORS = (
    ("chinese", rf"{_CHINESE_NUMBER}\s*[、.,]"),
    ("chinese_bracketed", rf"\(\s*{_CHINESE_NUMBER}\s*\)\s*[、.]?"),
    ("number_bracketed", r"\(\s*\d+\s*\)\s*[、.]?"),
    ("number", r"\d+\s*(?:[、)]|\.(?!\d))"),
    ("latin", r"(?:[a-z]|[ivx]+)\s*[、.)]"),
    ("part", rf"第\s*(?:{_CHINESE_NUMBER}|\d+)\s*(?:部分|类|篇|章|节)\s*[、:.]?"),
)
_ENUMERATOR = re.compile(
    "|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _ENUMERATORS), re.IGNORECASE
)
_HEADING_END = re.compile(
    r"(?:课程|课|模块|平台|环节|modules?|courses)\s*(?:\([^()]*\))?\s*:?\s*$", re.IGNORECASE
)
_TRAILING_BRACKET = re.compile(r"\s*\([^()]*\)\s*:?\s*$|\s*:\s*$")
# A code, not a heading: one word of ASCII letters, digits and a code's marks, with a digit.
_CODE_LIKE = re.compile(r"(?=[^\d]*\d)[a-z0-9._/\-]+", re.IGNORECASE)


# A section's total written on its heading row (学分 40, 学时 720): a number, or one with its
# unit after it ("40学分", "720 学时", "12 credits", "16周"), after NFKC.
_SECTION_TOTAL = re.compile(
    r"\d+(?:\.\d+)?\s*(?:学分|学时|课时|周|credits?|hours?|weeks?|h|%)?", re.IGNORECASE
)


def _total_number(cell) -> bool:
    if isinstance(cell, bool):
        return False
    if isinstance(cell, int | float | Decimal):
        return True
    return isinstance(cell, str) and bool(
        _SECTION_TOTAL.fullmatch(unicodedata.normalize("NFKC", cell).strip())
    )


def _section_heading(
    row, keys: Sequence[int], code_column: int | None, named: Sequence[int] | None = None
) -> tuple[str, str, str, list[int]] | None:
    """The kind of enumerator (or "" for none), the text without it (NFKC), the cell as
    written and the indexes of the section's totals beside it of `row` where it is a section
    heading of a published table, or None for any other row. A heading: one text, in the first
    column or the code's (`code_column`; `keys` are the columns a record needs), no code
    (_CODE_LIKE), its words after an enumerator (_ENUMERATOR) or ending as a heading does
    (_HEADING_END). The same text in cells side by side is one (a heading merged across the
    code and title columns, its text written into each cell: a sheet unmerged and filled, an
    export writing a merge's value into every cell). Beside it, only numbers, perhaps with
    their unit (_SECTION_TOTAL: the section's credits and hours, 一、通识教育课程 | | 40 | 720),
    each in a named column (`named`, all where None) a record does not need: a number in the
    code's column may be a code, one under no name is refused as such (require_columns). In a
    column a record needs other than the code's (a title first in the table, where a heading
    merged across lands) only an enumerated text is, and beside numbers only one whose words
    also end as a heading's do: a course's title ending in 课 with its code left out is
    refused as such, as are "1. Introduction to Programming | 3" and any text in the title's
    column elsewhere ("Total Quality Management")."""
    filled = [(index, cell) for index, cell in enumerate(row) if not blank(cell)]
    totals = [index for index, cell in filled if _total_number(cell)]
    texts = [(index, cell) for index, cell in filled if index not in totals]
    if not texts or any(not isinstance(cell, str) for _, cell in texts):
        return None
    index, cell = texts[0]
    written = strip_ordinary_whitespace(cell)
    if any(strip_ordinary_whitespace(other) != written for _, other in texts) or [
        at for at, _ in texts
    ] != list(range(index, index + len(texts))):
        return None
    if any(at in keys or (named is not None and at not in named) for at in totals):
        return None
    if index not in (0, code_column):
        return None
    text = unicodedata.normalize("NFKC", written).strip()
    if _CODE_LIKE.fullmatch(text):
        return None
    enumerated = _ENUMERATOR.match(text)
    rest = text[enumerated.end() :].strip() if enumerated else text
    if not re.search(r"[^\W\d_]", rest):
        return None
    # In a title's column, an enumerated text; beside totals, one ending as a heading, too.
    titled = index != code_column and index in keys
    if titled and not enumerated:
        return None
    if not _HEADING_END.search(rest) and (not enumerated or (titled and totals)):
        return None
    return (enumerated.lastgroup or "") if enumerated else "", rest, written, totals


def _totals_said(row, totals: Sequence[int], written: Sequence[str]) -> str:
    """What a warning says of the section's totals on its heading row (`totals`, the indexes of
    their cells: _section_heading), each after its column as the file heads it (`written`)."""
    numbers = [
        f"{written[index]} {strip_ordinary_whitespace(_text(row[index]))}".strip()
        for index in totals
    ]
    return ngettext(
        "The number on its row (%(numbers)s) is the section's total: not imported.",
        "The numbers on its row (%(numbers)s) are the section's totals: not imported.",
        len(numbers),
    ) % {"numbers": shown(join_list(numbers))}


def heading_names(text: str) -> list[str]:
    """What a section heading's text (without its enumerator) may name a module by: the text,
    then without a trailing bracket or colon ("通识教育课程 (40学分)", in either width)."""
    names = [text]
    if (bare := _TRAILING_BRACKET.sub("", text)) and bare != text:
        names.append(bare)
    return names


def _total_or_note(row, keys: Sequence[int]) -> str | None:
    """What a warning says of `row` where it is a total row or a note row of a published table,
    or None for any other row (a record, or one missing its key that is refused as such). A
    total row: the cells of the columns a record needs (`keys`) empty, but for one holding the
    total's own word (小计 in the code's column, the category merged down beside it), and its
    first text cell a total's (_TOTAL), or that word. A note row: one cell, a text starting as
    a note does (_NOTE)."""
    filled = [cell for cell in row if not blank(cell)]
    texts = [cell for cell in filled if isinstance(cell, str)]
    if not texts:
        return None
    if len(filled) == 1 and _NOTE.match(_said(texts[0])):
        return gettext("A note (“%(text)s”): read past, not imported.") % {
            "text": shown(strip_ordinary_whitespace(texts[0]))
        }
    key_cells = [row[index] for index in keys if not blank(row[index])]
    if any(not isinstance(cell, str) or not _TOTAL.match(_said(cell)) for cell in key_cells):
        return None
    total = key_cells[0] if key_cells else texts[0]
    if not _TOTAL.match(_said(total)):
        return None
    return gettext("A total row (“%(text)s”): read past, not imported.") % {
        "text": shown(strip_ordinary_whitespace(total))
    }


def _line_of(line_numbers: list[int] | None, number: int) -> int:
    """The file's line for django-import-export's data row `number` (counted from 1): from the
    CSV reader when it kept them (core.csv.csv_dataset: quoted line breaks and blank lines
    count), else the row after the header, as in a spreadsheet."""
    if line_numbers and 0 < number <= len(line_numbers):
        return line_numbers[number - 1]
    return number + 1


def _row_of(sheet_rows: list[int] | None, number: int) -> int | None:
    """The row a spreadsheet shows django-import-export's data row `number` on, where the
    reader kept them (core.csv.csv_dataset: a CSV's rows may differ from its lines); None
    where the line is the row (a workbook's)."""
    if sheet_rows and 0 < number <= len(sheet_rows):
        return sheet_rows[number - 1]
    return None


class LineNumberedResult(Result):
    """Numbers problem rows by their line in the file, header included: what a text editor or a
    spreadsheet shows. Keeps the problems of the first PROBLEM_LIST_LIMIT lines that have any
    and counts them all (`problem_rows`; `problem_messages`, each message), as the framework
    imports do (positions.importers.base.Problems): a wholly wrong file of 100,000 rows kept
    each row's values and the exception that said its problem, its traceback holding the row's
    frames (859 MB against 362 MB for a good file, BENCHMARKS.md)."""

    line_numbers: list[int] | None = None
    sheet_rows: list[int] | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.problem_rows = 0
        self.problem_messages = 0
        # Whether the last row with a problem was kept: append_row_result follows.
        self._kept = True

    @property
    def problems_left_out(self) -> int:
        """Lines with problems past the first PROBLEM_LIST_LIMIT, counted, not listed."""
        return max(self.problem_rows - PROBLEM_LIST_LIMIT, 0)

    @property
    def left_out_message(self) -> str:
        """What the admin's preview says of the lines with problems it does not list."""
        from curricula.services import more_lines_with_problems

        return more_lines_with_problems(self.problems_left_out) if self.problems_left_out else ""

    def _count(self, messages: int) -> bool:
        self.problem_rows += 1
        self.problem_messages += messages
        self._kept = self.problem_rows <= PROBLEM_LIST_LIMIT
        return self._kept

    def append_invalid_row(self, number, row, validation_error):
        if not self._count(len(validation_error.messages)):
            return
        # A workbook's blank cell is None, which the admin's problem table would show as "None".
        row = {name: "" if value is None else value for name, value in row.items()}
        line = _line_of(self.line_numbers, number)
        super().append_invalid_row(line, row, validation_error)
        # The admin's problem table, headed "Row", shows the sheet's row and the line beside it
        # where they differ (a CSV whose quoted cells span lines).
        self.invalid_rows[-1].place = row_and_line(_row_of(self.sheet_rows, number), line)

    def append_error_row(self, number, row, errors):
        if not self._count(len(errors)):
            return
        super().append_error_row(_line_of(self.line_numbers, number), row, errors)

    def append_row_result(self, row_result):
        if (
            row_result.import_type
            in (
                RowResult.IMPORT_TYPE_INVALID,
                RowResult.IMPORT_TYPE_ERROR,
            )
            and not self._kept
        ):
            # Its problem was counted, not kept: the row stays counted (row_errors() numbers
            # the rows by their place here) without it.
            bare = RowResult()
            bare.import_type = row_result.import_type
            row_result = bare
        self._kept = True
        super().append_row_result(row_result)


def warning_message(warning: dict) -> str:
    """An import's warning (LineNumberedImport.warn_new_code) with its column named, "position:
    …", as a job's report says it beside its line. The colon is the pattern's: Chinese writes a
    full-width one. A warning of the line as a whole (a total row read past) names none."""
    if not warning["column"]:
        return warning["message"]
    return gettext("%(label)s: %(value)s") % {
        "label": ImportColumn(warning["column"]).heading,
        "value": warning["message"],
    }


def warning_said(warning: dict) -> str:
    """The warning as a line of a report: "line 3: position: …", as a problem of the line is
    said."""
    return gettext("%(label)s: %(value)s") % {
        "label": at_line(warning["line"], row=warning.get("row")),
        "value": warning_message(warning),
    }


def more_warnings(n: int) -> str:
    """What a report listing the first warnings says of the `n` it left out."""
    return ngettext("… and %(n)d more warning", "… and %(n)d more warnings", n) % {"n": n}


# PostgreSQL advisory lock taken by each spreadsheet import's transaction ("sheets" in ASCII),
# whatever it imports (courses, links, requirements) and through whichever door: two imports of
# the same new courses at once both read the codes as new before either had committed, both
# inserted them, and the later failed every row on the code's unique index; one after the
# other, the later reads what the earlier wrote and imports into it.
SPREADSHEET_IMPORT_LOCK = 0x736865657473


class LineNumberedImport:
    """A resource whose problems name the file's lines, and which refuses a second row for the
    same record (a file may say one thing about each; silently keeping the last would hide it)."""

    _line_numbers: list[int] | None = None
    _sheet_rows: list[int] | None = None
    # What the workbook hides that the import reads all the same (its hidden rows and columns:
    # core.spreadsheets.workbook_notes), named in every report.
    workbook_notes: list[WorkbookNote] = []
    # The problems before_import_row found on the row being imported, by column (row_problems):
    # kept rather than raised, so that the row's other cells still go through the model's own
    # checks (a title too long, a language no code) and the line's problems are said together,
    # not one step after another as each is fixed and the file imported again.
    _row_errors: dict[str, ValidationError] = {}
    # Columns a problem with another column leaves unread (a link's ability, looked up in the
    # framework its row names), as {column: the columns it needs}.
    reads_with: dict[str, tuple[str, ...]] = {}
    # What the import does that the file may not mean, said without refusing it (a new position
    # "7" beside position 007: warn_new_code), by line, {"line", "row"?, "column", "message"}:
    # those of the first PROBLEM_LIST_LIMIT, and how many there were.
    import_warnings: list[dict] = []
    import_warnings_total = 0

    def import_data(self, dataset, *args, rollback_on_validation_errors=True, **kwargs):
        self._line_numbers = getattr(dataset, "line_numbers", None)
        self._sheet_rows = getattr(dataset, "sheet_rows", None)
        self.workbook_notes = []
        self.import_warnings = []
        self.import_warnings_total = 0
        self.row_sections = []
        self._first_line: dict[Any, int] = {}
        # All or nothing: a row that fails validation rolls the whole file back, also on the
        # admin's confirm step, which django-import-export would otherwise commit partially.
        return super().import_data(
            dataset, *args, rollback_on_validation_errors=rollback_on_validation_errors, **kwargs
        )

    def import_data_inner(self, dataset, dry_run, raise_errors, using_transactions, *args, **kw):
        # A dry run (a preview) writes nothing that stays: it does not wait for a long import
        # job to commit, and the import it previews is checked again when it writes.
        if using_transactions and not dry_run:
            writers_one_at_a_time(SPREADSHEET_IMPORT_LOCK)
        return super().import_data_inner(
            dataset, dry_run, raise_errors, using_transactions, *args, **kw
        )

    def save_instance(self, instance, is_create, row, **kwargs):
        # A record saved by another door meanwhile (the API, the admin's form) under a key this
        # row writes: the database refuses the row, in its own words, naming its constraint.
        # (The failed statement marked the row's savepoint for rollback, which the library's
        # per-row atomic block does; the file is then rolled back as for any invalid row.)
        try:
            super().save_instance(instance, is_create, row, **kwargs)
        except IntegrityError as error:
            raise ValidationError(
                gettext(
                    "A record this line writes was saved by someone else while the file was "
                    "being imported; nothing was imported. Import the file again."
                ),
                code="conflict",
            ) from error

    def get_result_class(self):
        return type(
            "LineNumberedResult",
            (LineNumberedResult,),
            {"line_numbers": self._line_numbers, "sheet_rows": self._sheet_rows},
        )

    def import_row(self, row, instance_loader, **kwargs):
        self._row_errors = {}
        return super().import_row(row, instance_loader, **kwargs)

    def row_problems(self, errors: dict[str, ValidationError]) -> None:
        """Keep what before_import_row found wrong with the row: reported by import_instance
        with the problems of its other cells, and the model's checks of those (the row is
        invalid then, and nothing of the file is written)."""
        self._row_errors = errors

    def unread_columns(self) -> set[str]:
        """The row's columns not read into its record: those with a problem, and those that
        need one of them (reads_with)."""
        unread = set(self._row_errors)
        unread |= {column for column, needs in self.reads_with.items() if unread & set(needs)}
        return unread

    def get_or_init_instance(self, instance_loader, row):
        # A row whose key has a problem names no record to look up (and a NUL in it would fail
        # PostgreSQL's query): its other cells are checked on a new one.
        if self.unread_columns() & {*self.get_import_id_fields(), *self.reads_with}:
            return self.init_instance(row), True
        return super().get_or_init_instance(instance_loader, row)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.column_name in self.unread_columns():
            return  # its problem is said already: not looked up again
        stored = None
        if instance.pk is not None and isinstance(field.widget, TextWidget):
            stored = getattr(instance, field.attribute, None)
        super().import_field(field, instance, row, is_m2m, **kwargs)
        read = getattr(instance, field.attribute, None) if stored is not None else None
        if isinstance(stored, str) and read != stored and normalized_lines(stored) == read:
            # Text stored before it was stored a line at a time ("\r\n", a line's spaces)
            # that the cell gives again is no news: left as it is, as the framework imports
            # leave it (RecordSync), so re-importing an export changes nothing.
            setattr(instance, field.attribute, stored)

    def import_instance(self, instance, row, **kwargs):
        # The row's problems with those of its other cells; the library hands them to
        # validate_instance, which runs the model's checks on the fields they leave out.
        errors = dict(self._row_errors)
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def model_checks_exclude(self, errors) -> list[str]:
        """The fields the model's checks leave out: those with a problem, and those left unread
        because of one."""
        return sorted({*errors, *self.unread_columns()})

    def line_of(self, row_number: int) -> int:
        return _line_of(self._line_numbers, row_number)

    def warn_new_code(
        self, *, readings: NumberReadings, code: str, message: str, column: str, row_number: int
    ) -> None:
        """Warn, at its line, of a record the row creates under `code` where a stored record of
        its kind has a code of the same number (007 for 7, 1.10 for 1.1): a spreadsheet most
        likely read that one's code as a number. A warning, not a refusal: the new record may
        be meant. `message` says the record is new; the known codes (`readings`) are read the
        first time a new code is written as a number, never for a file without one."""
        hint = readings.hint(code)
        if not hint:
            return
        self.warn(message=with_number_hint(message, hint), column=column, row_number=row_number)

    def warn(self, *, message: str, column: str, row_number: int) -> None:
        """Warn, at the line of data row `row_number`, of what the import does that the file
        may not mean (said, not refused), in `column`; the first PROBLEM_LIST_LIMIT are kept,
        all are counted."""
        self.import_warnings_total += 1
        if len(self.import_warnings) >= PROBLEM_LIST_LIMIT:
            return
        row = self.sheet_row_of(row_number)
        self.import_warnings.append(
            {
                "line": self.line_of(row_number),
                **({"row": row} if row is not None else {}),
                "column": column,
                "message": message,
            }
        )

    def read_past_totals_and_notes(
        self,
        dataset,
        needed: Sequence[tuple[str, ...]],
        written: Sequence[str] | None = None,
    ) -> None:
        """Take out of `dataset` (its columns named: require_columns) the total rows and the note
        rows of a table as published (a 培养方案's 小计 after each category, 合计 at its end, a
        注 merged across below it: _total_or_note), and its section headings (_section_heading),
        each warned of at its line: not a record, and not one to refuse as missing its key.
        `needed` are the columns a record needs (one of each tuple), whose cells such a row
        leaves empty; `written`, the header's cells as the file writes them, name the columns
        of a section's totals on its heading row (the header's names where not given)."""
        written = list(written if written is not None else dataset.headers)
        named = [index for index, name in enumerate(written) if name]
        keys = [
            index
            for index, name in enumerate(dataset.headers)
            if any(name in names for names in needed)
        ]
        code_column = next(
            (index for index, name in enumerate(dataset.headers) if name in needed[0]), None
        )
        read_past = []
        self.start_sections()
        for index, row in enumerate(dataset):
            said = _total_or_note(row, keys)
            if said is None and (heading := _section_heading(row, keys, code_column, named)):
                kind, text, heading_written, totals = heading
                said = self.section_heading(kind, text, heading_written)
                if totals:
                    said = join_sentences([said, _totals_said(row, totals, written)])
            if said is None:
                self.row_sections.append(self.section_now())
                continue
            number = index + 1
            read_past.append((index, self.line_of(number)))
            self.import_warnings_total += 1
            if len(self.import_warnings) >= PROBLEM_LIST_LIMIT:
                continue
            found = {"line": self.line_of(number), "column": "", "message": said}
            if (row_shown := self.sheet_row_of(number)) is not None:
                found["row"] = row_shown
            self.import_warnings.append(found)
        if not read_past:
            return
        # Kept in one pass (a row deleted at a time moves all those after it: a file of many).
        gone = {index for index, _line in read_past}
        headers, kept = dataset.headers, [row for i, row in enumerate(dataset) if i not in gone]
        dataset.wipe()
        dataset.headers = headers
        dataset.extend(kept)
        for name in ("line_numbers", "sheet_rows"):
            # In place: the import's result and report read these lists (import_data).
            if numbers := getattr(dataset, name, None):
                numbers[:] = [n for i, n in enumerate(numbers) if i not in gone]
        _not_hidden_read(dataset, {line for _index, line in read_past})

    # What each row of the dataset left after read_past_totals_and_notes is under (section_now),
    # by its place; what a section heading does is the resource's (section_heading).
    row_sections: list[Any] = []

    def start_sections(self) -> None:
        self.row_sections = []

    def section_heading(self, kind: str, text: str, written: str) -> str:
        """What a warning says of a section heading read past (`kind` of enumerator, `text`
        without it: _section_heading; `written` as the cell has it): here nothing else; a
        resource may put the rows below it somewhere (CourseResource: in a module)."""
        return gettext("A section heading (“%(text)s”): read past, not imported.") % {
            "text": shown(written)
        }

    def section_now(self) -> Any:
        """What a row below the headings read so far is under (row_sections)."""
        return None

    def warnings_said(self) -> list[str]:
        """The warnings as the admin says them: each at its line, its column named."""
        return [warning_said(warning) for warning in self.import_warnings]

    def sheet_row_of(self, row_number: int) -> int | None:
        """The row a spreadsheet shows data row `row_number` on, where it is not its line."""
        row = _row_of(self._sheet_rows, row_number)
        return None if row == self.line_of(row_number) else row

    def missing_columns_said(self, missing: list[tuple[str, ...]]) -> list[str]:
        """What a refusal for the missing columns `missing` (each a tuple of columns of which
        one would do) says after naming them: which columns would do, where the first's name
        does not say (none by default)."""
        return []

    def require_columns(
        self,
        dataset,
        required: Sequence[str | tuple[str, ...]],
        expected: Sequence[str],
    ) -> None:
        """Match the columns by name, forgiving case, width and spaces ("Course ", "LEVEL",
        "Title ZH", a full-width "CODE"), or by a Chinese name (CHINESE_HEADERS: 课程代码),
        and refuse a file that lacks a required one (a tuple: one of its columns), naming every
        column the file may have (a file with no header row at all, empty or only blank lines,
        lacks them all; for a Chinese reader with their Chinese names); that names a column
        twice (by either name), or that has a value in a column its header row does not name.
        Columns not expected are taken out of the dataset and listed, as written, in
        `ignored_columns`."""
        aliases = header_aliases(expected)
        needed = [(names,) if isinstance(names, str) else tuple(names) for names in required]
        _read_past_lines_above_header(dataset, aliases, needed)
        _read_past_second_header_row(dataset, aliases, needed)
        written = [_text(header) for header in dataset.headers or []]
        for index, heading in getattr(dataset, "two_row_headings", {}).items():
            written[index] = heading
        header_line = getattr(dataset, "header_line", 1)
        if second := getattr(dataset, "second_header_row", None):
            self._warn_second_header_row(second, header_line)
        for column, name in enumerate(written, start=1):
            named = bilingual_columns(name, aliases)
            if named is not None and len(named) > 1:
                raise ValueError(
                    gettext(
                        "The header row (line %(line)d) column %(column)d, “%(name)s”, names "
                        "two columns (%(columns)s): name one."
                    )
                    % {
                        "line": header_line,
                        "column": column,
                        "name": shown(name),
                        "columns": join_list(named),
                    }
                )
        headers = [column_name(name, aliases) for name in written]
        by_pattern = self.columns_by_pattern(headers, written)
        for index, name in by_pattern.items():
            headers[index] = name
        read = {*expected, *by_pattern.values()}
        # tablib keeps an empty header list as None, so the check reads the local list.
        dataset.headers = headers
        missing = [names for names in needed if not set(names) & set(headers)]
        if missing:
            message = gettext(
                "The file lacks the column(s): %(missing)s. Expected: %(expected)s."
            ) % {
                "missing": join_list(column_label(names) for names in missing),
                "expected": join_list(
                    column_label([column], every_alias=False) for column in expected
                ),
            }
            message = join_sentences([message, *self.missing_columns_said(missing)])
            # No line of the first ones names them all (one that does is the header, the lines
            # above it read past: _read_past_lines_above_header). A workbook saved with another
            # sheet open than the table's (a sheet of notes first): say which sheet was read,
            # and which others there are, rather than guess one (core.xlsx.xlsx_dataset).
            others = getattr(dataset, "other_sheets", None)
            if others:
                sheet_read = gettext(
                    "The columns were looked for on the sheet “%(sheet)s”, the one open when "
                    "the workbook was saved; it also has %(others)s. Open the sheet holding "
                    "the table, save the workbook and upload it again."
                ) % {
                    "sheet": shown(dataset.sheet_title),
                    "others": join_list(f"“{shown(title)}”" for title in others),
                }
                message = join_sentences([message, sheet_read])
            raise ValueError(message)
        for column, name in enumerate(headers, start=1):
            if not storable(name):
                raise ValueError(
                    gettext(
                        "The header row (line %(line)d) has a NUL character (U+0000) in column "
                        "%(column)d: give each column a plain name."
                    )
                    % {"line": header_line, "column": column}
                )
        first: dict[str, int] = {}
        for column, name in enumerate(headers, start=1):
            if name in first and name in by_pattern.values():
                # A column read by its header's pattern (第1学期 and Semester 1, both term 1's)
                # has no name of its own the file could use: only the two cells are named.
                raise ValueError(
                    gettext(
                        "The header row (line %(line)d) names one column twice, as "
                        "“%(first_name)s” (column %(first)d) and “%(second_name)s” (column "
                        "%(second)d): keep one."
                    )
                    % {
                        "line": header_line,
                        "first_name": shown(written[first[name] - 1]),
                        "first": first[name],
                        "second_name": shown(written[column - 1]),
                        "second": column,
                    }
                )
            if name in first:
                # Named as the file writes them (课程代码 and 课程编号 both mean `code`).
                raise ValueError(
                    gettext(
                        "The header row (line %(line)d) names the column “%(name)s” twice, as "
                        "“%(first_name)s” (column %(first)d) and “%(second_name)s” (column "
                        "%(second)d): keep one."
                    )
                    % {
                        "line": header_line,
                        "name": name,
                        "first_name": shown(written[first[name] - 1]),
                        "first": first[name],
                        "second_name": shown(written[column - 1]),
                        "second": column,
                    }
                )
            if name:
                first[name] = column
        self.read_past_totals_and_notes(dataset, needed, written)
        # Columns the import does not read (an SIS's "Department", an export's "id", a misspelt
        # "Credit") are left out and named in the result, so that nobody takes them for read.
        unread = [index for index, name in enumerate(headers) if name and name not in read]
        self.ignored_columns = [written[index] for index in unread]
        # Each column read, as its header is written (the first of a name): what a message on
        # how its cells are read names (CourseResource's term column).
        self.headers_written = {}
        for index, name in enumerate(headers):
            if name and name in read:
                self.headers_written.setdefault(name, str(written[index]))
        # Its hidden rows, and the hidden columns it reads by their headers as written (a hidden
        # one it does not read is named above, as left out).
        self.workbook_notes = workbook_notes(
            dataset,
            read_columns={
                index: written[index] for index, name in enumerate(headers) if name in read
            },
        )
        # A value under no column name would otherwise be dropped unseen (core.csv.rows_dataset
        # refuses one right of the header, but keeps those in a gap of the header and in the
        # rows just below it, under an empty header, for this).
        unnamed = [index for index, name in enumerate(headers) if not name]
        for number, row in enumerate(dataset if unnamed else (), start=1):
            for index in unnamed:
                if not blank(row[index]):
                    raise ValueError(
                        unnamed_column_message(
                            line=self.line_of(number),
                            column=index + 1,
                            header=header_line,
                        )
                    )
        for index in reversed(unread):
            del dataset[headers[index]]

    def _warn_second_header_row(self, second: dict, header_line: int) -> None:
        """Say at its line the second header row read with the header (a warning of the line as
        a whole, as a total row read past is: read_past_totals_and_notes)."""
        self.import_warnings_total += 1
        self.import_warnings.append(
            {
                "line": second["line"],
                **({"row": second["row"]} if "row" in second else {}),
                "column": "",
                "message": gettext(
                    "A second header row (“%(labels)s”): read with the header row (line "
                    "%(line)d) to name the columns below them, as “%(heading)s”; not imported."
                )
                % {
                    "labels": shown(", ".join(second["labels"])),
                    "line": header_line,
                    "heading": shown(second["heading"]),
                },
            }
        )

    def columns_by_pattern(self, headers: list[str], written: list[str]) -> dict[int, str]:
        """The columns read beyond those a resource expects by name, recognised by their
        header's pattern (CourseResource: one column per term), as {place: the column's name}
        (`headers` the names the header cells give, `written` the cells as written). Two of
        one name are refused as any column named twice is. Here none."""
        return {}

    def ignored_columns_notes(self, ignored_columns: Sequence[str]) -> list[str]:
        """What to do of the columns left out that no other name would get read (the advice
        given for any column left out, to rename it, would not help). Here none."""
        return []

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        # Shown by the admin's preview (templates/admin/import_export/import.html).
        result.ignored_columns = getattr(self, "ignored_columns", [])
        # What to do of them, said here once for every door (the preview, the report the API,
        # import_courses and a job's status and page give: services.spreadsheet_resource_import).
        result.ignored_columns_notes = self.ignored_columns_notes(result.ignored_columns)
        result.workbook_notes = self.workbook_notes
        result.import_warnings = self.warnings_said()
        if more := self.import_warnings_total - len(self.import_warnings):
            result.import_warnings.append(more_warnings(more))

    @staticmethod
    def unreadable_cells(row) -> dict[str, ValidationError]:
        """A ValidationError by column for each cell that holds a NUL character, which
        PostgreSQL cannot store (it would fail the whole file with no line to point at; the
        lookups made before the rows are checked skip such values, `storable`), or a formula an
        XLSX holds without its value (core.xlsx.UNCALCULATED). Such a cell is not looked up: its
        row's other checks leave its column out."""
        errors = {}
        for column, value in row.items():
            if isinstance(value, str) and not storable(value):
                errors[str(column)] = ValidationError(nul_message(), code="invalid")
            elif value is UNCALCULATED:
                errors[str(column)] = ValidationError(
                    gettext(
                        "This cell holds a formula saved without its value (a program wrote "
                        "the file): open and save it in a spreadsheet, or give the value."
                    ),
                    code="invalid",
                )
        return errors

    def add_duplicate_error(
        self, errors: dict, key: Any, *, field: str, what: str, row_number: int | None
    ) -> None:
        """Files a ValidationError under `field` in `errors` when an earlier row gave the same
        `key` (`what` names it for people: "course and ability"); the row is the first to give
        it otherwise."""
        if row_number is None:
            return
        line = self.line_of(row_number)
        first = self._first_line.setdefault(key, line)
        if first == line:
            return
        errors[field] = ValidationError(
            # `first` a SheetLine where the CSV's reader knew its row: said beside it.
            gettext("%(where)s already gives this %(what)s; give each once.")
            % {"where": line_said(first), "what": what},
            code="duplicate",
        )


# The columns a row's ability may be named by (AbilityWidget): a file needs one of them, not
# the ability column itself (a file another system writes with its abilities' URIs alone, or an
# export kept to them).
ABILITY_NAMING_COLUMNS = ("ability", *PORTABLE_ABILITY_COLUMNS)


class AbilityRowImport(LineNumberedImport):
    """A line-numbered import whose rows name an ability (AbilityWidget: its code, external
    identifier, URI or identifier), with the framework column where several frameworks hold the
    value: the course-ability links and the positions' requirements, one row per (owner,
    ability) pair. A file may name the ability by any of ABILITY_NAMING_COLUMNS; no framework
    column is needed (a URI is unique; an external identifier several frameworks share is
    refused on a row naming none, never guessed)."""

    # The column naming a row's other record: "course" for links, "position" for requirements.
    owner_field = ""

    def require_ability_columns(self, dataset, required: Sequence[str], expected) -> None:
        """require_columns with the ability named by any of ABILITY_NAMING_COLUMNS. A file
        naming it by its URI or external identifier alone is read as one whose ability cells
        are blank (AbilityWidget.named_elsewhere): its rows, and every door's, as those."""
        self.require_columns(
            dataset,
            [ABILITY_NAMING_COLUMNS if name == "ability" else name for name in required],
            expected,
        )
        if "ability" not in dataset.headers:
            dataset.append_col([""] * len(dataset), header="ability")

    def missing_columns_said(self, missing):
        if ABILITY_NAMING_COLUMNS not in missing:
            return []
        return [
            gettext(
                "A row's ability is named by any of the columns ability, ability_uri or "
                "ability_external_id: give one of them."
            )
        ]

    def preload(self, dataset) -> None:
        """The file's abilities, and the records on them it may update, read for the whole file
        in a few queries, not each row's with its own (the background link import reads its
        courses' links too: import_jobs.LinkImporter)."""
        self._preloaded = preload_abilities(self.fields["ability"].widget, dataset)
        self._existing: dict[tuple[int, int], Any] = {}
        self._looked_up: set[str] = set()
        abilities = sorted(self._preloaded)
        owner_id = f"{self.owner_field}_id"
        for start in range(0, len(abilities), PRELOAD_CHUNK):
            for record in self.get_queryset().filter(
                ability_id__in=abilities[start : start + PRELOAD_CHUNK]
            ):
                self._existing[(getattr(record, owner_id), record.ability_id)] = record

    def get_instance(self, instance_loader, row):
        # Reached only for a row whose owner and ability were found (get_or_init_instance).
        owner = self.fields[self.owner_field].clean(row)
        ability = self.fields["ability"].clean(row)
        if ability.pk in getattr(self, "_preloaded", ()):
            return self._existing.get((owner.pk, ability.pk))
        return super().get_instance(instance_loader, row)

    def model_checks_exclude(self, errors) -> list[str]:
        # The owner, ability and level a row names were looked up by its cells (they exist: no
        # query each to check), and the pair was matched by get_instance, a pair given twice
        # being refused on its line (add_pair_error): the unique check's query is not needed.
        return sorted({*super().model_checks_exclude(errors), *getattr(self, "_looked_up", ())})

    def add_pair_error(self, errors: dict, found: dict, *, owner: str, what: str, **kwargs):
        """A row giving the (`owner`, ability) pair an earlier row gave, said with the line's
        other problems (its level, its importance), not after them."""
        if owner in found and "ability" in found:
            self.add_duplicate_error(
                errors,
                (found[owner].pk, found["ability"].pk),
                field="ability",
                what=what,
                row_number=kwargs.get("row_number"),
            )

    def clean_references(self, row, errors: dict, names, *, optional=()) -> dict:
        """Each column of `names` looked up (its record, or a problem of its line in `errors`):
        resolved up front, so that a row reports all its problems at once, as row errors with
        their line, not as a failure while the record is looked up. A cell that cannot be stored
        is not looked up (PostgreSQL refuses a query naming it), nor is an ability whose
        framework has a problem; a column of `optional` the file lacks is left as it is."""
        found = {}
        for name in names:
            if name in errors or (name == "ability" and "framework" in errors):
                continue
            if name in optional and name not in row:
                continue
            try:
                found[name] = self.fields[name].clean(row)
            except ValueError as error:
                key = "framework" if name == "ability" and self._framework_error(row) else name
                # A blank cell is told what to give (missing_message), as the catalogue's is.
                given = _text(row.get(name)) or (
                    name == "ability" and self.fields[name].widget.named_elsewhere(row)
                )
                code = "invalid" if given else "required"
                errors[key] = ValidationError(str(error), code=code)
        return found

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """full_clean() on the fields the row's problems leave out (the library's check, which
        excludes only the columns with a problem, would call an ability left unread for its
        framework's problem missing)."""
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(
                exclude=self.model_checks_exclude(errors), validate_unique=validate_unique
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _framework_error(self, row) -> bool:
        try:
            self.fields["ability"].widget.framework(row)
        except ValueError:
            return True
        return False

    def dehydrate_framework(self, record) -> str:
        return str(record.ability.framework.identifier)


class TextWidget(widgets.CharWidget):
    """Text as written, spreadsheet line breaks normalised; outcomes and a link's note keep one
    per line (core.models.normalized_lines, as every door stores prose)."""

    def clean(self, value, row=None, **kwargs):
        return "" if value is None else normalized_lines(str(value))


class CourseAbilityResource(AbilityRowImport, resources.ModelResource):
    """Imports and exports course-ability links; an import is all or nothing.

    Importing creates or updates the link of each (course, ability) pair, marks it with provenance
    "import" and its source as the file and line, and records the importing user in its history.
    Unchanged rows are skipped, so re-importing an export changes nothing.
    """

    owner_field = "course"
    course = fields.Field(attribute="course", column_name="course", widget=CourseWidget())
    # Read from the link (never written: the ability's framework is the ability's), so the
    # import's preview shows it as the export does.
    framework = fields.Field(
        attribute="ability__framework__identifier", column_name="framework", readonly=True
    )
    ability = fields.Field(attribute="ability", column_name="ability", widget=AbilityWidget())
    level = fields.Field(attribute="level", column_name="level", widget=LevelWidget())
    note = fields.Field(attribute="note", column_name="note", widget=TextWidget(), default="")
    note_zh = fields.Field(
        attribute="note_zh", column_name="note_zh", widget=TextWidget(), default=""
    )
    # Read with the ability (AbilityWidget), never written: the ability's own.
    ability_uri = fields.Field(attribute="ability__uri", column_name="ability_uri", readonly=True)
    ability_external_id = fields.Field(
        attribute="ability__external_id", column_name="ability_external_id", readonly=True
    )

    class Meta:
        model = CourseAbility
        fields = COLUMNS
        import_order = COLUMNS
        export_order = COLUMNS
        import_id_fields = ("course", "ability")
        use_transactions = True
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    # The ability is looked up in the framework its row names, or by its URI or external id.
    reads_with = {"ability": ("framework", *PORTABLE_ABILITY_COLUMNS)}

    def get_queryset(self):
        return CourseAbility.objects.select_related("course", "ability__framework", "level")

    def before_import(self, dataset, **kwargs):
        # Without a framework column each ability is found by its code alone (AbilityWidget).
        optional = ("framework", "note", "note_zh", *PORTABLE_ABILITY_COLUMNS)
        self.require_ability_columns(dataset, [c for c in COLUMNS if c not in optional], COLUMNS)
        self.preload(dataset)

    def before_import_row(self, row, **kwargs):
        errors = self.unreadable_cells(row)
        found = self.clean_references(row, errors, ("course", "ability", "level"))
        self.add_pair_error(
            errors, found, owner="course", what=gettext("course and ability"), **kwargs
        )
        self._looked_up = {
            name for name in ("course", "ability", "level") if found.get(name) is not None
        }
        self.row_problems(errors)

    def before_save_instance(self, instance, row, **kwargs):
        instance.provenance = Provenance.IMPORT
        file_name = kwargs.get("file_name")
        if file_name and "row_number" in kwargs:
            line = self.line_of(kwargs["row_number"])
            instance.source_ref = f"{file_name}, line {line}"[:255]
        user = kwargs.get("user")
        if user is not None and user.is_authenticated:
            instance._history_user = user


# --- The course catalogue ------------------------------------------------------------------------

COURSE_COLUMNS = (
    "code",
    "title",
    "title_zh",
    "description",
    "outcomes",
    "credits",
    "module",
    "stage",
    "language",
)
# A catalogue naming no title may give the Chinese one (CourseResource.import_instance).
COURSE_REQUIRED = ("code", ("title", "title_zh"))


# How alike (difflib's ratio) a module or stage name must be to what a cell says to be offered
# as what it meant: "Networking technology" is 0.74 from "network technology module".
NEAR_NAME_CUTOFF = 0.7
# The numbers of a name, which a near name must share ("Year 3" is not near "Year 4").
_NUMBER = re.compile(r"\d+")


def _folded(text: str) -> str:
    """A name as compared: any case, runs of spaces as one ("Theory  Teaching" = "theory
    teaching"), full-width letters and digits as a Chinese input method types them as the
    ASCII ones (a full-width IB is IB: NFKC, as course codes are stored)."""
    return " ".join(normalized_code(text).split()).casefold()


class _NamedPlaceWidget(_CachedLookupWidget):
    """A module or training stage by its code, its name or its Chinese name, in any case (the
    few records are read once per import); empty means none. A value matching none is refused
    with every value accepted."""

    def __init__(self, model, **kwargs):
        super().__init__(model, "code", **kwargs)
        self._records: list | None = None

    def clean(self, value, row=None, **kwargs):
        return super().clean(value, row, **kwargs) if _text(value) else None

    def records(self) -> list:
        if self._records is None:
            self._records = list(self.model.objects.all())
        return self._records

    def names(self, record) -> tuple[str, ...]:
        """What a cell may say for `record`, in the order tried (blank: not set): its code,
        then its names."""
        return (record.code, record.name, record.name_zh)

    def find(self, text, row):
        wanted = _folded(text)
        # One kind of name at a time, so that a code wins over another record's name; names may
        # repeat, and then the first record in the model's order is taken.
        named = [(record, self.names(record)) for record in self.records()]
        for kind in range(len(named[0][1]) if named else 0):
            for record, names in named:
                if names[kind] and _folded(names[kind]) == wanted:
                    return record
        if not named:
            # A university starting from its own catalogue has none yet: "give one of: —"
            # would leave it guessing what to give.
            raise ValueError(self.none_yet_message() % {"value": shown(text)})
        accepted = join_long_items(self.accepted(record) for record in self.records())
        message = self.unknown_message() % {"value": shown(text), "accepted": accepted or "—"}
        near = self.nearest(wanted, named)
        if near is not None:
            guess = gettext("Did you mean %(record)s?") % {"record": self.accepted(near)}
            message = join_sentences([message, guess])
        raise ValueError(message)

    def nearest(self, wanted: str, named: list[tuple[Any, tuple[str, ...]]]) -> Any | None:
        """The record one of whose names is close to `wanted` (a typo, a name cut short:
        "Networking technology", "Network technology" for "Network technology module"), for
        the refusal to name; None when none is."""
        spelled = {}
        numbers = _NUMBER.findall(wanted)
        for record, names in reversed(named):  # the first record in order wins a tie
            for name in names:
                # "Year 4" is no typo of "Year 3": another number names another stage or
                # module, and offering it would put the courses in the wrong one.
                if name and _NUMBER.findall(_folded(name)) == numbers:
                    spelled[_folded(name)] = record
        close = difflib.get_close_matches(wanted, list(spelled), n=1, cutoff=NEAR_NAME_CUTOFF)
        return spelled[close[0]] if close else None

    def accepted(self, record) -> str:
        code, *names = self.names(record)
        names = [name for name in names if name]
        return bracketed(code, join_list(names)) if names else code

    def unknown_message(self) -> str:
        raise NotImplementedError

    def none_yet_message(self) -> str:
        raise NotImplementedError

    def render(self, value, obj=None, **kwargs):
        return value.code if value else ""


class PlaceNamingDiff(resources.Diff):
    """The admin preview's values of a row: as the export writes them, but a module or training
    stage named as the reader knows it (its name in the reader's language) rather than by the
    code the export writes for an import to read back."""

    def __init__(self, resource, instance, new):
        super().__init__(resource, instance, new)
        self.left = self._shown(resource, instance)

    def compare_with(self, resource, instance):
        self.right = self._shown(resource, instance)

    @staticmethod
    def _shown(resource, instance) -> list:
        if instance is None:  # the library's own reading, kept for a row it has no record of
            return resources.Diff._read_field_values(resource, instance)
        shown = []
        for field in resource.get_import_fields():
            if isinstance(field.widget, _NamedPlaceWidget):
                place = field.get_value(instance)
                shown.append(place.display_name if place is not None else "")
            else:
                shown.append(field.export(instance))
        return shown


class ModuleWidget(_NamedPlaceWidget):
    """A module by its code, its name or its Chinese name, in any case; empty means none."""

    def __init__(self, **kwargs):
        super().__init__(Module, **kwargs)

    def unknown_message(self) -> str:
        return gettext(
            "Unknown module “%(value)s”. Give a module's code, name or Chinese name "
            "(any case): %(accepted)s."
        )

    def none_yet_message(self) -> str:
        return gettext(
            "Unknown module “%(value)s”. There are no modules yet: add them in the admin "
            "(Modules), or leave the column empty."
        )


class StageWidget(_NamedPlaceWidget):
    """A training stage by its code, its name, its Chinese name (in any case) or its place in
    the order (1, 2, ...); empty means none."""

    def __init__(self, **kwargs):
        super().__init__(TrainingStage, **kwargs)

    def unknown_message(self) -> str:
        return gettext(
            "Unknown training stage “%(value)s”. Give a stage's code, name or Chinese name "
            "(any case) or its place in the order: %(accepted)s."
        )

    def none_yet_message(self) -> str:
        return gettext(
            "Unknown training stage “%(value)s”. There are no training stages yet: add them "
            "in the admin (Training stages), or leave the column empty."
        )

    def names(self, record) -> tuple[str, ...]:
        return (*super().names(record), "" if record.order is None else str(record.order))

    def find(self, text, row):
        try:
            return super().find(text, row)
        except ValueError:
            # isdecimal: "²" is a digit to isdigit() but not a number int() reads; "01" is 1.
            if text.isdecimal():
                for record in self.records():
                    if record.order == int(text):
                        return record
            raise


class CreditsWidget(widgets.DecimalWidget):
    """A number of credits, with a decimal point or (as written in much of Europe) a comma,
    in ASCII or full-width characters (as a Chinese input method types them)."""

    def clean(self, value, row=None, **kwargs):
        written = _text(value)
        text = unicodedata.normalize("NFKC", written).replace(",", ".")
        if not text:
            return None
        # Quoted as the cell writes it (not as read: "3,0 ECTS" is not "3.0 ECTS" in the file).
        number = number_to_write(written)
        if number is None:
            message = gettext("Credits must be a number, not “%(value)s”.")
        else:
            message = gettext("Credits must be a number, not “%(value)s”: write %(number)s.")
        message %= {"value": shown(written), "number": number}
        if "_" in text:  # Decimal reads Python's digit grouping too: "3_5" would be 35
            raise ValueError(message)
        try:
            credits = Decimal(text)
        except InvalidOperation as error:
            raise ValueError(message) from error
        # Decimal reads "NaN", "Infinity" and "inf" too (an XLSX number cell may hold NaN or
        # INF): not credits, and a NaN cannot even be compared with 0 below.
        if not credits.is_finite():
            raise ValueError(message)
        if credits < 0:  # said here, on the column, rather than as the table's constraint's name
            raise ValueError(gettext("Credits cannot be negative."))
        # Zeros after the last digit that counts, as a spreadsheet saving its cells as shown
        # writes them (3.50, 3.00 in a column formatted 0.00): the same number, not more
        # decimal places than credits keep.
        return _without_trailing_zeros(credits)

    def render(self, value, obj=None, **kwargs):
        # The stored credits come back with the column's decimal place (3.0), the file's as
        # written (3): rendered alike, the admin's preview no longer marks an unchanged course's
        # credits as changed.
        if isinstance(value, Decimal) and value.is_finite():
            value = _without_trailing_zeros(value)
        return super().render(value, obj, **kwargs)


def _without_trailing_zeros(credits: Decimal) -> Decimal:
    """`credits` without the zeros after its last digit that counts (3.50 is 3.5, 3.0 is 3). Not
    normalize() alone: it writes 30 as 3E+1."""
    if credits.as_tuple().exponent >= 0:
        return credits
    if credits == credits.to_integral_value():
        return credits.to_integral_value()
    return credits.normalize()


# A programme plan's term cell (开课学期): a semester's number, in ASCII or full-width digits
# (NFKC), as 第N学期, or in Chinese numerals (三, 第三学期, 十二); a span of terms (1-2, 1~4,
# 3、4, 1,2) is read as its first. Or in the words around it a plan writes (_term_written):
# by year and half (第一学年第二学期, 第1学年第2学期, Year 2 Semester 1, Y2S1: year Y, half H is
# term (Y-1)*2+H, a year's third term refused, not guessed), by year and its upper or lower half
# (大一上, 大二下学期, 一上, 1下), as 学期1, or in English in any case (S1, Sem 1, Sem. 1,
# Semester 1, Term 1, 1st semester, 2nd term). The bound is the model's (MAX_TERM, 20: ten
# years of two semesters, or a trimester plan of more than six), so that a plan the model takes
# is read.
_CHINESE_DIGITS = dict(zip("一二三四五六七八九", range(1, 10), strict=True)) | {"两": 2}
_ONE_TERM = r"(?:\d+|[一二两三四五六七八九十]+)"
_TERM = re.compile(rf"第?\s*({_ONE_TERM})\s*(?:学期)?")
_YEAR_HALF = re.compile(
    rf"第?\s*({_ONE_TERM})\s*学年\s*第?\s*({_ONE_TERM})\s*学期"
    r"|(?:year|yr|y)\s*(\d+)\s*(?:semester|sem\.?|term|s)\s*(\d+)",
    flags=re.IGNORECASE,
)
_YEAR_UPPER_LOWER = re.compile(rf"大?\s*({_ONE_TERM})\s*(?:年级)?\s*([上下])\s*(?:学期)?")
_HALVES = {"上": 1, "下": 2}
_TERM_WORDS = re.compile(
    rf"学期\s*({_ONE_TERM})"
    r"|(?:semester|sem\.?|term|s)\s*(\d+)"
    r"|(\d+)\s*(?:st|nd|rd|th)\s*(?:semester|sem\.?|term)",
    flags=re.IGNORECASE,
)
# Between two terms of a span: a hyphen or dash of any kind, a tilde, 至 or 到, a comma, 、 or
# a slash (NFKC has made the full-width ones ASCII; the dashes, U+2010 to U+2015, and the wave
# dash, U+301C, are not folded by it).
_TERM_SPAN = re.compile(r"\s*(?:[-\u2010-\u2015~\u301c]|至|到|,|、|/|;)\s*")
# A hyphen (or an underscore) after an English term's word and before its number (Term-1,
# Sem-1, S-1, Year-2) or between a year and its half (Y2-S1) is part of the term, as it is in a
# header (term_of_header), not a span's: read as a space. Only the hyphens, not the dashes a
# span is written with, nor before an ordinal (3rd semester-4th semester is a span).
_TERM_WORD = r"(?:semester|sem\.?|term|s)"
_YEAR_WORD = r"(?:year|yr|y)"
_IN_WORD_HYPHEN = r"\s*[-_\u2010\u2011]\s*"
_WORD_HYPHEN = re.compile(
    rf"(?<![^\W\d_])({_TERM_WORD}|{_YEAR_WORD}){_IN_WORD_HYPHEN}"
    r"(?=\d+(?!\d)(?!\s*(?:st|nd|rd|th)))",
    flags=re.IGNORECASE,
)
_YEAR_HYPHEN = re.compile(
    rf"(?<![^\W\d_])({_YEAR_WORD}\s*\d+){_IN_WORD_HYPHEN}(?={_TERM_WORD}\s*\d)",
    flags=re.IGNORECASE,
)
# And a hyphen between 学期 and its number (学期-1, or with a full-width hyphen, U+FF0D, once
# NFKC), as Term-1's; not one after a term's own 学期 (1学期-2学期 is a span).
_XUEQI_HYPHEN = re.compile(
    rf"(?<![\d一二两三四五六七八九十\s])(\s*学期){_IN_WORD_HYPHEN}(?={_ONE_TERM}(?!\s*学期))"
)
# And one between 第 and its number (第-1学期), as a header reads it (term_of_header): one
# rule for the two, not a header read as term 1 beside its cell refused.
_DI_HYPHEN = re.compile(rf"(第){_IN_WORD_HYPHEN}(?={_ONE_TERM})")
# A year and its term joined by a hyphen or a dash, as Chinese plans write them (1-1, 1-2, 2-1:
# 第一学年第一学期 …): year Y, half H is term (Y-1)*2+H. A pair whose half is no larger than its
# year cannot be a span (a span goes up: 2-1, 2-2, 1-1), so it is read so alone; 1-2, a span of
# the first two terms as often, only in a column writing the others so (read_term's
# `year_terms`: CourseResource._year_term_column).
_YEAR_TERM_PAIR = re.compile(r"(\d{1,2})\s*[-\u2010-\u2015]\s*([12])")
# A span of two such pairs (2-1~2-2: year 2 term 1 to year 2 term 2, terms 3 to 4), joined as a
# span of terms is, but for a hyphen or a dash, which join each pair: each side a year and its
# term, 1-2 too (a span of spans is no reading). A hyphen or a dash with spaces on both sides
# (2-1 - 2-2, or an en or em dash), or "to", joins the two pairs as ~ does; a lone pair or a
# span of plain terms spaced so (1 - 2) is read as before (year_term_pair, _TERM_SPAN).
_PAIR = r"\d{1,2}\s*[-\u2010-\u2015]\s*[12]"
_PAIR_SPAN = re.compile(
    rf"({_PAIR})(?:\s*(?:[~\u301c]|至|到|,|、|/|;)\s*|\s+(?:[-\u2010-\u2015]|(?i:to))\s+)({_PAIR})"
)
# What an educational administration system (教务系统) exports as a term: the academic year and
# its term (2023-2024-1, 2023-2024学年第1学期). It names a calendar year, not the programme's
# term counted from its first, which the year a student starts decides: refused, saying so.
_ACADEMIC_YEAR = re.compile(
    r"((?:19|20)\d\d\s*[-\u2010-\u2015~/至到]\s*(?:(?:19|20)\d\d|\d\d))(?!\d)"
)


def _term_words_joined(text: str) -> str:
    """`text` (NFKC, stripped) with the hyphens (or underscores) that join a term's own words
    read as spaces (Term-3, Y2-S1, 学期-1) or dropped (第-1学期), the others left as written
    (a span's, or 第1-学期's, which names no term): one rule for a term cell (read_term) and a
    term's column header (term_of_header)."""
    joined = _DI_HYPHEN.sub(r"\1", _XUEQI_HYPHEN.sub(r"\1 ", text))
    return _YEAR_HYPHEN.sub(r"\1 ", _WORD_HYPHEN.sub(r"\1 ", joined))


def _chinese_number(text: str) -> int | None:
    """一 to 九十九 (十, 十二, 二十, 二十三) as a number; None for anything else."""
    if text.isdigit():
        return int(text)
    tens, _ten, units = text.partition("十")
    if not _ten:
        return _CHINESE_DIGITS.get(text) if len(text) == 1 else None
    if len(tens) > 1 or len(units) > 1:
        return None
    ten = _CHINESE_DIGITS.get(tens, 0 if tens else 1)
    unit = _CHINESE_DIGITS.get(units, 0 if not units else None)
    if not ten or unit is None:
        return None
    return ten * 10 + unit


def _term_written(text: str, *, bare: bool = True) -> int | None:
    """The number of the one term `text` (NFKC, stripped) writes in any of its forms, not yet
    bounded (0 and 21 are numbers too, refused as such), or None for a text naming no term
    (秋季, 第一学年, 大一). Without `bare`, a number alone (3, 三) names none either."""
    if found := _TERM.fullmatch(text):
        if not bare and re.fullmatch(_ONE_TERM, text):
            return None
        return _chinese_number(found.group(1))
    if found := _YEAR_HALF.fullmatch(text):
        year = _chinese_number(found.group(1) or found.group(3))
        half = _chinese_number(found.group(2) or found.group(4))
        return (year - 1) * 2 + half if year and half in _HALVES.values() else None
    if found := _YEAR_UPPER_LOWER.fullmatch(text):
        year = _chinese_number(found.group(1))
        return (year - 1) * 2 + _HALVES[found.group(2)] if year else None
    if found := _TERM_WORDS.fullmatch(text):
        return _chinese_number(next(group for group in found.groups() if group))
    return None


# The forms a term is read in, each naming term 3: the refusal of a cell naming none and the
# import form's help list them from here, so that they say what is read (a test reads each).
TERM_FORMS = (
    "3",
    "第3学期",
    "第三学期",
    "学期3",
    "学期-3",
    "第二学年第一学期",
    "大二上",
    "2上",
    "2-1",
    "S3",
    "Sem 3",
    "Semester 3",
    "Term-3",
    "3rd term",
    "Y2S1",
)


def year_term_pair(text: str, *, one_two: bool = False) -> int | None:
    """The term a year and its term joined by a hyphen name (2-1: 3), or None for a text that
    is no such pair (3, 1-4) or may be a span (1-2, unless `one_two`: the column writes the
    others as pairs)."""
    found = _YEAR_TERM_PAIR.fullmatch(unicodedata.normalize("NFKC", text).strip())
    if not found:
        return None
    year, half = int(found.group(1)), int(found.group(2))
    if year < 1 or (half > year and not one_two):
        return None
    return (year - 1) * 2 + half


def read_term(value: Any, *, year_terms: bool = False) -> tuple[int | None, bool]:
    """A term cell as (the term, whether the cell gave a span read as its first term); (None,
    False) for a blank cell. ValueError, naming the value, for anything else (秋季, 0, a term
    past MAX_TERM, an academic year's term: 2023-2024-1). `year_terms`: the cell's column
    writes years and their terms as pairs (2-1), so 1-2 is one too (year_term_pair)."""
    if isinstance(value, datetime.date | datetime.time):
        # What was typed (1-2, 3/4) a spreadsheet stored as a date, which no term is.
        raise ValueError(
            gettext(
                "The term is a date (%(value)s): the spreadsheet turned what was typed into one. "
                "Format the column as text, type the term again and save."
            )
            % {"value": _text(value)}
        )
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, int | float) and value == int(value):
        value = str(int(value))
    written = _text(value)
    text = unicodedata.normalize("NFKC", written).strip()
    if not text:
        return None, False
    if (number := year_term_pair(text, one_two=year_terms)) is not None:
        if not 1 <= number <= MAX_TERM:
            raise ValueError(
                gettext("A term is a number from 1 to %(max)d, not “%(value)s”.")
                % {"max": MAX_TERM, "value": shown(written)}
            )
        return number, False
    if found := _PAIR_SPAN.fullmatch(text):
        terms = [year_term_pair(side, one_two=True) for side in found.groups()]
        if not all(1 <= number <= MAX_TERM for number in terms):
            raise ValueError(
                gettext("A term is a number from 1 to %(max)d, not “%(value)s”.")
                % {"max": MAX_TERM, "value": shown(written)}
            )
        return terms[0], True
    if found := _ACADEMIC_YEAR.match(text):
        raise ValueError(
            gettext(
                "The term “%(value)s” names the academic year %(year)s, not a term of the "
                "programme: write the term the programme teaches the course in, counted from "
                "its first (3, 第3学期, 第二学年第一学期, 2-1)."
            )
            % {"value": shown(written), "year": found.group(1)}
        )
    parts = _TERM_SPAN.split(_term_words_joined(text))
    terms = []
    for part in parts:
        number = _term_written(part)
        if number is None or not 1 <= number <= MAX_TERM:
            if len(parts) == 1 and number is not None:
                raise ValueError(
                    gettext("A term is a number from 1 to %(max)d, not “%(value)s”.")
                    % {"max": MAX_TERM, "value": shown(written)}
                )
            raise ValueError(
                gettext(
                    "The term “%(value)s” is not one: write the semester, from 1 to %(max)d, "
                    "in one of the forms %(forms)s (each is term 3)."
                )
                % {"value": shown(written), "max": MAX_TERM, "forms": join_list(TERM_FORMS)}
            )
        terms.append(number)
    return terms[0], len(terms) > 1


def term_cell_kind(value: Any) -> str:
    """How a term cell writes its term, as its column's reading of 1-2 weighs it: "pair" (a
    year and its term: 2-1, 2-1~2-2, 第二学年第一学期, 大二上), "either" (1-2: the first
    year's second term, or terms 1 to 2), "term" (any other term it reads: 3, 第3学期, 3-4,
    1~2), or "" (blank, or naming no term)."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return "term"
    text = unicodedata.normalize("NFKC", _text(value)).strip()
    if not text:
        return ""
    if year_term_pair(text) is not None or _PAIR_SPAN.fullmatch(text):
        return "pair"
    if year_term_pair(text, one_two=True) is not None:
        return "either"
    # Y2-S1 as Y2S1: a year and its term (_term_words_joined), as read_term reads it.
    joined = _term_words_joined(text)
    if _YEAR_HALF.fullmatch(joined) or _YEAR_UPPER_LOWER.fullmatch(joined):
        return "pair"
    try:
        read_term(text)
    except ValueError:
        return ""
    return "term"


def _either(value: Any) -> bool:
    """Whether a term cell is 1-2, the first year's second term or terms 1 to 2 (quickly: the
    column's cells are weighed only where one is)."""
    text = _text(value)
    return "2" in text and year_term_pair(text, one_two=True) == 2


# A heading with a Chinese character (开课学期, 学期): a Chinese plan's, which writes a year and
# its term as 1-2.
_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def one_two_reading(*, pairs: int, terms: int, heading: str) -> tuple[bool, str]:
    """How a term column holding 1-2 reads it: (as a year and its term, why where the column
    leaves it open; "" where every other cell reading a term agrees). The most of its other
    cells decide (`pairs` write a year and its term, `terms` a term); as many, or none, its
    heading: a Chinese plan writes 1-2 for the first year's second term, an English sheet for
    terms 1 to 2 (term_pair_rule)."""
    if pairs != terms:
        pair = pairs > terms
        if not (terms if pair else pairs):
            return pair, ""
        if pair:
            return True, gettext("most of the column's other cells write a year and its term")
        return False, gettext("most of the column's other cells write a term")
    chinese = bool(_CHINESE.search(heading))
    said = (
        gettext("the column's other cells do not say and its heading, “%(heading)s”, is Chinese")
        if chinese
        else gettext(
            "the column's other cells do not say and its heading, “%(heading)s”, is not Chinese"
        )
    )
    return chinese, said % {"heading": shown(heading)}


def one_two_said(value: str, *, pair: bool, reason: str) -> str:
    """The warning at a 1-2 its column reads one way where it leaves it open: how, why, and
    what to write for the other reading."""
    found = _YEAR_TERM_PAIR.fullmatch(unicodedata.normalize("NFKC", value).strip())
    first, second = int(found.group(1)), int(found.group(2))
    numbers = {"value": shown(value), "first": first, "second": second, "reason": reason}
    if pair:
        return gettext(
            "“%(value)s” is read as year %(first)d, term %(second)d (term %(term)d), as "
            "%(reason)s; for terms %(first)d to %(second)d, write %(first)d~%(second)d."
        ) % {**numbers, "term": (first - 1) * 2 + second}
    return (
        gettext(
            "“%(value)s” is read as terms %(first)d to %(second)d, as %(reason)s: the course is "
            "placed in the first, term %(first)d; for year %(first)d, term %(second)d, write "
            "Y%(first)dS%(second)d."
        )
        % numbers
    )


def term_pair_rule() -> str:
    """How a term column's 1-2 is read, as the import form's help says it (one_two_reading)."""
    return gettext(
        "1-2 is the first year's second term where most of the column's other cells write a "
        "year and its term (2-1, 大二上), terms 1 to 2 where most write a term (3, 3-4); where "
        "they do not say, the first year's second term under a Chinese heading (开课学期) and "
        "terms 1 to 2 under an English one (term), each such 1-2 warned of at its line. "
        "2-1~2-2 is terms 3 to 4."
    )


# What a term's column holds for a course not taught in it, besides nothing: no hours (0, 0.0),
# or a dash or slash a table puts where a term has none. Read as blank, or a file writing them in
# every term would put each course in the first, its real term warned of as a span.
_NO_HOURS = re.compile(r"0+(?:\.0*)?|[-\u2010-\u2015\u2212/]+")


def catalogue_ignored_columns_notes(
    ignored_columns: Sequence[str], *, into_programme: bool
) -> list[str]:
    """What to do of the columns a catalogue import left out: imported into no programme, of a
    term column, choose one (terms_need_a_programme). The import's result words them
    (CourseResource); a job's page works them out again for a job stored before it did."""
    note = "" if into_programme else terms_need_a_programme(ignored_columns)
    return [note] if note else []


def terms_need_a_programme(ignored_columns: Sequence[str]) -> str:
    """What to do of the term column (开课学期) among the columns a catalogue imported into no
    programme left out, or of its columns of one term each (第1学期 …, two or more): choose the
    programme, since terms are read only into one and no other name for the column would get
    them read, as the advice given for any column left out says. Blank where there is none."""
    aliases = header_aliases(("term",))
    named = [written for written in ignored_columns if column_name(str(written), aliases) == "term"]
    each = [written for written in ignored_columns if term_of_header(written) is not None]
    termed = named or (each if len(each) > 1 else [])
    if not termed:
        return ""
    return ngettext(
        "The column %(columns)s gives each course's term in a programme: terms are read only "
        "when the catalogue is imported into a programme. Choose the programme to import into "
        "(Into the programme in the admin, programme in the API, --programme with "
        "import_courses), or the courses are imported without their terms.",
        "The columns %(columns)s give each course's term in a programme: terms are read only "
        "when the catalogue is imported into a programme. Choose the programme to import into "
        "(Into the programme in the admin, programme in the API, --programme with "
        "import_courses), or the courses are imported without their terms.",
        len(termed),
    ) % {"columns": join_list(f"“{shown(str(written))}”" for written in termed)}


def term_of_header(written: str, *, bare: bool = False) -> int | None:
    """The term a header cell names as a term's column, or None: a 培养方案 may spread each
    course's weekly hours over one column per term (各学期周学时分配) rather than give a term
    column. A header naming one term in a form a term cell is read in (_term_written: 第3学期,
    第三学期, Semester 3, Term-3, Sem 3, 第二学年第一学期, 1上, 大一下, 学期3, S3, 3rd semester; any
    case and width, spaces between, or a hyphen or an underscore where a cell reads one:
    _term_words_joined), but not a number alone nor a
    span; a column of a two-row header under the terms' heading (各学期周学时分配 above 3, where
    a number alone does name a term: TwoRowHeading, and `bare` for its labels)."""
    if isinstance(written, TwoRowHeading):
        return written.term
    # Its hyphens read as a cell's are (_term_words_joined): 第1-学期 names no term in either.
    text = _term_words_joined(unicodedata.normalize("NFKC", written).strip())
    number = _term_written(re.sub(r"\s+", " ", text), bare=bare)
    return number if number is not None and 1 <= number <= MAX_TERM else None


# A column headed by a code, a letter or a few and a number (K1, LO2, CO-3, S1), and of them
# the one naming a term only by its letter (S1, s-2): the words name a term whatever stands
# beside them (Sem 1, Semester 1, Term 1, 第1学期).
_CODE_HEADER = re.compile(r"[a-z]{1,3}\s*[-_.]?\s*\d{1,2}", flags=re.IGNORECASE)
_S_CODE_HEADER = re.compile(r"s\s*[-_.]?\s*\d{1,2}", flags=re.IGNORECASE)


def _code_header(written: str) -> bool:
    return bool(_CODE_HEADER.fullmatch(unicodedata.normalize("NFKC", written).strip()))


def _s_code_header(written: str) -> bool:
    return bool(_S_CODE_HEADER.fullmatch(unicodedata.normalize("NFKC", written).strip()))


def no_hours(value: Any) -> bool:
    """Whether a term's column says the course is not taught in that term: blank, 0 or a dash."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float | Decimal):
        return value == 0
    text = unicodedata.normalize("NFKC", _text(value)).strip()
    return not text or bool(_NO_HOURS.fullmatch(text))


class CodeWidget(TextWidget):
    """A code as the model stores it (core.models.normalized_code), so that a row naming a
    course in full width updates that course, and one naming it twice either way is refused."""

    def clean(self, value, row=None, **kwargs):
        return normalized_code(super().clean(value, row, **kwargs))


# Markup a cell copied from a web page, or exported by a CMS or an LMS, holds: a closing tag of
# the elements such text is made of, or a line break. "a<b and b>c" or "the <code> of conduct",
# with no closing tag, is text someone typed.
_MARKUP = re.compile(
    r"</(?:p|div|span|ul|ol|li|b|i|u|em|strong|h[1-6]|a|font|table|tr|td|th|blockquote|pre|"
    r"code|sup|sub)\s*>|<br\s*/?>",
    re.IGNORECASE,
)
# Elements that end a line of the text: a paragraph, a list item, a heading, a table row.
_BLOCKS = frozenset(
    [
        "p",
        "div",
        "br",
        "ul",
        "ol",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "tr",
        "blockquote",
        "pre",
        "dl",
        "dt",
        "dd",
        "section",
    ]
)


class _TextOfMarkup(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        # Within markup, a line break of the source is a space (the page shows it so).
        self.parts.append(" ".join(data.split("\n")))


def markup_text(text: str) -> str:
    """`text` as a page would show it, when it is HTML (see _MARKUP): its paragraphs and list
    items one a line, entities read, tags dropped. Other text is returned as it is."""
    if not _MARKUP.search(text):
        return text
    parser = _TextOfMarkup()
    parser.feed(text)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


class MarkupTextWidget(TextWidget):
    """A description or outcomes cell: its text, as TextWidget reads it, and when it is HTML
    (copied from a web page, a CMS's or an LMS's export), the text the markup shows, one
    paragraph or list item a line, so that outcomes keep one per line."""

    def clean(self, value, row=None, **kwargs):
        return super().clean(markup_text("" if value is None else str(value)), row, **kwargs)


class ReadAheadInstanceLoader(ModelInstanceLoader):
    """The records a file names by its one import id (a course's code), read before its rows in
    a few queries of `CHUNK` ids each, where the library's default reads one per row: at 5,000
    courses those queries were 60% of the import. (The library's CachedInstanceLoader does the
    same in one query, which SQLite refuses past its 32,766 parameters.)"""

    CHUNK = 2000

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.field = self.resource.fields[self.resource.get_import_id_fields()[0]]
        self.instances = {}
        if not self.dataset or self.field.column_name not in (self.dataset.headers or []):
            return
        # A code holding a NUL names no stored course (its row reports it:
        # unreadable_cells), and PostgreSQL would refuse the whole query.
        ids = list(
            dict.fromkeys(
                code for code in map(self.field.clean, self.dataset.dict) if storable(code)
            )
        )
        lookup = f"{self.field.attribute}__in"
        for start in range(0, len(ids), self.CHUNK):
            for instance in self.get_queryset().filter(**{lookup: ids[start : start + self.CHUNK]}):
                self.instances[code_key(self.field.get_value(instance))] = instance

    def get_instance(self, row):
        # A code is one code in any case (CaselessCodeField): "cs101" updates CS101.
        return self.instances.get(code_key(self.field.clean(row)))


class CourseResource(LineNumberedImport, resources.ModelResource):
    """Imports and exports the course catalogue, one course per row, keyed by its code; an
    import is all or nothing, and a course it creates or changes gets provenance "import" and
    the file and line as its source. `outcomes` holds one learning outcome per line of the
    cell; `module` and `stage` name a module or training stage by code, name or Chinese name, in
    any case.

    Columns may be headed in Chinese (CHINESE_HEADERS: 课程代码, 课程名称, 英文名称, 学分, ...).
    Only the code and a title are required: `title`, or where the file names none, `title_zh`,
    which a course the file creates takes as its title too."""

    code = fields.Field(attribute="code", column_name="code", widget=CodeWidget())
    title = fields.Field(attribute="title", column_name="title", widget=TextWidget())
    title_zh = fields.Field(
        attribute="title_zh", column_name="title_zh", widget=TextWidget(), default=""
    )
    description = fields.Field(
        attribute="description", column_name="description", widget=MarkupTextWidget(), default=""
    )
    outcomes = fields.Field(
        attribute="outcomes", column_name="outcomes", widget=MarkupTextWidget(), default=""
    )
    credits = fields.Field(attribute="credits", column_name="credits", widget=CreditsWidget())
    module = fields.Field(attribute="module", column_name="module", widget=ModuleWidget())
    stage = fields.Field(attribute="stage", column_name="stage", widget=StageWidget())
    language = fields.Field(
        attribute="language", column_name="language", widget=TextWidget(), default=""
    )

    def __init__(self, *, programme: Programme | None = None, **kwargs):
        super().__init__(**kwargs)
        # A catalogue imported into a programme (a 培养方案): the courses the file names are put
        # in it, and its term column (开课学期) is read, or its columns of one term each
        # (columns_by_pattern) where it has none (after_import).
        self.programme = programme
        self._places: list = []
        self._row_term: int | None = None
        # Whether the term column writes years and their terms as pairs (2-1: before_import).
        self._year_term_column = False
        # Where the file has no term column, the columns of one term each it reads instead
        # (columns_by_pattern), in the order of their terms: (column, term, header as written).
        self._term_columns: list[tuple[str, int, str]] = []

    class Meta:
        model = Course
        fields = COURSE_COLUMNS
        import_order = COURSE_COLUMNS
        export_order = COURSE_COLUMNS
        import_id_fields = ("code",)
        instance_loader_class = ReadAheadInstanceLoader
        use_transactions = True
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_queryset(self):
        return Course.objects.select_related("module", "stage")

    def get_diff_class(self):
        return PlaceNamingDiff

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """full_clean() without its database checks, each a query per row (the code's and the
        identifier's uniqueness, the credits' constraint: half of a 5,000-course import): a row's
        code names the course it updates (ReadAheadInstanceLoader) and a code given twice is
        refused (add_duplicate_error); a new course's identifier is a fresh UUID; CreditsWidget
        refuses negative credits. The table's constraints still hold at the save (a course
        created meanwhile under the same code fails its row and the whole file)."""
        errors = dict(import_validation_errors or {})
        exclude = self.model_checks_exclude(errors)
        if not instance.title and "title_zh" in errors:
            # A new course's title falls back on the Chinese one (import_instance), whose
            # problem is said already: not again as a blank title.
            exclude.append("title")
        try:
            instance.full_clean(
                exclude=exclude,
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns the import reads: with a programme, the courses' term in it too."""
        if self.programme is None:
            return COURSE_COLUMNS
        return (*COURSE_COLUMNS, "term")

    def before_import(self, dataset, **kwargs):
        self._places = []
        self._term_columns = []
        self.require_columns(dataset, COURSE_REQUIRED, self.columns)
        # How the term column's 1-2 is read (the first year's second term, or terms 1 to 2):
        # as the most of its other cells write their terms, else as its heading's language
        # says (one_two_reading); said at each 1-2 where the column leaves it open.
        self._year_term_column, self._one_two_reason = False, ""
        cells = dataset["term"] if "term" in (dataset.headers or []) else []
        # Weighed only for a column holding a 1-2: the others are read cell by cell alone.
        if any(_either(cell) for cell in cells):
            kinds = Counter(term_cell_kind(cell) for cell in cells)
            if kinds["either"]:
                self._year_term_column, self._one_two_reason = one_two_reading(
                    pairs=kinds["pair"],
                    terms=kinds["term"],
                    heading=getattr(self, "headers_written", {}).get("term", "term"),
                )

    def columns_by_pattern(self, headers, written):
        # A 培养方案's weekly hours by term (各学期周学时分配: 第1学期 … 第8学期), read as the
        # courses' terms where the file is imported into a programme and gives no term column:
        # a term column says the term itself, and these are then left out and named. One such
        # column alone is too little to say a table spreads its terms over columns ("Semester 1"
        # may hold anything in a catalogue).
        if self.programme is None or "term" in headers:
            return {}
        terms = {
            index: term
            for index, (name, cell) in enumerate(zip(headers, written, strict=True))
            if name not in self.columns and (term := term_of_header(cell)) is not None
        }
        # S1 beside other codes of its shape naming no term (K1, A1, LO1: a matrix of the
        # abilities a course builds) is one code of them, not Semester 1.
        if any(_code_header(cell) and term_of_header(cell) is None for cell in written):
            terms = {
                index: term for index, term in terms.items() if not _s_code_header(written[index])
            }
        if len(terms) < 2:
            return {}
        named = {index: f"term_{term}" for index, term in terms.items()}
        # A term given two columns is refused by require_columns (named twice): first of each.
        firsts = {name: index for index, name in reversed(named.items())}
        self._term_columns = sorted(
            ((name, terms[index], written[index]) for name, index in firsts.items()),
            key=lambda column: column[1],
        )
        return named

    # A 培养方案's section headings (一、通识教育课程 and (一)专业核心课程 within it): the open
    # ones, outermost first, each as (its kind of enumerator, the module it names or None). A
    # heading of a kind open already closes it and those within it, as 二、 closes 一、 and its
    # (一); a course is put in the module of the innermost heading that names one.
    _open_sections: list[tuple[str, Module | None]] = []

    def start_sections(self) -> None:
        super().start_sections()
        self._open_sections = []

    def section_now(self) -> Module | None:
        return next((module for _, module in reversed(self._open_sections) if module), None)

    def section_heading(self, kind, text, written):
        module = None
        for name in heading_names(text):
            try:
                module = self.fields["module"].widget.clean(name)
            except ValueError:
                continue
            break
        kinds = [open_kind for open_kind, _ in self._open_sections]
        if kind in kinds:
            del self._open_sections[kinds.index(kind) :]
        self._open_sections.append((kind, module))
        module = self.section_now()
        if module is None:
            return gettext(
                "A section heading (“%(text)s”): read past, not imported. No module is named "
                "“%(name)s”, so the courses under it that give no module are put in none (add "
                "it in the admin, Modules, to have them put in it)."
            ) % {"text": shown(written), "name": shown(heading_names(text)[-1])}
        return gettext(
            "A section heading (“%(text)s”): read past, not imported; the courses under it that "
            "give no module are put in the module %(module)s."
        ) % {"text": shown(written), "module": self.fields["module"].widget.accepted(module)}

    def before_import_row(self, row, **kwargs):
        # A course under a section heading naming a module (section_heading) is put in it where
        # the file gives it none: its module cell empty, or no module column.
        number = kwargs.get("row_number")
        sections = self.row_sections
        under = sections[number - 1] if number and number <= len(sections) else None
        if under is not None and not _text(row.get("module")):
            row["module"] = under.code
        # Every problem of the row at once: a code given twice is said beside a bad credits cell,
        # not once that is fixed. A cell that cannot be stored is not read further.
        errors = self.unreadable_cells(row)
        # A file naming no title gives the Chinese one instead (COURSE_REQUIRED), and so does a
        # row whose English title is left blank beside a Chinese one (a bilingual catalogue
        # whose translations are still to come): only a row with neither is refused.
        title = "title" if "title" in row else "title_zh"
        titled = _text(row.get("title")) or _text(row.get("title_zh"))
        # The column is there (require_columns refused a file without it): the cell is blank,
        # so say what to give, not that the column is required.
        for name, given, message in (
            ("code", _text(row.get("code")), gettext("Give the course a code.")),
            (title, titled, gettext("Give the course a title (title or title_zh).")),
        ):
            if not given and name not in errors:
                errors[name] = ValidationError(message, code="required")
        if isinstance(row.get("code"), datetime.date | datetime.time):
            # A sheet's date cell: what was typed (1-3, 3/1) the spreadsheet stored as a date,
            # which no code is; read as text it became a course "2026-03-01 00:00:00".
            errors["code"] = ValidationError(
                gettext(
                    "The code is a date (%(value)s): the spreadsheet turned what was typed into "
                    "one. Format the column as text, type the code again and save."
                )
                % {"value": _text(row.get("code"))},
                code="invalid",
            )
        for name in ("credits", "module", "stage"):
            if name not in row or name in errors:
                # A column the file leaves out is left as it is (import_field skips it).
                continue
            try:
                self.fields[name].clean(row)
            except ValueError as error:
                errors[name] = ValidationError(str(error), code="invalid")
        self._row_term = None
        for name, _term, _written in self._term_columns:
            # A term's cell that cannot be read is a problem with the course's term.
            if name in errors:
                errors.setdefault("term", errors.pop(name))
        if "term" in row and "term" not in errors and self.programme is not None:
            self._read_term(row["term"], errors, kwargs.get("row_number"))
        elif self._term_columns and "term" not in errors:
            self._read_term_columns(row, kwargs.get("row_number"))
        if "code" not in errors:
            self.add_duplicate_error(
                errors,
                code_key(self.fields["code"].clean(row)),
                field="code",
                what=gettext("course code"),
                row_number=kwargs.get("row_number"),
            )
        self.row_problems(errors)

    def _read_term(self, value, errors: dict, row_number: int | None) -> None:
        try:
            self._row_term, span = read_term(value, year_terms=self._year_term_column)
        except ValueError as error:
            errors["term"] = ValidationError(str(error), code="invalid")
            return
        if self._one_two_reason and row_number is not None and term_cell_kind(value) == "either":
            # A 1-2 the column's other cells do not all read alike: how it was read, and why.
            self.warn(
                message=one_two_said(
                    _text(value), pair=self._year_term_column, reason=self._one_two_reason
                ),
                column="term",
                row_number=row_number,
            )
            return
        if span and row_number is not None:
            self.warn(
                message=gettext(
                    "“%(value)s” gives more than one term: the course is placed in the first, "
                    "term %(term)d."
                )
                % {"value": shown(_text(value)), "term": self._row_term},
                column="term",
                row_number=row_number,
            )

    def _read_term_columns(self, row, row_number: int | None) -> None:
        # The first term whose column has the course's hours (or a mark: ✓, ●); a course taught
        # over several terms is placed in the first, as a span in a term column is (1-2).
        given = [
            (term, written)
            for name, term, written in self._term_columns
            if not no_hours(row.get(name))
        ]
        if not given:
            return  # none: the term is left as it is
        self._row_term = given[0][0]
        if len(given) > 1 and row_number is not None:
            self.warn(
                message=gettext(
                    "More than one term's column has a value (%(columns)s): the course is placed "
                    "in the first, term %(term)d."
                )
                % {
                    "columns": join_list(f"“{shown(written)}”" for _term, written in given),
                    "term": self._row_term,
                },
                column="term",
                row_number=row_number,
            )

    def import_row(self, row, instance_loader, **kwargs):
        row_result = super().import_row(row, instance_loader, **kwargs)
        # The courses the file names, created, updated or as they were, in its order: what an
        # import into a programme puts in it.
        if (
            self.programme is not None
            and row_result.object_id is not None
            and row_result.import_type
            in (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE, RowResult.IMPORT_TYPE_SKIP)
        ):
            file_name, number = kwargs.get("file_name"), kwargs.get("row_number")
            source = f"{file_name}, line {self.line_of(number)}" if file_name and number else ""
            line = self.line_of(number) if number else None
            self._places.append((row_result.object_id, self._row_term, source[:255], line))
            # The term the course gets in the programme, as the admin's preview shows it (None:
            # the file gives none).
            row_result.programme_term = self._row_term
        return row_result

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # A blank English title beside a Chinese one says nothing about the title: a course the
        # row updates keeps its own (import_instance gives a new one the Chinese title).
        if field.column_name == "title" and not _text(row.get("title")):
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        stored_code = instance.code if instance.pk else None
        try:
            super().import_instance(instance, row, **kwargs)
            if stored_code is None and "code" not in self._row_errors and "row_number" in kwargs:
                self.warn_new_code(
                    readings=self._readings,
                    code=instance.code,
                    message=gettext(
                        "No course has the code “%(code)s”: the import creates a new one."
                    )
                    % {"code": shown(instance.code)},
                    column="code",
                    row_number=kwargs["row_number"],
                )
        finally:
            # Also on a row with problems, whose record the model's checks still read.
            # A row naming a course in another case ("cs101" for CS101) updates that course and
            # leaves its code as first given.
            if stored_code is not None:
                instance.code = stored_code
            # A catalogue written in Chinese may name its courses only in Chinese (课程名称, no
            # 英文名称, or that cell left blank): a course it creates has that for its title as
            # well; one it updates keeps its own title (the English one of a bilingual course).
            if not instance.title:
                instance.title = instance.title_zh

    @cached_property
    def _readings(self) -> NumberReadings:
        # The catalogue's codes a new course's may have been (007 for 7), read once a new code
        # is written as a number: once per import, whatever its length, and never for a file
        # whose new codes are not numbers.
        return course_code_readings(key=code_key)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        # Codes are shared by every programme: a file whose codes are those of courses already
        # taught (another programme's) rewrites them there too. The admin's preview says where
        # (templates/admin/import_export/import.html), one query for the whole file.
        changed = {row.object_id for row in result.rows if row.is_update() and row.object_id}
        counts: dict[str, int] = {}
        if changed:
            taught = (
                ProgrammeCourse.objects.filter(course_id__in=changed)
                .order_by("programme__name", "programme_id")
                .values_list("programme__name", flat=True)
            )
            for name in taught:
                counts[name] = counts.get(name, 0) + 1
        result.programmes_changed = list(counts.items())
        # The admin's preview then shows each course's term in it (import_row).
        result.into_programme = self.programme is not None
        if self.programme is not None and not (
            result.has_errors() or result.has_validation_errors()
        ):
            self._place_in_programme(
                result, user=kwargs.get("user"), dry_run=bool(kwargs.get("dry_run"))
            )

    def ignored_columns_notes(self, ignored_columns):
        return catalogue_ignored_columns_notes(
            ignored_columns, into_programme=self.programme is not None
        )

    def _place_in_programme(self, result, *, user, dry_run: bool) -> None:
        # Inside the import's transaction: rolled back with it on a dry run, counted all the same.
        from curricula.services import CoursePlace, courses_placed_said, programme_courses_place

        try:
            placed = programme_courses_place(
                programme=self.programme,
                places=[
                    CoursePlace(course_id=course_id, term=term, source_ref=source, line=line)
                    for course_id, term, source, line in self._places
                ],
                user=user,
            )
        except ValidationError as error:
            # A problem with the file as a whole (a course it lists twice), said as its words,
            # not as the service's field-keyed error.
            raise ValueError(join_sentences(error.messages)) from error
        # Said by the admin's preview and its message after the confirm.
        result.programme_said = courses_placed_said(
            placed=placed, programme=self.programme, dry_run=dry_run
        )
        result.more_counts = {
            **getattr(result, "more_counts", {}),
            "programme": self.programme.pk,
            "programme_added": placed.added,
            "programme_already": placed.already,
            "programme_terms_set": placed.terms_set,
        }

    def before_save_instance(self, instance, row, **kwargs):
        instance.provenance = Provenance.IMPORT
        file_name = kwargs.get("file_name")
        if file_name and "row_number" in kwargs:
            instance.source_ref = f"{file_name}, line {self.line_of(kwargs['row_number'])}"[:255]
        user = kwargs.get("user")
        if user is not None and user.is_authenticated:
            instance._history_user = user


# --- Positions and their requirements ---------------------------------------------------------

# A school's target positions and what each requires, one requirement a row, as local job adverts
# or an employer survey give them: the position by its code or name (a position the file names
# and the site does not know is created, as the catalogue creates a course: named by
# `position_name` when given, the cell then its code, else by the cell), its names (read only for
# a position the file creates; one differing from a stored position's name is refused), the
# ability as the link import reads it (its code, with the framework column only where several
# frameworks share it), the importance in the words the site reads (importance_named) and the
# minimum level as a link's level is read (LevelWidget). Export writes the same columns.
REQUIREMENT_COLUMNS = tuple(REQUIREMENT_EXPORT_HEADER)
REQUIREMENT_REQUIRED = ("position", "ability", "min_level")


def _name_key(text: str) -> str:
    """A position's name as a cell naming it is compared: any case, width and accent, runs of
    spaces as one (core.search.fold)."""
    return " ".join(fold(text).split())


class PositionWidget(widgets.ForeignKeyWidget):
    """A position by its code (in any case, in full width) or else by its name or Chinese name
    (any case, width and accent); a cell naming two is refused, naming them. The site's
    positions are read once per import; those the import creates are added (`remember`)."""

    def __init__(self, **kwargs):
        super().__init__(Position, "code", **kwargs)
        self._by_code: dict[str, list[Position]] | None = None
        self._by_name: dict[str, list[Position]] = {}
        self._stored_codes: list[str] = []

    @cached_property
    def readings(self) -> NumberReadings:
        """The stored positions' codes (as the import found them, not those it creates) by the
        number a spreadsheet reads each as: what a new position's code may have been (007 for
        7), from the one read of the positions. (Made on first use, by the widget the resource
        copied from its class, whose own codes it reads.)"""
        self._index()
        return NumberReadings(lambda: self._stored_codes, key=code_key)

    def _index(self) -> None:
        if self._by_code is not None:
            return
        self._by_code = {}
        for position in Position.objects.only("id", "code", "name", "name_zh"):
            self.remember(position)
            if position.code:
                self._stored_codes.append(position.code)

    def remember(self, position: Position) -> None:
        self._index()
        if position.code:
            self._by_code.setdefault(code_key(position.code), []).append(position)
        for name in {_name_key(position.name), _name_key(position.name_zh)} - {""}:
            self._by_name.setdefault(name, []).append(position)

    def lookup(self, text: str) -> Position | None:
        """The position `text` names, or None when it names none; ValueError when it names
        several."""
        self._index()
        found = self._by_code.get(code_key(text)) or self._by_name.get(_name_key(text)) or []
        if len(found) > 1:
            raise ValueError(
                gettext(
                    "“%(value)s” names several positions (%(positions)s): give the code of the "
                    "one meant (a position without one takes a code in the admin, Positions)."
                )
                % {
                    "value": shown(text),
                    "positions": join_long_items(
                        bracketed(position.name, position.code) if position.code else position.name
                        for position in found
                    ),
                }
            )
        return found[0] if found else None

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            raise ValueError(self.missing_message())
        position = self.lookup(text)
        if position is None:  # before_import_row creates it first: not reached on a valid row
            raise ValueError(gettext("Unknown position “%(value)s”.") % {"value": shown(text)})
        return position

    @staticmethod
    def missing_message() -> str:
        """What a blank position cell is told, as a blank key cell of any import is: what to
        give (_CachedLookupWidget.missing_message)."""
        return gettext("Give the position (its code or name).")

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value.code or value.name


class ImportanceWidget(widgets.Widget):
    """essential or optional, in the words the site reads (positions.selectors.importance_named:
    Essential, required, 核心, 必备; optional, nice to have, a plus, 可选, 优先); a blank cell is
    essential, as a requirement is unless something says otherwise."""

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return Importance.ESSENTIAL
        importance = importance_named(text)
        if importance is None:
            raise ValueError(
                gettext("Unknown importance “%(value)s”: give %(known)s.")
                % {
                    "value": shown(text),
                    "known": join_list(
                        bracketed(choice.value, str(choice.label)) for choice in Importance
                    ),
                }
            )
        return importance

    def render(self, value, obj=None, **kwargs):
        return value or ""


class RequirementResource(AbilityRowImport, resources.ModelResource):
    """Imports and exports positions' requirements, one a row, keyed by position and ability
    (REQUIREMENT_COLUMNS); an import is all or nothing. A requirement it creates or changes, and
    a position it creates, get provenance "import" and the file and line as their source, and the
    importing user in their history. Unchanged rows are skipped, so re-importing an export
    changes nothing."""

    owner_field = "position"
    position = fields.Field(attribute="position", column_name="position", widget=PositionWidget())
    # Read to create a position (never written to a stored one), and exported from it.
    position_name = fields.Field(
        attribute="position__name", column_name="position_name", readonly=True
    )
    position_name_zh = fields.Field(
        attribute="position__name_zh", column_name="position_name_zh", readonly=True
    )
    framework = fields.Field(
        attribute="ability__framework__identifier", column_name="framework", readonly=True
    )
    ability = fields.Field(attribute="ability", column_name="ability", widget=AbilityWidget())
    importance = fields.Field(
        attribute="importance", column_name="importance", widget=ImportanceWidget()
    )
    min_level = fields.Field(attribute="min_level", column_name="min_level", widget=LevelWidget())
    # Read with the ability (AbilityWidget), never written: the ability's own.
    ability_uri = fields.Field(attribute="ability__uri", column_name="ability_uri", readonly=True)
    ability_external_id = fields.Field(
        attribute="ability__external_id", column_name="ability_external_id", readonly=True
    )

    class Meta:
        model = Requirement
        fields = REQUIREMENT_COLUMNS
        import_order = REQUIREMENT_COLUMNS
        export_order = REQUIREMENT_COLUMNS
        import_id_fields = ("position", "ability")
        use_transactions = True
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    # The ability is looked up in the framework its row names; a position's names are read with
    # the position they name.
    reads_with = {
        "ability": ("framework", *PORTABLE_ABILITY_COLUMNS),
        "position": ("position_name", "position_name_zh"),
    }

    def get_queryset(self):
        return Requirement.objects.select_related("position", "ability__framework", "min_level")

    def get_export_queryset(self, *args, **kwargs):
        return (
            super()
            .get_export_queryset(*args, **kwargs)
            .select_related("position", "ability__framework", "min_level")
        )

    def import_data(self, dataset, *args, **kwargs):
        self.positions_created = 0
        return super().import_data(dataset, *args, **kwargs)

    def before_import(self, dataset, **kwargs):
        # Without a framework column each ability is found by its code alone (AbilityWidget).
        self.require_ability_columns(dataset, REQUIREMENT_REQUIRED, REQUIREMENT_COLUMNS)
        # The positions are read in bulk by PositionWidget.
        self.preload(dataset)

    def before_import_row(self, row, **kwargs):
        # Every problem of the row at once, each reference resolved up front so that it shows
        # as a problem of its line (LineNumberedImport.row_problems).
        errors = self.unreadable_cells(row)
        found = {}
        if "position" not in errors:
            position = self._position(row, errors, **kwargs)
            if position is not None:
                found["position"] = position
        # A file without the importance column leaves importances as they are.
        found |= self.clean_references(
            row, errors, ("ability", "importance", "min_level"), optional=("importance",)
        )
        self.add_pair_error(
            errors, found, owner="position", what=gettext("position and ability"), **kwargs
        )
        self._looked_up = {
            name for name in ("position", "ability", "min_level") if found.get(name) is not None
        }
        self.row_problems(errors)

    def _position(self, row, errors: dict, **kwargs) -> Position | None:
        """The position the row names, created when the site has none by that code or name;
        None, with the reason filed in `errors`, when there is none to read."""
        text = _text(row.get("position"))
        name = _text(row.get("position_name"))
        name_zh = _text(row.get("position_name_zh"))
        if not text:
            # The column is there (require_columns): its cell is blank.
            errors["position"] = ValidationError(
                self.fields["position"].widget.missing_message(), code="required"
            )
            return None
        widget = self.fields["position"].widget
        try:
            position = widget.lookup(text)
        except ValueError as error:
            errors["position"] = ValidationError(str(error), code="invalid")
            return None
        if position is not None:
            for column, given, stored in (
                ("position_name", name, position.name),
                ("position_name_zh", name_zh, position.name_zh),
            ):
                if given and column not in errors and _name_key(given) != _name_key(stored):
                    errors[column] = ValidationError(
                        gettext(
                            "Position “%(position)s” is named “%(stored)s”, not “%(given)s”: "
                            "rename it in the admin (Positions), or give its name as it is."
                        )
                        % {
                            "position": shown(text),
                            "stored": stored or "—",
                            "given": shown(given),
                        },
                        code="invalid",
                    )
            return position
        if {"position_name", "position_name_zh"} & set(errors):
            return None
        return self._create_position(text, name, name_zh, errors, **kwargs)

    def _create_position(
        self, text: str, name: str, name_zh: str, errors: dict, **kwargs
    ) -> Position | None:
        """A new position for a cell naming none: named `name` (and the cell its code) when the
        row gives one, else the cell. Written in the import's transaction (a dry run or a file
        with problems rolls it back), so that the file's later rows find it."""
        named_by_cell = not name or _name_key(name) == _name_key(text)
        position = Position(
            name=text if named_by_cell else name,
            code="" if named_by_cell else normalized_code(text),
            name_zh=name_zh,
            provenance=Provenance.IMPORT,
        )
        file_name = kwargs.get("file_name")
        if file_name and "row_number" in kwargs:
            line = self.line_of(kwargs["row_number"])
            position.source_ref = f"{file_name}, line {line}"[:255]
        columns = {
            "name": "position" if named_by_cell else "position_name",
            "code": "position",
            "name_zh": "position_name_zh",
        }
        try:
            position.full_clean()
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                column = columns.get(field_name, "position")
                errors[column] = ValidationError(join_sentences(messages), code="invalid")
            return None
        user = kwargs.get("user")
        if user is not None and user.is_authenticated:
            position._history_user = user
        position.save()
        widget = self.fields["position"].widget
        widget.remember(position)
        self.positions_created += 1
        if "row_number" in kwargs:
            self.warn_new_code(
                readings=widget.readings,
                code=text,
                message=gettext(
                    "No position has the code or name “%(value)s”: the import creates a new one."
                )
                % {"value": shown(text)},
                column="position",
                row_number=kwargs["row_number"],
            )
        return position

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        # Counted beside the requirements at every door (RequirementImport).
        result.more_counts = {"positions_created": self.positions_created}

    def before_save_instance(self, instance, row, **kwargs):
        instance.provenance = Provenance.IMPORT
        file_name = kwargs.get("file_name")
        if file_name and "row_number" in kwargs:
            line = self.line_of(kwargs["row_number"])
            instance.source_ref = f"{file_name}, line {line}"[:255]
        user = kwargs.get("user")
        if user is not None and user.is_authenticated:
            instance._history_user = user
