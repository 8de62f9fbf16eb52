"""Reading a course catalogue back from CASE: the package this provider publishes as the
*Course catalogue* (or any package imported with `--as courses`) becomes courses and the
course-ability links with their levels and notes, not abilities.

Registered with the CASE importer (positions.importers.case.register_package_reader) when the
app is ready, since positions may not import curricula. Writes like every importer: checked
first, then in the import's one transaction through RecordSync, so a record staff have edited is
kept and reported as a conflict, and an unedited one that matches is left alone.

CFItems are courses: humanCodingScheme -> code, fullStatement -> title, notes -> description,
extensions credits, module (by moduleCode, else by name) and trainingStage (likewise). An
isRelatedTo association from a course to an ability already here is a link: the level from
extensions.level (a level code), else extensions.levelRank; the note from extensions.note, else
notes. Other associations (the courses' isChildOf to the catalogue) say nothing to store. The
Chinese title and note come from extensions.translations (zh-Hans: fullStatement, notes), as the
provider publishes them, the teaching language from the item's language and the learning
outcomes from extensions.learningOutcomes (a list, one outcome a line); a package without
them leaves the stored ones alone. The Chinese names of the module and the training stage
(translations keyed `module` and `trainingStage`) are given to one that has none.
"""

from __future__ import annotations

import contextlib
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import CharField, Max, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _

from certifications.models import TrainingStage
from core.i18n import join_list
from core.identifiers import stable_uuid
from core.models import Provenance, TextKind, code_key, normalized_code, text_without_illegal
from core.spreadsheets import shown
from curricula.case import identifiers
from curricula.case.builders import LEARNING_OUTCOMES
from curricula.coverage.services import coverage_mark_stale_for_courses
from curricula.models import Course, CourseAbility, Module
from curricula.signals import courses_bulk_changed
from positions.case_identifiers import chinese_translation
from positions.importers.base import (
    ImportFailed,
    ImportReport,
    RecordSync,
    model_permissions,
    validate_fields,
)
from positions.importers.case import CaseImporter
from positions.models import Ability, Level

LINK = "isRelatedTo"


def _release_codes(existing: dict, codes_before: dict) -> None:
    """Give the courses taking another code a placeholder first: courses trading codes, or one
    taking the code of another that takes a third, would each take a code still held until the
    other's row is written, which the unique code refused. The new codes are written right
    after, in the same transaction; no history row records the placeholder."""
    moving = [
        course.pk
        for key, course in existing.items()
        if course.pk is not None and course.code != codes_before[key]
    ]
    if moving:
        # Codes are what people type, never starting with a control character (U+0001): the
        # placeholders collide with none.
        Course.objects.filter(pk__in=moving).update(
            code=Concat(Value("\x01"), Cast("pk", CharField()))
        )


def _node_identifier(assoc: dict, side: str) -> str:
    ref = assoc.get(f"{side}NodeURI")
    if isinstance(ref, dict) and ref.get("identifier"):
        return str(ref["identifier"])
    return str(assoc.get(f"{side}NodeIdentifier") or "")


def _extensions(obj: dict) -> dict:
    value = obj.get("extensions")
    return value if isinstance(value, dict) else {}


