"""Writes the paper's records (and the editorial starter mapping) into the database.

Every record is found by its natural key and then created, updated to the paper's text, left alone
because it already matches, or kept because staff edited it (its provenance is no longer the
loader's). So a second run writes nothing, and a staff edit survives any number of runs.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from certifications.models import Certification, TrainingStage
from core.identifiers import stable_uuid
from core.models import DegreeLevel, Provenance
from curricula.models import (
    CertificationCourse,
    Course,
    CourseAbility,
    Module,
    Programme,
    ProgrammeCourse,
    ProgrammeTarget,
)
from curricula.paper import data, data_zh
from curricula.paper.starter import starter_links
from positions.models import (
    Ability,
    CompetencyArea,
    Framework,
    Importance,
    Level,
    Placement,
    Position,
    Requirement,
    Track,
    TrackAlias,
)
from positions.selectors import levels_listed

CREATED, UPDATED, UNCHANGED, KEPT = "created", "updated", "unchanged", "kept"
OUTCOMES = (CREATED, UPDATED, UNCHANGED, KEPT)
STARTER_SOURCE_REF = "Editorial starter mapping"
# Stored in source references, so English whatever language the command runs in.
DEGREE_LABELS = {DegreeLevel.BACHELOR: "Bachelor", DegreeLevel.MASTER: "Master"}

M = TypeVar("M", bound=models.Model)


class PaperLoadError(Exception):
    """The paper could not be loaded; the message says which record and why."""


@dataclass
class LoadReport:
    """What a load did, per model: counts of created, updated, unchanged and kept records."""

    skipped: bool = False
    # Why `if_empty` skipped: the paper's framework is there, or other records are (counted here).
    paper_present: bool = False
    found: dict[type[models.Model], int] = field(default_factory=dict)
    include_starter: bool = True
    counts: dict[type[models.Model], Counter] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)

    def add(self, model: type[models.Model], outcome: str) -> None:
        self.counts.setdefault(model, Counter())[outcome] += 1

    def count(self, model: type[models.Model], outcome: str) -> int:
        return self.counts.get(model, Counter())[outcome]

    def total(self, outcome: str) -> int:
        return sum(counter[outcome] for counter in self.counts.values())

    @property
    def changed(self) -> bool:
        return bool(self.total(CREATED) or self.total(UPDATED))


def paper_framework_exists() -> bool:
    """Whether the paper's framework is in the database (so the paper was loaded before)."""
    return Framework.objects.filter(identifier=data.FRAMEWORK_IDENTIFIER).exists()


# A database holding any of these is somebody's catalogue (the paper's or a university's own):
# `if_empty` loads nothing into it. Levels and the like come with the migrations and do not count.
CATALOGUE_MODELS: tuple[type[models.Model], ...] = (Framework, Position, Course, Programme)


def catalogue_found() -> dict[type[models.Model], int]:
    """How many records of each catalogue model the database holds (only those it holds)."""
    counts = {model: model.objects.count() for model in CATALOGUE_MODELS}
    return {model: count for model, count in counts.items() if count}


def paper_uuid(kind: str, code: str) -> uuid.UUID:
    """An identifier derived from the framework's, so every install gives a record the same one."""
    return stable_uuid(f"{kind}:{code}", namespace=data.FRAMEWORK_IDENTIFIER)


@transaction.atomic
def paper_load(*, include_starter: bool = True, if_empty: bool = False) -> LoadReport:
    """Load the paper's Tables I-III and Section III-IV records, then the starter mapping.

    Chinese names, descriptions (of certifications, programmes, positions, areas and stages) and
    starter notes (`data_zh` and the starter file's `note_zh`, an editorial translation) are
    stored beside the paper's own.
    Writes frameworks, areas, tracks and aliases, positions, abilities, requirements, placements,
    certifications, training stages, modules, courses, programmes with their courses and targets
    (provenance "paper"), and unless `include_starter` is false the editorial course-ability links
    (provenance "starter"), each saved through `full_clean()` so model signals (history, coverage
    staleness) fire as for any edit. A record whose provenance is no longer the loader's was edited
    by staff and is kept untouched; a starter link is created only where no link exists for its
    course and ability. With `if_empty`, nothing is written unless the database is empty: no
    framework, position, course or programme at all (the paper's or a university's own).
    All in one transaction: a failure leaves the database as it was and raises PaperLoadError.
    """
    report = LoadReport(include_starter=include_starter)
    if if_empty:
        found = catalogue_found()
        if found:
            report.skipped = True
            report.paper_present = paper_framework_exists()
            report.found = found
            return report
    loader = _Loader(report)
    loader.load_paper()
    if include_starter:
        loader.load_starter()
    return report


