"""A synthetic catalogue of any size, for load and performance work (`manage.py generate_catalog`).

The shape is realistic rather than uniform: abilities, positions and courses belong to one of the
catalogue's tracks (career directions), most requirements and links stay inside their track, and
each programme takes its courses and target positions from its own track. Coverage is therefore
partial, as in a real catalogue, not near zero as it would be with uniform draws.

Everything is drawn from one `random.Random(seed)`, identifiers included, so one seed and one set
of counts always give the same catalogue. Rows are written with bulk_create in batches: no model
signals, no history rows, no per-row full_clean (the generator builds valid rows by construction,
and the database constraints still check them).
"""

from __future__ import annotations

import math
import random
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from certifications.models import Certification
from core.models import DegreeLevel, Provenance
from curricula.models import (
    Course,
    CourseAbility,
    CoverageState,
    Programme,
    ProgrammeCourse,
    ProgrammeCoverage,
    ProgrammeTarget,
)
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
)

# Every generated code starts with this, so generated rows are easy to find and never collide
# with the paper's or an import's.
PREFIX = "GEN"
BATCH_SIZE = 5000
# Share of requirements and links drawn from the row's own track; the rest from anywhere.
IN_TRACK = 0.8
# One ability in this many is a group heading the next ones hang from (ESCO-like hierarchy).
GROUP_EVERY = 10
AREA_COUNT = 5


@dataclass(frozen=True)
class CatalogueSize:
    """Exact row counts of a generated catalogue."""

    positions: int
    abilities: int
    requirements: int
    courses: int
    links: int
    programmes: int
    courses_per_programme: int
    targets_per_programme: int
    tracks: int = 10

    def problems(self) -> list[str]:
        """What makes these counts impossible to generate exactly (empty when they are fine)."""
        problems = []
        for name, value in asdict(self).items():
            if value < 0:
                problems.append(_("%(name)s must not be negative.") % {"name": name})
        if self.tracks < 1:
            problems.append(_("There must be at least one track."))
        if self.positions and self.requirements > self.positions * self.abilities:
            problems.append(_("More requirements than position-ability pairs."))
        if self.requirements and not self.positions:
            problems.append(_("Requirements need positions."))
        if self.courses and self.links > self.courses * self.abilities:
            problems.append(_("More links than course-ability pairs."))
        if self.links and not self.courses:
            problems.append(_("Links need courses."))
        if self.courses_per_programme > self.courses:
            problems.append(_("A programme cannot have more courses than the catalogue."))
        if self.targets_per_programme > self.positions:
            problems.append(_("A programme cannot target more positions than the catalogue."))
        return problems


PRESETS: dict[str, CatalogueSize] = {
    # The ESCO scale: ESCO's occupations and skills, a large university's catalogue.
    "esco": CatalogueSize(
        positions=3000,
        abilities=13900,
        requirements=126000,
        courses=5000,
        links=75000,
        programmes=300,
        courses_per_programme=40,
        targets_per_programme=10,
    ),
    "medium": CatalogueSize(
        positions=300,
        abilities=1400,
        requirements=12600,
        courses=500,
        links=7500,
        programmes=30,
        courses_per_programme=40,
        targets_per_programme=10,
    ),
    "small": CatalogueSize(
        positions=30,
        abilities=140,
        requirements=600,
        courses=50,
        links=500,
        programmes=6,
        courses_per_programme=12,
        targets_per_programme=4,
        tracks=3,
    ),
}


class CatalogueExists(Exception):
    """A generated catalogue is already in the database."""


def generated_catalogue_exists() -> bool:
    return Framework.objects.filter(provenance=Provenance.GENERATED).exists()