class CourseCatalogueReader:
    """positions.importers.case.PackageReader for course catalogues."""

    # What reading a catalogue creates and changes. Starting a CASE import takes the permissions
    # of a framework's records (positions.importers.import_permissions): which a package is, is
    # known only once it is read, so its job's user is asked for these here, as importing the
    # courses and links by hand would ask.
    writes = (Course, CourseAbility, Module, TrainingStage)

    def claims(self, package: dict, *, options: dict) -> bool:
        if options.get("as") == "courses":
            return True
        return package["doc"]["identifier"] == str(identifiers.course_catalogue_identifier())

    def _missing_permissions(self, options: dict) -> list[str]:
        """The permissions of `writes` that the user who started the import (its job's
        `user_id`) lacks; none for an import naming no user (the command line)."""
        user_id = options.get("user_id")
        if not user_id:
            return []
        needed = model_permissions(self.writes, ("add", "change"))
        user = get_user_model().objects.filter(pk=user_id).first()
        return [perm for perm in needed if user is None or not user.has_perm(perm)]

    def check(self, package: dict, *, importer: CaseImporter) -> None:
        """Each course's problem collected (importer.problems) at its CFItems index, and the
        next course checked: the catalogue is refused with all of them, as the package's own."""
        missing = self._missing_permissions(importer.options)
        if missing:
            raise ImportFailed(
                _("Starting this import takes the permissions it writes with; missing: %(perms)s.")
                % {"perms": join_list(missing)},
                where=f"{package['at']}CFDocument",
            )
        seen: set[str] = set()
        at = package["at"]
        problems = importer.problems
        sound = []
        for item in package["items"]:
            index = package["index"][item["identifier"]]
            found = problems.total
            with problems.gathered(line=index, file=f"{at}CFItems"):
                self._check_code(item.get("humanCodingScheme"), seen, where=f"{at}CFItems[{index}]")
            statement = item.get("fullStatement")
            # One without a statement is refused by the package's own checks.
            if problems.total == found and isinstance(statement, str) and statement.strip():
                sound.append(item)
        # The courses' field problems (a NUL in a title, credits past their digits), with the
        # codes': offered as `write` offers them, nothing written (no module or stage made),
        # warnings to a report of their own (`write` warns of the same). A course refused
        # already is left out, not said twice.
        scratch = ImportReport(
            format=importer.report.format,
            source=importer.report.source,
            tidies_text=importer.report.tidies_text,
        )
        self._offer_courses(
            {**package, "items": sound}, scratch, importer.source_name, checking=importer
        )

    @staticmethod
    def _check_code(code: Any, seen: set[str], *, where: str) -> None:
        if not isinstance(code, str) or not normalized_code(code):
            raise ImportFailed(_("a course needs its code in humanCodingScheme"), where=where)
        # As stored (core.models.CodeField): one code written two ways is one code, and
        # in any case (CaselessCodeField).
        code = normalized_code(code)
        if len(code) > 32:
            raise ImportFailed(
                _("the course code %(code)s is longer than 32 characters") % {"code": shown(code)},
                where=where,
            )
        if code_key(code) in seen:
            # A course's code is unique: the database refused the second, as an error
            # naming no item.
            raise ImportFailed(
                _("the course code %(code)s is given to two courses") % {"code": code},
                where=where,
            )
        seen.add(code_key(code))

    def write(self, package: dict, *, importer: CaseImporter) -> None:
        report, ref = importer.report, importer.source_name
        courses = self._write_courses(package, report, ref)
        links = self._write_links(package, courses, report, ref)
        changed = {
            course.pk
            for key, course in courses.objects.items()
            if courses.status[key] != "unchanged"
        }
        changed |= {
            link.course_id
            for key, link in links.objects.items()
            if links.status[key] != "unchanged"
        }
        if changed:
            coverage_mark_stale_for_courses(course_ids=changed)
        rewritten = {
            course.pk for key, course in courses.objects.items() if courses.status[key] == "updated"
        }
        created = {
            course.pk for key, course in courses.objects.items() if courses.status[key] == "created"
        }
        if rewritten or created:
            # Written in bulk: no post_save tells the suggestions their text changed, or that
            # a course is new (its text is new text).
            courses_bulk_changed.send(sender=Course, course_ids=rewritten, created_ids=created)
        importer.progress(1.0, "written")

    # --- courses ------------------------------------------------------------------------------
    def _write_courses(self, package: dict, report, ref: str) -> RecordSync:
        courses, existing, codes_before = self._offer_courses(package, report, ref)
        _release_codes(existing, codes_before)
        courses.flush()
        courses.finish()
        return courses

    def _offer_courses(
        self, package: dict, report, ref: str, *, checking: CaseImporter | None = None
    ) -> tuple[RecordSync, dict, dict]:
        """Each item's course offered (nothing flushed) and its fields checked (ImportFailed).
        `checking` (the importer: `check`), each course's problem is collected in its problems
        and the next course checked, and no module or training stage is made or named. Returns
        the courses, the courses already holding items and their codes before."""
        items, at = package["items"], package["at"]
        uuids = {item["identifier"]: stable_uuid(item["identifier"]) for item in items}
        codes = {normalized_code(item["humanCodingScheme"]) for item in items}
        by_identifier = {
            c.identifier: c for c in Course.objects.filter(identifier__in=uuids.values())
        }
        by_code = {code_key(c.code): c for c in Course.objects.filter(code__in=codes)}
        modules = _Lookup(Module.objects.all())
        stages = _Lookup(TrainingStage.objects.all())
        existing = {}
        for item in items:
            key = uuids[item["identifier"]]
            found = by_identifier.get(key)
            if found is None:
                # A course of the same code is the same course under another identifier,
                # unless the catalogue names that course by its own identifier too (it moved
                # to another code, and this one is a new course).
                found = by_code.get(code_key(item["humanCodingScheme"]))
                if found is not None and found.identifier in by_identifier:
                    found = None
            if found is not None:
                existing[key] = found
        codes_before = {key: course.code for key, course in existing.items()}
        courses = RecordSync(
            kind="course",
            model=Course,
            fields=[],
            existing=existing,
            report=report,
            source_ref=ref,
        )
        for item in items:
            index = package["index"][item["identifier"]]
            where = f"{at}CFItems[{index}]"
            gathered = (
                checking.problems.gathered(line=index, file=f"{at}CFItems")
                if checking is not None
                else contextlib.nullcontext()
            )
            with gathered:
                values = self._course_values(
                    item, modules, stages, report, where, make=checking is None
                )
                key = uuids[item["identifier"]]
                if key not in existing:
                    values["identifier"] = key
                elif code_key(values["code"]) == code_key(codes_before[key]):
                    # The same code in another case (CaselessCodeField): kept as first given.
                    values["code"] = codes_before[key]
                course = courses.offer(key, values, where=where)
                validate_fields(course, where=where, exclude=["module", "stage"])
        return courses, existing, codes_before

    def _course_values(
        self, item: dict, modules, stages, report, where: str, *, make: bool = True
    ) -> dict[str, Any]:
        """The course's columns. Without `make` (checking), a module or training stage the
        catalogue names and this site lacks is not made, nor given its Chinese name."""
        ext = _extensions(item)
        credits = ext.get("credits")
        try:
            credits = None if credits in (None, "") else Decimal(str(credits))
        except InvalidOperation:
            report.warn(
                where, _("credits %(value)r is not a number: left empty") % {"value": credits}
            )
            credits = None
        chinese = chinese_translation(ext)
        module = modules.find(ext.get("moduleCode"), ext.get("module"))
        if not make:
            module = None
        elif module is None and (ext.get("moduleCode") or ext.get("module")):
            module = modules.create(
                code=str(ext.get("moduleCode") or ext.get("module"))[:32],
                name=str(ext.get("module") or ext.get("moduleCode"))[:128],
            )
        if module is not None:
            modules.fill_chinese_name(module, chinese.get("module"), where=where)
        stage = stages.find(ext.get("trainingStageCode"), ext.get("trainingStage"))
        if not make:
            stage = None
        elif stage is None and (ext.get("trainingStageCode") or ext.get("trainingStage")):
            stage = stages.create(
                code=str(ext.get("trainingStageCode") or ext.get("trainingStage"))[:32],
                name=str(ext.get("trainingStage") or ext.get("trainingStageCode"))[:128],
            )
        if stage is not None:
            stages.fill_chinese_name(stage, chinese.get("trainingStage"), where=where)
        values = {
            "code": normalized_code(item["humanCodingScheme"]),
            "title": item["fullStatement"].strip()[:255],
            "description": str(item.get("notes") or ""),
            "credits": credits,
            "module_id": module.pk if module else None,
            "stage_id": stage.pk if stage else None,
        }
        if "fullStatement" in chinese:
            values["title_zh"] = chinese["fullStatement"].strip()[:255]
        # As the Chinese title: only a package that gives them says what they are.
        if isinstance(item.get("language"), str) and item["language"].strip():
            values["language"] = item["language"].strip()[:16]
        outcomes = ext.get(LEARNING_OUTCOMES)
        if isinstance(outcomes, list):
            values["outcomes"] = "\n".join(
                line.strip() for line in outcomes if isinstance(line, str) and line.strip()
            )
        return values

    # --- links --------------------------------------------------------------------------------
    def _write_links(self, package: dict, courses: RecordSync, report, ref: str) -> RecordSync:
        at = package["at"]
        course_by_item = {
            item["identifier"]: courses.objects[stable_uuid(item["identifier"])]
            for item in package["items"]
        }
        wanted = [
            (i, assoc)
            for i, assoc in enumerate(package["assocs"])
            if assoc["associationType"] == LINK
            and _node_identifier(assoc, "origin") in course_by_item
        ]
        ability_ids = dict(
            Ability.objects.filter(
                identifier__in={stable_uuid(_node_identifier(a, "destination")) for _i, a in wanted}
            ).values_list("identifier", "pk")
        )
        levels = {level.code: level for level in Level.objects.all()}
        by_rank = {level.rank: level for level in levels.values()}
        pairs = {
            (
                course_by_item[_node_identifier(a, "origin")].pk,
                ability_ids.get(stable_uuid(_node_identifier(a, "destination"))),
            )
            for _i, a in wanted
        }
        existing = {
            (link.course_id, link.ability_id): link
            for link in CourseAbility.objects.filter(course_id__in={course for course, _a in pairs})
            if (link.course_id, link.ability_id) in pairs
        }
        links = RecordSync(
            kind="link",
            model=CourseAbility,
            fields=[],
            existing=existing,
            report=report,
            source_ref=ref,
        )
        for i, assoc in wanted:
            where = f"{at}CFAssociations[{i}]"
            course = course_by_item[_node_identifier(assoc, "origin")]
            destination = _node_identifier(assoc, "destination")
            ability_id = ability_ids.get(stable_uuid(destination))
            if ability_id is None:
                report.skip(
                    where,
                    _("no ability here has the identifier %(id)s: import its framework first")
                    % {"id": shown(destination)},
                    group=_("link to an ability that is not here"),
                )
                continue
            ext = _extensions(assoc)
            level = levels.get(str(ext.get("level") or "")) or by_rank.get(ext.get("levelRank"))
            if level is None:
                report.skip(
                    where,
                    _("the link names no level this site has (extensions.level %(level)r)")
                    % {"level": ext.get("level")},
                    group=_("link without a known level"),
                )
                continue
            note = ext.get("note") if isinstance(ext.get("note"), str) else assoc.get("notes")
            key = (course.pk, ability_id)
            if key in links.status:
                report.skip(
                    where,
                    _("a second link between the same course and ability"),
                    group=_("link appears twice"),
                )
                continue
            values = {
                "course_id": course.pk,
                "ability_id": ability_id,
                "level_id": level.pk,
                "note": str(note or ""),
            }
            chinese = chinese_translation(ext)
            if "notes" in chinese:
                values["note_zh"] = chinese["notes"]
            links.offer(key, values, where=where)
        links.flush()
        links.finish()
        return links