class _Loader:
    def __init__(self, report: LoadReport) -> None:
        self.report = report
        self.framework: Framework | None = None
        self.areas: dict[str, CompetencyArea] = {}
        self.tracks: dict[str, Track] = {}
        self.positions: dict[str, Position] = {}
        self.abilities: dict[str, Ability] = {}
        self.certifications: dict[str, Certification] = {}
        self.modules: dict[str, Module] = {}
        self.stages: dict[str, TrainingStage] = {}
        self.courses: dict[str, Course] = {}

    # -- the generic step ---------------------------------------------------------------------

    def upsert(
        self,
        model: type[M],
        *,
        find: list[Q],
        fields: dict[str, Any],
        provenance: str = Provenance.PAPER,
        create_only: dict[str, Any] | None = None,
    ) -> M:
        """Find by the first matching natural key, then create, update, leave or keep the record."""
        obj = None
        for condition in find:
            obj = model.objects.filter(condition).order_by("pk").first()
            if obj is not None:
                break
        if obj is None:
            obj = model(**fields, **(create_only or {}), provenance=provenance)
            self._save(obj)
            self.report.add(model, CREATED)
            return obj
        if obj.provenance != provenance:
            self.report.add(model, KEPT)
            self.report.kept.append(f"{model._meta.verbose_name}: {obj}")
            return obj
        changed = [name for name, value in fields.items() if _differs(obj, name, value)]
        if not changed:
            self.report.add(model, UNCHANGED)
            return obj
        for name in changed:
            setattr(obj, name, fields[name])
        self._save(obj)
        self.report.add(model, UPDATED)
        return obj

    @staticmethod
    def _save(obj: models.Model) -> None:
        # full_clean() minus one query per foreign key: the loader hands every relation a saved
        # instance it has just found or created, so checking each one exists again only costs time.
        foreign_keys = [f.name for f in obj._meta.concrete_fields if f.is_relation]
        try:
            obj.clean_fields(exclude=foreign_keys)
            obj.clean()
            obj.validate_unique()
            obj.validate_constraints()
        except ValidationError as error:
            raise PaperLoadError(
                _("%(model)s “%(record)s” cannot be saved: %(errors)s")
                % {
                    "model": obj._meta.verbose_name,
                    "record": obj,
                    "errors": "; ".join(error.messages),
                }
            ) from error
        obj.save()

    # -- the paper ------------------------------------------------------------------------------

    def load_paper(self) -> None:
        self.load_framework()
        self.load_tracks()
        self.load_positions()
        self.load_placements()
        self.load_certifications()
        self.load_modules_and_stages()
        self.load_courses()
        self.load_programmes()

    def load_framework(self) -> None:
        self.framework = self.upsert(
            Framework,
            find=[Q(identifier=data.FRAMEWORK_IDENTIFIER)],
            fields={
                "identifier": data.FRAMEWORK_IDENTIFIER,
                **data.FRAMEWORK,
                "name_zh": data_zh.FRAMEWORK_NAME,
            },
        )
        for order, (code, name, description, source_ref) in enumerate(data.AREAS, start=1):
            self.areas[code] = self.upsert(
                CompetencyArea,
                find=[Q(code=code)],
                fields={
                    "code": code,
                    "name": name,
                    "name_zh": data_zh.AREAS[code],
                    "description": description,
                    "description_zh": data_zh.AREA_DESCRIPTIONS[code],
                    "order": order,
                    "source_ref": source_ref,
                },
            )

    def load_tracks(self) -> None:
        for order, track in enumerate(data.TRACKS, start=1):
            aliases = track["aliases"]
            description = "Table I: a type of cross-border e-commerce positions."
            if aliases:
                description += " Also called " + ", ".join(
                    f"“{alias}” ({where})" for alias, where in aliases
                )
                description += "."
            self.tracks[track["name"]] = obj = self.upsert(
                Track,
                # A staff rename keeps the slug: find by it rather than create a clashing twin.
                find=[Q(name=track["name"]), Q(slug=track["slug"])],
                fields={
                    "name": track["name"],
                    "name_zh": data_zh.TRACKS[track["name"]],
                    "slug": track["slug"],
                    "order": order,
                    "description": description,
                    "source_ref": track["source_ref"],
                },
            )
            for alias, where in aliases:
                self.upsert(
                    TrackAlias,
                    find=[Q(name__iexact=alias)],
                    fields={
                        "track": obj,
                        "name": alias,
                        "name_zh": data_zh.TRACK_ALIASES[alias],
                        "source_ref": where,
                    },
                )

    def load_positions(self) -> None:
        level_m = self.level("M")
        ability_order = 0
        for number, name, statements in data.POSITIONS:
            position = self.position(
                number=number,
                name=name,
                description="",
                description_zh="",
                source_ref=f"Table II, position {number}",
            )
            for k, (text, area_code) in enumerate(statements, start=1):
                ability_order += 1
                code = f"P{number:02d}.{k}"
                ability = self.upsert(
                    Ability,
                    find=[Q(framework=self.framework, code=code)],
                    fields={
                        "framework": self.framework,
                        "code": code,
                        "text": text,
                        "text_zh": data_zh.STATEMENTS[code],
                        "area": self.areas[area_code],
                        "order": ability_order,
                        "source_ref": (
                            f"Table II, position {number}, statement {k}; "
                            "area editorial (Table II gives no area)"
                        ),
                    },
                    create_only={"identifier": paper_uuid("ability", code)},
                )
                self.abilities[code] = ability
                self.upsert(
                    Requirement,
                    find=[Q(position=position, ability=ability)],
                    fields={
                        "position": position,
                        "ability": ability,
                        # Table II ranks none of a position's "requirements" above another,
                        # and gives no depth: both are our reading (every one essential, each
                        # to be mastered), not the paper's, and the reference says so.
                        "importance": Importance.ESSENTIAL,
                        "min_level": level_m,
                        "order": k,
                        "source_ref": (
                            f"Table II, position {number}, statement {k}; "
                            "importance and level editorial (Table II gives neither)"
                        ),
                    },
                )
        for number, name, source_ref, description in data.TABLE_I_ONLY_POSITIONS:
            self.position(
                number=number,
                name=name,
                description=description,
                description_zh=data_zh.POSITION_DESCRIPTIONS[name],
                source_ref=source_ref,
            )

    def position(
        self, *, number: int, name: str, description: str, description_zh: str, source_ref: str
    ) -> Position:
        code = f"P{number:02d}"
        # Positions from other sources may share a name, so the paper's are found by name and
        # provenance; a staff-edited one (provenance "edit") still carries the paper's code.
        self.positions[name] = position = self.upsert(
            Position,
            find=[
                Q(name=name, provenance=Provenance.PAPER),
                Q(code=code, provenance=Provenance.EDIT),
            ],
            fields={
                "name": name,
                "name_zh": data_zh.POSITIONS[name],
                "code": code,
                "order": number,
                "description": description,
                "description_zh": description_zh,
                "source_ref": source_ref,
            },
        )
        return position

    def load_placements(self) -> None:
        for track_name, degree, titles in data.PLACEMENTS:
            track = self.tracks[track_name]
            for order, (title, position_name) in enumerate(titles, start=1):
                position = self.positions[position_name]
                self.upsert(
                    Placement,
                    find=[Q(track=track, degree_level=degree, position=position)],
                    fields={
                        "position": position,
                        "track": track,
                        "degree_level": degree,
                        "title": title,
                        "order": order,
                        "source_ref": (
                            f"Table I, {track_name}, {DEGREE_LABELS[degree]}, title {order}"
                        ),
                    },
                )

    def load_certifications(self) -> None:
        for row, (name, degree, order, description) in enumerate(data.CERTIFICATIONS, start=1):
            self.certifications[name] = self.upsert(
                Certification,
                find=[Q(name=name)],
                fields={
                    "name": name,
                    "name_zh": data_zh.CERTIFICATIONS[name],
                    "degree_level": degree,
                    "order": order,
                    "description": description,
                    "description_zh": data_zh.CERTIFICATION_DESCRIPTIONS[name],
                    "source_ref": f"Table III, certification {row}",
                },
            )

    def load_modules_and_stages(self) -> None:
        for order, (code, name) in enumerate(data.MODULES, start=1):
            self.modules[code] = self.upsert(
                Module,
                find=[Q(code=code)],
                fields={
                    "code": code,
                    "name": name,
                    "name_zh": data_zh.MODULES[code],
                    "order": order,
                    "source_ref": "Section IV A; code editorial",
                },
            )
        for order, (code, name) in enumerate(data.STAGES, start=1):
            self.stages[code] = self.upsert(
                TrainingStage,
                # The order is unique too: a stage whose code staff changed is found by its place.
                find=[Q(code=code), Q(order=order)],
                fields={
                    "code": code,
                    "name": name,
                    "name_zh": data_zh.STAGES[code],
                    "order": order,
                    "description": (
                        f"Step {order} of the progressive five-in-one model: "
                        f"{data.FIVE_IN_ONE_QUOTE}."
                    ),
                    "description_zh": data_zh.STAGE_DESCRIPTION.format(order=order),
                    "source_ref": f"Section IV A, five-in-one model, step {order}",
                },
            )

    def load_courses(self) -> None:
        first_listed = {}
        for certification, direction, listed in data.PROGRAMMES:
            degree = DEGREE_LABELS[self._degree_of(certification)]
            for position, text in enumerate(listed, start=1):
                first_listed.setdefault(
                    text.casefold(), f"{degree}, {direction}, course {position}"
                )
        for code, title, module_code, stage_code in data.COURSES:
            where = first_listed[title.casefold()]
            self.courses[title.casefold()] = self.upsert(
                Course,
                find=[Q(code=code)],
                fields={
                    "code": code,
                    "title": title,
                    "title_zh": data_zh.COURSES[code],
                    "credits": None,
                    "module": self.modules[module_code],
                    "stage": self.stages[stage_code] if stage_code else None,
                    "source_ref": (
                        f"Table III (first listed: {where}); code, module and stage editorial"
                    ),
                },
                create_only={"identifier": paper_uuid("course", code)},
            )

    def load_programmes(self) -> None:
        targets_by_track_degree: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for track_name, degree, titles in data.PLACEMENTS:
            targets_by_track_degree[(track_name, degree)] = titles
        for order, (cert_name, direction, listed) in enumerate(data.PROGRAMMES, start=1):
            certification = self.certifications[cert_name]
            track_name = self.resolve_track_name(direction)
            track = self.tracks[track_name]
            degree = self._degree_of(cert_name)
            degree_label = DEGREE_LABELS[degree]
            name = f"{cert_name} — {direction}"
            where = f"Table III, {cert_name} ({degree_label}), {direction}"
            # By name, then by the place the loader gave it (a paper programme staff renamed):
            # never by certification and track alone, which other programmes may share.
            programme = self.upsert(
                Programme,
                find=[
                    Q(name=name),
                    Q(certification=certification, track=track, source_ref=where),
                ],
                fields={
                    "name": name,
                    "name_zh": (
                        f"{data_zh.CERTIFICATIONS[cert_name]} — {data_zh.DIRECTIONS[direction]}"
                    ),
                    "certification": certification,
                    "track": track,
                    "order": order,
                    "description": f"{where}: the courses of this career direction.",
                    "description_zh": data_zh.PROGRAMME_DESCRIPTION.format(
                        certification=data_zh.CERTIFICATIONS[cert_name],
                        degree=data_zh.DEGREES[degree],
                        direction=data_zh.DIRECTIONS[direction],
                    ),
                    "source_ref": where,
                },
            )
            for position, text in enumerate(listed, start=1):
                course = self.courses[text.casefold()]
                # The certification's own list (double certification), and the programme's.
                self.upsert(
                    CertificationCourse,
                    find=[Q(certification=certification, track=track, course=course)],
                    fields={
                        "certification": certification,
                        "track": track,
                        "course": course,
                        "listed_as": text,
                        "order": position,
                        "source_ref": f"{where}, course {position}",
                    },
                )
                self.upsert(
                    ProgrammeCourse,
                    find=[Q(programme=programme, course=course)],
                    fields={
                        "programme": programme,
                        "course": course,
                        "listed_as": text,
                        "order": position,
                        "source_ref": f"{where}, course {position}",
                    },
                )
            # Table I is the crosswalk: a programme prepares for what Table I lists under its
            # track at its certification's degree.
            for title, position_name in targets_by_track_degree[(track_name, degree)]:
                position = self.positions[position_name]
                self.upsert(
                    ProgrammeTarget,
                    find=[Q(programme=programme, position=position)],
                    fields={
                        "programme": programme,
                        "position": position,
                        "source_ref": f"Table I, {track_name}, {degree_label}: “{title}”",
                    },
                )

    @staticmethod
    def resolve_track_name(label: str) -> str:
        """Table III names tracks in its own words; the aliases say which Table I type is meant.

        Resolved from the data rather than the database, so a track staff renamed still resolves.
        """
        names = {}
        for track in data.TRACKS:
            names[track["name"].casefold()] = track["name"]
            names.update({alias.casefold(): track["name"] for alias, _where in track["aliases"]})
        try:
            return names[label.casefold()]
        except KeyError as error:
            raise PaperLoadError(
                _("No track or track alias is called “%(label)s”.") % {"label": label}
            ) from error

    # -- the starter mapping ----------------------------------------------------------------------

    def load_starter(self) -> None:
        levels = {code: self.level(code) for code in ("I", "R", "M")}
        by_code = {course.code: course for course in self.courses.values()}
        try:
            links = starter_links()
        except ValueError as error:
            raise PaperLoadError(str(error)) from error
        for course_code, ability_code, level_code, note, note_zh in links:
            try:
                course, ability = by_code[course_code], self.abilities[ability_code]
            except KeyError as error:
                raise PaperLoadError(
                    _("The starter mapping names an unknown course or ability: %(key)s")
                    % {"key": error.args[0]}
                ) from error
            self.upsert(
                CourseAbility,
                # Any link for the pair, whatever its provenance, wins over the starter's.
                find=[Q(course=course, ability=ability)],
                fields={
                    "course": course,
                    "ability": ability,
                    "level": levels[level_code],
                    "note": note,
                    "note_zh": note_zh,
                    "source_ref": STARTER_SOURCE_REF,
                },
                provenance=Provenance.STARTER,
            )

    # -- helpers -------------------------------------------------------------------------------

    @staticmethod
    def level(code: str) -> Level:
        try:
            return Level.objects.get(code=code)
        except Level.DoesNotExist as error:
            levels = list(Level.objects.all())
            if not levels:
                raise PaperLoadError(
                    _(
                        "Level “%(code)s” is missing: there are no levels; run the migrations, "
                        "which create the default scale."
                    )
                    % {"code": code}
                ) from error
            # Levels are data: a site's own scale (1 to 3, or four levels) is named as it is.
            raise PaperLoadError(
                _(
                    "Level “%(code)s” is missing: the paper's mapping is written in the levels "
                    "I, R and M, and this site's levels are %(levels)s."
                )
                % {"code": code, "levels": levels_listed(levels)}
            ) from error

    @staticmethod
    def _degree_of(certification_name: str) -> str:
        return next(
            degree for name, degree, *_rest in data.CERTIFICATIONS if name == certification_name
        )


def _differs(obj: models.Model, name: str, value: Any) -> bool:
    if isinstance(value, models.Model):
        return getattr(obj, obj._meta.get_field(name).attname) != value.pk
    return getattr(obj, name) != value