def _split(total: int, parts: int) -> list[int]:
    """`total` spread over `parts` as evenly as possible, summing exactly to `total`."""
    if parts == 0:
        return []
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _draw(
    rng: random.Random, count: int, own: list[int], everything: int, in_track: float
) -> list[int]:
    """`count` distinct indexes out of range(everything), about `in_track` of them from `own`."""
    wanted_own = min(len(own), round(count * in_track))
    chosen = rng.sample(own, wanted_own)
    taken = set(chosen)
    # Rejection sampling is cheap here: counts are small next to `everything`. Fall back to an
    # explicit pool when they are not (tiny catalogues), so the loop always ends.
    if count - wanted_own > (everything - len(taken)) // 2:
        pool = [i for i in range(everything) if i not in taken]
        chosen.extend(rng.sample(pool, count - wanted_own))
        return chosen
    while len(chosen) < count:
        pick = rng.randrange(everything)
        if pick not in taken:
            taken.add(pick)
            chosen.append(pick)
    return chosen


class _Generator:
    def __init__(self, *, size: CatalogueSize, seed: int, batch_size: int, progress) -> None:
        self.size = size
        self.seed = seed
        self.rng = random.Random(seed)
        self.batch_size = batch_size
        self.progress = progress
        self.levels = list(Level.objects.order_by("rank"))
        if not self.levels:
            raise CatalogueExists(_("No levels: run the migrations first."))

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def bulk(self, model, rows: Iterable, label: str) -> list:
        rows = list(rows)
        created = model.objects.bulk_create(rows, batch_size=self.batch_size)
        self.progress(label, len(created))
        return created

    def track_of(self, index: int, count: int) -> int:
        # Contiguous blocks, so each track owns a run of rows.
        return index * self.size.tracks // max(count, 1)

    def run(self) -> dict[str, int]:
        size, rng = self.size, self.rng
        tracks = self.bulk(
            Track,
            (
                Track(
                    name=f"{PREFIX} track {t + 1:02d}",
                    slug=f"gen-track-{t + 1:02d}",
                    order=1000 + t,
                    provenance=Provenance.GENERATED,
                )
                for t in range(size.tracks)
            ),
            "tracks",
        )
        areas = self.bulk(
            CompetencyArea,
            (
                CompetencyArea(
                    code=f"{PREFIX}-{chr(ord('A') + a)}",
                    name=f"{PREFIX} area {chr(ord('A') + a)}",
                    order=1000 + a,
                    provenance=Provenance.GENERATED,
                )
                for a in range(AREA_COUNT)
            ),
            "areas",
        )
        framework = Framework.objects.create(
            identifier=self.uuid(),
            name=_("Synthetic catalogue (seed %(seed)d)") % {"seed": self.seed},
            source="generate_catalog",
            version="1",
            provenance=Provenance.GENERATED,
            extra={"seed": self.seed, "size": asdict(size)},
        )
        ability_ids = self._abilities(framework, areas)
        ability_track = [self.track_of(i, len(ability_ids)) for i in range(len(ability_ids))]
        abilities_by_track = self._by_track(ability_track)

        positions = self.bulk(
            Position,
            (
                Position(
                    name=f"{PREFIX} position {p + 1:05d}",
                    code=f"{PREFIX}-P{p + 1:05d}",
                    order=p,
                    provenance=Provenance.GENERATED,
                )
                for p in range(size.positions)
            ),
            "positions",
        )
        position_track = [self.track_of(p, size.positions) for p in range(size.positions)]
        degrees = [DegreeLevel.BACHELOR, DegreeLevel.MASTER]
        self.bulk(
            Placement,
            (
                Placement(
                    position=position,
                    track=tracks[position_track[p]],
                    degree_level=degrees[p % 2],
                    title=position.name,
                    provenance=Provenance.GENERATED,
                )
                for p, position in enumerate(positions)
            ),
            "placements",
        )
        self._requirements(positions, position_track, ability_ids, abilities_by_track)

        courses = self.bulk(
            Course,
            (
                Course(
                    identifier=self.uuid(),
                    code=f"{PREFIX}-C{c + 1:05d}",
                    title=f"{PREFIX} course {c + 1:05d}",
                    credits=rng.choice((2, 3, 4)),
                    provenance=Provenance.GENERATED,
                )
                for c in range(size.courses)
            ),
            "courses",
        )
        course_track = [self.track_of(c, size.courses) for c in range(size.courses)]
        self._links(courses, course_track, ability_ids, abilities_by_track)
        self._programmes(tracks, positions, position_track, courses, course_track)
        return {
            "positions": len(positions),
            "abilities": len(ability_ids),
            "courses": len(courses),
            "programmes": size.programmes,
        }

    def _by_track(self, track_of_row: list[int]) -> list[list[int]]:
        by_track: list[list[int]] = [[] for _ in range(self.size.tracks)]
        for index, track in enumerate(track_of_row):
            by_track[track].append(index)
        return by_track

    def _abilities(self, framework: Framework, areas: list[CompetencyArea]) -> list[int]:
        count = self.size.abilities
        area_ids = [area.pk for area in areas]

        def ability(index: int, parent_id: int | None) -> Ability:
            track = self.track_of(index, count)
            return Ability(
                identifier=self.uuid(),
                framework=framework,
                area_id=area_ids[track % len(area_ids)],
                parent_id=parent_id,
                code=f"{PREFIX}-A{index + 1:05d}",
                text=f"Can apply synthetic skill {index + 1} of track {track + 1}.",
                short_name=f"skill {index + 1}",
                item_type="skill" if parent_id else "skill group",
                order=index,
                provenance=Provenance.GENERATED,
            )

        # Group headings first (their ids are the children's parents), then everything else.
        heads = list(range(0, count, GROUP_EVERY))
        head_rows = self.bulk(Ability, (ability(i, None) for i in heads), "abilities (groups)")
        ids: list[int] = [0] * count
        for index, row in zip(heads, head_rows, strict=True):
            ids[index] = row.pk
        rest = [i for i in range(count) if i % GROUP_EVERY]
        for start in range(0, len(rest), self.batch_size):
            chunk = rest[start : start + self.batch_size]
            rows = self.bulk(
                Ability,
                (ability(i, ids[i - i % GROUP_EVERY]) for i in chunk),
                "abilities",
            )
            for index, row in zip(chunk, rows, strict=True):
                ids[index] = row.pk
        return ids

    def _batched(self, model, rows: Iterable, label: str) -> None:
        batch: list = []
        for row in rows:
            batch.append(row)
            if len(batch) >= self.batch_size:
                self.bulk(model, batch, label)
                batch = []
        if batch:
            self.bulk(model, batch, label)

    def _requirements(self, positions, position_track, ability_ids, abilities_by_track) -> None:
        rng, levels = self.rng, self.levels
        # Positions ask mostly for the middle of the scale, as job ads do.
        level_weights = [1, 2, 1] if len(levels) == 3 else [1] * len(levels)

        def rows():
            for p, count in enumerate(_split(self.size.requirements, len(positions))):
                picks = _draw(
                    rng,
                    count,
                    abilities_by_track[position_track[p]],
                    len(ability_ids),
                    IN_TRACK,
                )
                for order, a in enumerate(picks):
                    yield Requirement(
                        position=positions[p],
                        ability_id=ability_ids[a],
                        importance=(
                            Importance.ESSENTIAL if rng.random() < 0.6 else Importance.OPTIONAL
                        ),
                        min_level=rng.choices(levels, level_weights)[0],
                        order=order,
                        provenance=Provenance.GENERATED,
                    )

        self._batched(Requirement, rows(), "requirements")

    def _links(self, courses, course_track, ability_ids, abilities_by_track) -> None:
        rng, levels = self.rng, self.levels

        def rows():
            for c, count in enumerate(_split(self.size.links, len(courses))):
                picks = _draw(
                    rng, count, abilities_by_track[course_track[c]], len(ability_ids), IN_TRACK
                )
                for a in picks:
                    yield CourseAbility(
                        course=courses[c],
                        ability_id=ability_ids[a],
                        # Levels spread evenly over the whole scale.
                        level=rng.choice(levels),
                        provenance=Provenance.GENERATED,
                    )

        self._batched(CourseAbility, rows(), "course-ability links")

    def _programmes(self, tracks, positions, position_track, courses, course_track) -> None:
        size, rng = self.size, self.rng
        if not size.programmes:
            return
        # One (certification, track) pair per programme, as in the paper's plan (the model allows
        # several since any programme may be entered; the generated catalogue keeps its shape, so
        # benchmark figures stay comparable): programmes cycle over the tracks.
        certification_count = math.ceil(size.programmes / size.tracks)
        certifications = self.bulk(
            Certification,
            (
                Certification(
                    name=f"{PREFIX} certification {k + 1:03d}",
                    degree_level=DegreeLevel.MASTER if k % 2 else DegreeLevel.BACHELOR,
                    order=1000 + k,
                    provenance=Provenance.GENERATED,
                )
                for k in range(certification_count)
            ),
            "certifications",
        )
        courses_by_track = self._by_track(course_track)
        positions_by_track = self._by_track(position_track)
        programmes, entries, targets = [], [], []
        for n in range(size.programmes):
            track = n % size.tracks
            programme = Programme(
                name=f"{PREFIX} programme {n + 1:04d}",
                certification=certifications[n // size.tracks],
                track=tracks[track],
                order=1000 + n,
                provenance=Provenance.GENERATED,
            )
            programmes.append(programme)
            picked_courses = _draw(
                rng, size.courses_per_programme, courses_by_track[track], len(courses), 1.0
            )
            picked_targets = _draw(
                rng, size.targets_per_programme, positions_by_track[track], len(positions), 1.0
            )
            entries.append(picked_courses)
            targets.append(picked_targets)
        programmes = self.bulk(Programme, programmes, "programmes")
        self._batched(
            ProgrammeCourse,
            (
                ProgrammeCourse(
                    programme=programme,
                    course=courses[c],
                    listed_as=courses[c].title,
                    order=order,
                    provenance=Provenance.GENERATED,
                )
                for programme, picked in zip(programmes, entries, strict=True)
                for order, c in enumerate(picked)
            ),
            "programme courses",
        )
        self._batched(
            ProgrammeTarget,
            (
                ProgrammeTarget(
                    programme=programme, position=positions[p], provenance=Provenance.GENERATED
                )
                for programme, picked in zip(programmes, targets, strict=True)
                for p in picked
            ),
            "programme targets",
        )
        # bulk_create sent no signals: give every programme its row, stale until recomputed.
        self.bulk(
            ProgrammeCoverage,
            (ProgrammeCoverage(programme=p, state=CoverageState.STALE) for p in programmes),
            "coverage rows",
        )


@transaction.atomic
def catalogue_generate(
    *,
    size: CatalogueSize,
    seed: int = 7,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
    """Write a synthetic catalogue of exactly `size` (all or nothing); returns the counts.

    Writes: tracks, areas, one framework with its abilities (a two-level tree), positions with one
    placement each, requirements, courses, links, certifications, programmes with their courses
    and targets, all with provenance `generated`, and one coverage row per programme, marked
    stale. Enqueues nothing: the reports stay stale until `recompute_coverage` (or the periodic
    sweep) builds them. Raises CatalogueExists when a generated catalogue is already present and
    ValueError when the counts cannot be met exactly.
    """
    problems = size.problems()
    if problems:
        raise ValueError(" ".join(problems))
    if generated_catalogue_exists():
        raise CatalogueExists(
            _("A generated catalogue is already in this database; use a fresh database.")
        )
    generator = _Generator(
        size=size, seed=seed, batch_size=batch_size, progress=progress or (lambda *_: None)
    )
    return generator.run()