class _Lookup:
    """Modules or training stages by code, else by name (case-insensitive)."""

    def __init__(self, queryset):
        self.model = queryset.model
        # A module's or stage's code is one code in any case (CaselessCodeField).
        self.by_code = {code_key(row.code): row for row in queryset}
        self.by_name = {row.name.casefold(): row for row in self.by_code.values()}

    def find(self, code: Any, name: Any):
        if isinstance(code, str) and code_key(code) in self.by_code:
            return self.by_code[code_key(code)]
        if isinstance(name, str):
            return self.by_name.get(name.casefold())
        return None

    def create(self, *, code: str, name: str):
        """A module or stage the catalogue names and this site lacks (a fresh database); a new
        stage goes last in the progression."""
        extra = {}
        if self.model is TrainingStage:
            last = TrainingStage.objects.aggregate(last=Max("order"))["last"]
            extra["order"] = (last or 0) + 1
        row = self.model.objects.create(code=code, name=name, provenance=Provenance.IMPORT, **extra)
        self.by_code[code_key(code)] = row
        self.by_name[name.casefold()] = row
        return row

    def fill_chinese_name(self, row, name_zh: Any, *, where: str) -> None:
        """Give a module or stage the Chinese name the catalogue names it by
        (extensions.translations, keyed `module` or `trainingStage`) when it has none: one made
        just now, or by an import of a package without it. A Chinese name stored here is never
        overwritten, as the English name is not; a package without one says nothing of it."""
        if row.name_zh or not isinstance(name_zh, str):
            return
        # Someone else's text, tidied as the names an import writes are (a BEL left out).
        name_zh = " ".join(text_without_illegal(name_zh, kind=TextKind.NAME).split())
        if not name_zh:
            return
        row.name_zh = name_zh[: self.model._meta.get_field("name_zh").max_length]
        validate_fields(row, where=where)
        row.save(update_fields=["name_zh", "updated_at"])
