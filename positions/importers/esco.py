"""ESCO CSV download (a folder or a zip): occupations -> positions, skills -> abilities of one ESCO
framework per language, occupation-skill relations -> requirements (essential / optional).

Relations files come in two header variants: v1.1 (occupationUri, relationType, skillType,
skillUri) and v1.2 (adds occupationLabel and skillLabel). Relations are streamed in batches, twice
(check, then write), so memory stays bounded by the number of concepts, not of relations.
"""

from __future__ import annotations

import contextlib
import csv
import re
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.i18n import join_sentences
from core.limits import at_line
from core.models import uri_runs_content, validate_uri
from core.spreadsheets import shown
from positions.importers.base import (
    Importer,
    ImportFailed,
    Problems,
    RecordSync,
    keys_as_stored,
    read_header,
    read_rows,
    remove_dropped,
    require_columns,
    validate_fields,
)
from positions.models import (
    Ability,
    AbilityRelation,
    Framework,
    Importance,
    Level,
    Position,
    RelationType,
    Requirement,
)

OCCUPATIONS = r"occupations_([a-z]{2,3}(?:-[a-z]+)?)\.csv"
SKILLS = r"skills_([a-z]{2,3}(?:-[a-z]+)?)\.csv"
RELATIONS = r"occupationSkillRelations(?:_([a-z]{2,3}(?:-[a-z]+)?))?\.csv"
# Optional: the skills pillar's hierarchy. A narrower skill under a broader skill becomes an
# isPartOf relation (the children rule of crosswalk-aware coverage reads it); rows whose broader
# concept is a skill group (not a skill) are left out.
BROADER = r"broaderRelationsSkillPillar(?:_([a-z]{2,3}(?:-[a-z]+)?))?\.csv"
REQUIRED = {
    "occupations": {"conceptUri", "preferredLabel"},
    "skills": {"conceptUri", "preferredLabel"},
    "relations": {"occupationUri", "relationType", "skillUri"},
}
IMPORTANCE = {"essential": Importance.ESSENTIAL, "optional": Importance.OPTIONAL}


def _labels(raw: str) -> list[str]:
    # ESCO separates alternative labels with newlines inside one CSV cell.
    return [label.strip() for label in raw.splitlines() if label.strip()]


def _script_uri_message(uri: str) -> str:
    """Why the `uri` column refuses `uri` (a javascript: one), in its own words."""
    try:
        validate_uri(uri)
    except ValidationError as error:
        return join_sentences(error.messages)
    return ""


class EscoImporter(Importer):
    # AbilityRelation: the broader skills file's isPartOf relations.
    writes = (Framework, Ability, Position, Requirement, AbilityRelation)
    removes = (Requirement, AbilityRelation)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.batch_size = int(self.options.get("batch_size") or 2000)
        self.min_level_code = str(self.options.get("min_level") or "M")
        self.files: dict[str, str] = {}
        self.occupations: dict[str, tuple[int, dict[str, str]]] = {}
        self.skills: dict[str, tuple[int, dict[str, str]]] = {}
        # Concepts given with their URI and no preferredLabel (not yet translated into the
        # download's language: ESCO v1.0's en-us download has 13 such skills), by kind, URI ->
        # line: skipped, with the relations naming them. The records an earlier import wrote of
        # them (URI -> pk, retired abilities left out) are kept as they were.
        self.unlabelled: dict[str, dict[str, int]] = {"occupations": {}, "skills": {}}
        self.kept: dict[str, dict[str, int]] = {"occupations": {}, "skills": {}}
        self.relation_count = 0
        self.relations_apart = False
        self.requirements_listed: set[tuple[int, int]] = set()
        # Every row's problems in the three files, said together (Problems): an integrator
        # mends a file of thousands of rows in one go, not one run a problem.
        self.problems = Problems()

    def validate(self) -> None:
        # Each file as the English download names it: a refusal names the file, not the
        # pattern that finds it in any language.
        for kind, pattern, example in (
            ("occupations", OCCUPATIONS, "occupations_en.csv"),
            ("skills", SKILLS, "skills_en.csv"),
            ("relations", RELATIONS, "occupationSkillRelations_en.csv"),
        ):
            name = self.source.find(pattern)
            if name is None and kind == "relations":
                # ESCO 1.0 and 1.1 give each language's concepts in one download and the
                # relations, the same in every language, in another without a language: its
                # English zip alone was refused asking for what it is.
                raise ImportFailed(
                    _(
                        "no occupationSkillRelations_en.csv in the source: ESCO 1.0 and 1.1 "
                        "publish the occupation-skill relations apart, as "
                        "occupationSkillRelations.csv in their download without a language; "
                        "unpack both downloads into one folder (or zip) and import that"
                    )
                )
            if name is None:
                raise ImportFailed(
                    _(
                        "no %(file)s in the source: give ESCO's CSV download (a zip or a "
                        "folder), in any of its languages"
                    )
                    % {"file": example}
                )
            self.files[kind] = name
            with self.source.open_text(name) as stream:
                header = set(read_header(stream, name=name))
            require_columns(header, REQUIRED[kind], name=name)
            if kind == "relations":
                self.report.details["relations_header"] = (
                    "v1.2" if {"occupationLabel", "skillLabel"} <= header else "v1.1"
                )
        match = re.search(r"_([a-z]{2,3}(?:-[a-z]+)?)\.csv$", self.files["skills"], re.IGNORECASE)
        self.language = match.group(1).lower() if match else "en"
        self.problems = Problems(
            files=[self.files[kind] for kind in ("occupations", "skills", "relations")]
        )
        version = re.search(r"v(\d+\.\d+(?:\.\d+)?)", self.source_name)
        self.version = version.group(1) if version else ""
        if not Level.objects.filter(code=self.min_level_code).exists():
            raise ImportFailed(
                _("minimum level %(code)s does not exist") % {"code": self.min_level_code}
            )
        self.occupations = self._read_concepts("occupations")
        self.progress(0.1, "occupations read")
        self.skills = self._read_concepts("skills")
        self._refuse_skills_held_elsewhere()
        self._skip_unlabelled()
        self.progress(0.2, "skills read")
        name = self.files["relations"]
        # ESCO 1.0 and 1.1 publish the relations apart from each language's concepts, in one
        # language-independent file (occupationSkillRelations.csv): it may name a concept that
        # one language's files lack (v1.1.1's names an occupation occupations_en.csv does not
        # have, 67 times), which refused ESCO's own download whole. Those rows are skipped and
        # reported; a relations file named for its language comes in one download with its
        # concepts, and an unknown concept there is still a broken file.
        self.relations_apart = (
            re.fullmatch(RELATIONS, name.split("/")[-1], re.IGNORECASE)[1] is None
        )
        outside = unlabelled = 0
        with self._reading(name), self.source.open_text(name) as stream:
            for line, row in read_rows(stream, name=name, problems=self.problems):
                where = at_line(line, file=name)
                self.relation_count += 1
                without_label = self._unlabelled_concepts(row)
                if without_label:
                    unlabelled += 1
                    self.report.skip(
                        where,
                        " ".join(without_label),
                        group=_("relation to a concept without a label in this language"),
                    )
                    continue
                unknown = self._unknown_concepts(row)
                if unknown and self.relations_apart:
                    outside += 1
                    self.report.skip(
                        where,
                        " ".join(unknown),
                        group=_("relation to a concept this language's files lack"),
                    )
                    unknown = []
                for message in [*unknown, *self._relation_type_problems(row)]:
                    self.problems.add(message, where=where, line=line, file=name)
        self.report.details["relations_in_file"] = self.relation_count
        if outside:
            self.report.details["relations_outside_the_concepts"] = outside
        if unlabelled:
            self.report.details["relations_to_concepts_without_label"] = unlabelled
        self._read_broader()
        if self.problems:
            # The rows' field problems too (text no database stores, too long for its
            # column), with nothing written: every problem of the files in one refusal.
            self._check_fields()
        self.problems.raise_any()
        self.progress(0.3, "relations checked")

    def _refuse_skills_held_elsewhere(self) -> None:
        """Refuse skills another framework holds already: ESCO's download in a second language
        (the same concept URIs, so the same ability identifiers) met the first in the database
        as a bare unique-constraint error, and going on would have had each occupation require
        every skill once a language, and renamed it in the last."""
        own = self._framework_identifier()
        identifiers = [uuid.uuid5(uuid.NAMESPACE_URL, uri) for uri in self.skills]
        for start in range(0, len(identifiers), 1000):
            held = (
                Ability.objects.filter(identifier__in=identifiers[start : start + 1000])
                .exclude(framework__identifier=own)
                .select_related("framework")
                .first()
            )
            if held is None:
                continue
            raise ImportFailed(
                _(
                    "these skills are abilities of the framework “%(framework)s” already "
                    "(language %(language)s), and a site holds ESCO's skills in one language: "
                    "import ESCO's download in that language, or delete that framework first"
                )
                % {"framework": held.framework.name, "language": held.framework.language or "-"},
                where=self.files["skills"],
            )

    def _skip_unlabelled(self) -> None:
        """Report each concept without a label in the download's language, at its line, and
        find the records an earlier import wrote of them, which are kept as they were: ESCO
        still lists the concept, only its translation is missing, so the ability is neither
        blanked nor retired, and neither are its requirements and broader links."""
        language = self.language
        kept = self.kept
        skills = self.unlabelled["skills"]
        if skills:
            kept["skills"] = dict(
                Ability.objects.filter(
                    framework__identifier=self._framework_identifier(),
                    external_id__in=keys_as_stored(skills),
                    retired=False,
                ).values_list("external_id", "pk")
            )
        occupations = self.unlabelled["occupations"]
        if occupations:
            kept["occupations"] = dict(
                Position.objects.filter(external_id__in=keys_as_stored(occupations)).values_list(
                    "external_id", "pk"
                )
            )
        for kind, concepts in self.unlabelled.items():
            name = self.files[kind]
            for uri, line in concepts.items():
                values = {"uri": shown(uri), "language": language}
                if kind == "skills" and uri[:255] in kept["skills"]:
                    message = _(
                        "skill %(uri)s has no preferredLabel in this language (%(language)s), "
                        "not translated yet: the ability imported before is kept as it was, "
                        "with its requirements"
                    )
                elif kind == "skills":
                    message = _(
                        "skill %(uri)s has no preferredLabel in this language (%(language)s), "
                        "not translated yet: skipped, with the relations naming it"
                    )
                elif uri in kept["occupations"]:
                    message = _(
                        "occupation %(uri)s has no preferredLabel in this language "
                        "(%(language)s), not translated yet: the position imported before is "
                        "kept as it was, with its requirements"
                    )
                else:
                    message = _(
                        "occupation %(uri)s has no preferredLabel in this language "
                        "(%(language)s), not translated yet: skipped, with the relations "
                        "naming it"
                    )
                where = at_line(line, file=name)
                self.report.skip(
                    where, message % values, group=_("concept without a label in this language")
                )
                self.report.warn(where, message % values)
        total = len(skills) + len(occupations)
        if total:
            self.report.details["concepts_without_label"] = total

    def _unlabelled_concepts(self, row: dict[str, str]) -> list[str]:
        """The relation row's occupation and skill that have no label in this language."""
        said = []
        if row["occupationUri"].strip() in self.unlabelled["occupations"]:
            said.append(
                _("occupation %(uri)s has no label in this language")
                % {"uri": shown(row["occupationUri"])}
            )
        if row["skillUri"].strip() in self.unlabelled["skills"]:
            said.append(
                _("skill %(uri)s has no label in this language") % {"uri": shown(row["skillUri"])}
            )
        return said

    def _read_broader(self) -> None:
        """The optional broaderRelationsSkillPillar file, read as the others are: a missing
        column or a row it cannot read is a problem of the file, said with theirs."""
        name = self.source.find(BROADER)
        if name is None:
            return
        self.files["broader"] = name
        self.problems.files.append(name)
        with self._reading(name), self.source.open_text(name) as stream:
            header = read_header(stream, name=name)
        found = self.problems.total
        with self.problems.gathered(line=1, file=name):
            require_columns(header, {"conceptUri", "broaderUri"}, name=name)
        if self.problems.total > found:
            return
        with self._reading(name), self.source.open_text(name) as stream:
            for _row in read_rows(stream, name=name, problems=self.problems):
                pass

    def _check_fields(self) -> None:
        """Each occupation's and skill's field problems collected (self.problems), as `write`
        checks them, for a file refused already: nothing is written."""
        framework = Framework.objects.filter(identifier=self._framework_identifier()).first()
        self._offer_positions()
        self._offer_abilities(framework)

    @contextlib.contextmanager
    def _reading(self, name: str) -> Iterator[None]:
        """A file that cannot be read on (not UTF-8, a broken quote) stops the import at once,
        with the problems found before it."""
        try:
            yield
        except ImportFailed as failure:
            self.problems.add_failure(failure, file=name)
            self.problems.raise_any()

    def _read_concepts(self, kind: str) -> dict[str, tuple[int, dict[str, str]]]:
        name = self.files[kind]
        concepts: dict[str, tuple[int, dict[str, str]]] = {}
        unlabelled = self.unlabelled[kind]
        with self._reading(name), self.source.open_text(name) as stream:
            for line, row in read_rows(stream, name=name, problems=self.problems):
                uri = row["conceptUri"].strip()
                if not uri:
                    self.problems.add(
                        _("conceptUri and preferredLabel are required"),
                        where=at_line(line, file=name),
                        line=line,
                        file=name,
                    )
                    continue
                if uri_runs_content(uri):
                    # The `uri` the concept becomes is not checked whole for each of ESCO's rows;
                    # a javascript: one, which a reader would run, is refused as validate_uri
                    # refuses it. Kept, refused already: a relation naming it is no second
                    # problem.
                    self.problems.add(
                        f"conceptUri: {_script_uri_message(uri)}",
                        where=at_line(line, file=name),
                        line=line,
                        file=name,
                    )
                if uri in concepts or uri in unlabelled:
                    other = concepts[uri][0] if uri in concepts else unlabelled[uri]
                    self.report.skip(
                        at_line(line, file=name),
                        _("%(uri)s already on line %(other)d")
                        % {"uri": shown(uri), "other": other},
                        group=_("concept listed twice"),
                    )
                    continue
                if not row["preferredLabel"].strip():
                    # Not translated into this language yet (ESCO's own download): skipped,
                    # reported by _skip_unlabelled. A concept without its URI is still refused.
                    unlabelled[uri] = line
                    continue
                concepts[uri] = (line, row)
        return concepts

    def _relation_problems(self, row: dict[str, str]) -> list[str]:
        """What is wrong with a relation row: an unknown concept or relation type, each."""
        return [*self._unknown_concepts(row), *self._relation_type_problems(row)]

    def _unknown_concepts(self, row: dict[str, str]) -> list[str]:
        """The relation row's occupation and skill the concept files lack, each said."""
        problems = []
        if row["occupationUri"].strip() not in self.occupations:
            problems.append(
                _("occupation %(uri)s is not in the occupations file (unknown reference)")
                % {"uri": shown(row["occupationUri"])}
            )
        if row["skillUri"].strip() not in self.skills:
            problems.append(
                _("skill %(uri)s is not in the skills file (unknown reference)")
                % {"uri": shown(row["skillUri"])}
            )
        return problems

    @staticmethod
    def _relation_type_problems(row: dict[str, str]) -> list[str]:
        if row["relationType"].strip().lower() in IMPORTANCE:
            return []
        return [
            _("relation type %(type)r is neither essential nor optional")
            % {"type": shown(row["relationType"])}
        ]

    def _relations(self) -> Iterator[tuple[int, dict[str, str]]]:
        """The relation rows, checked by `validate` already (a row it refused aborts here); a
        row of relations published apart naming a concept the files lack was reported skipped
        there and is left out."""
        name = self.files["relations"]
        kept_skills = self.kept["skills"]
        with self.source.open_text(name) as stream:
            for line, row in read_rows(stream, name=name):
                if self._unlabelled_concepts(row):
                    # Skipped (reported in validate). The file still lists the requirement of
                    # an ability kept as it was: it is not removed as one the release dropped.
                    position = self.occupations.get(row["occupationUri"].strip())
                    ability = kept_skills.get(row["skillUri"].strip()[:255])
                    if position is not None and ability is not None:
                        self.requirements_listed.add((position, ability))  # type: ignore[arg-type]
                    continue
                if self.relations_apart and self._unknown_concepts(row):
                    continue
                for message in self._relation_problems(row):
                    raise ImportFailed(message, where=at_line(line, file=name))
                yield line, row

    # --- writing ------------------------------------------------------------------------------
    def write(self) -> tuple[set[int], set[int]]:
        framework = self._write_framework()
        positions = self._offer_positions()
        abilities = self._offer_abilities(framework)
        # Every occupation's and skill's field problems together, before any is written.
        self.problems.raise_any()
        position_pk = self._flush_positions(positions)
        self.progress(0.4, "positions written")
        ability_pk, ability_ids = self._flush_abilities(abilities)
        # Abilities of skills without a label in this language are kept as they were, not
        # retired as abilities the release no longer lists.
        self.report.abilities_seen.update(self.kept["skills"].values())
        self.progress(0.5, "abilities written")
        # Only the URIs are needed from here on; let the parsed rows go.
        self.occupations, self.skills = position_pk, ability_pk  # type: ignore[assignment]
        position_ids = self._write_requirements(position_pk, ability_pk)
        position_ids |= self._remove_dropped_requirements(framework, position_pk)
        self._write_broader(framework, ability_pk)
        return ability_ids, position_ids

    def _remove_dropped_requirements(
        self, framework: Framework, position_pk: dict[str, int]
    ) -> set[int]:
        """An occupation's skills are those this version's relations give it: a requirement
        on an ESCO skill an earlier import wrote and this one no longer lists is removed (kept,
        it was still required in every coverage report). Only for the occupations the file
        lists; requirements staff made or edited stay. Returns the positions it changed."""
        removed = remove_dropped(
            kind="requirement",
            records=Requirement.objects.filter(
                position_id__in=list(position_pk.values()), ability__framework=framework
            ),
            listed=self.requirements_listed,
            key=("position_id", "ability_id"),
            report=self.report,
        )
        return {row["position_id"] for row in removed}

    def _write_broader(self, framework: Framework, ability_pk: dict[str, int]) -> None:
        """The optional broaderRelationsSkillPillar file: narrower isPartOf broader, for each row
        whose two concepts are skills of this import."""
        # Its columns and rows were checked with the other files' (validate).
        name = self.files.get("broader")
        if name is None:
            return
        pairs: dict[uuid.UUID, tuple[int, int, int]] = {}
        # Links of an ability kept as it was (its skill without a label in this language) that
        # the file still lists: skipped, and not removed as links the release dropped.
        still_listed: set[uuid.UUID] = set()
        unlabelled = self.unlabelled["skills"]
        kept = self.kept["skills"]
        outside = without_label = 0
        with self.source.open_text(name) as stream:
            for line, row in read_rows(stream, name=name):
                ends = (row["conceptUri"].strip(), row["broaderUri"].strip())
                key = uuid.uuid5(uuid.NAMESPACE_URL, f"esco-broader:{ends[0]}|{ends[1]}")
                named = [uri for uri in ends if uri in unlabelled]
                if named:
                    without_label += 1
                    self.report.skip(
                        at_line(line, file=name),
                        " ".join(
                            _("skill %(uri)s has no label in this language") % {"uri": shown(uri)}
                            for uri in named
                        ),
                        group=_("relation to a concept without a label in this language"),
                    )
                    if all(uri in ability_pk or uri[:255] in kept for uri in ends):
                        still_listed.add(key)
                    continue
                narrower = ability_pk.get(ends[0])
                broader = ability_pk.get(ends[1])
                if narrower is None or broader is None or narrower == broader:
                    outside += 1
                    continue
                pairs.setdefault(key, (line, narrower, broader))
        existing = {r.identifier: r for r in AbilityRelation.objects.filter(identifier__in=pairs)}
        relations = RecordSync(
            kind="relation",
            model=AbilityRelation,
            fields=[],
            existing=existing,
            report=self.report,
            source_ref=f"{self.source_name}: {name}",
        )
        for key, (line, narrower, broader) in pairs.items():
            relations.offer(
                key,
                {
                    "identifier": key,
                    "framework_id": framework.pk,
                    "source_id": narrower,
                    "target_id": broader,
                    "relation_type": RelationType.IS_PART_OF,
                },
                where=at_line(line, file=name),
            )
        relations.flush(batch_size=self.batch_size)
        relations.finish()
        # A skill this version no longer puts under a broader one is not part of it any more.
        removed = remove_dropped(
            kind="relation",
            records=AbilityRelation.objects.filter(
                framework=framework, relation_type=RelationType.IS_PART_OF
            ),
            listed=set(pairs) | still_listed,
            key=("identifier",),
            report=self.report,
            ends=("source_id", "target_id"),
        )
        for row in removed:
            self.report.relation_ends.update({row["source_id"], row["target_id"]} - {None})
        self.report.details["broader_outside_the_skills"] = outside
        if without_label:
            self.report.details["broader_to_concepts_without_label"] = without_label

    def _framework_identifier(self) -> uuid.UUID:
        return uuid.uuid5(uuid.NAMESPACE_URL, f"http://data.europa.eu/esco/skill#{self.language}")

    def _write_framework(self) -> Framework:
        identifier = self._framework_identifier()
        frameworks = self.framework_sync(identifier)
        values: dict[str, Any] = {
            "identifier": identifier,
            "name": f"ESCO skills ({self.language})",
            "source": "ESCO",
            "uri": "http://data.europa.eu/esco/concept-scheme/skills",
            "language": self.language,
            "external_id": "http://data.europa.eu/esco/concept-scheme/skills",
        }
        if self.version:
            values["version"] = self.version
        framework = frameworks.offer(identifier, values, where=self.files["skills"])
        frameworks.flush()
        frameworks.finish()
        self.report.frameworks.append(framework.pk)
        return framework

    def _offer_positions(self) -> RecordSync:
        """Each occupation's position offered (nothing flushed); a row's field problem is
        collected (self.problems) and the next row checked."""
        name = self.files["occupations"]
        existing = {
            p.external_id: p
            for p in Position.objects.filter(external_id__in=keys_as_stored(self.occupations))
        }
        positions = RecordSync(
            kind="position",
            model=Position,
            fields=[],
            existing=existing,
            report=self.report,
            source_ref=f"{self.source_name}: {name}",
        )
        for uri, (line, row) in self.occupations.items():
            extra = {
                k: v
                for k, v in {
                    "altLabels": _labels(row.get("altLabels", "")),
                    "hiddenLabels": _labels(row.get("hiddenLabels", "")),
                    "iscoGroup": row.get("iscoGroup", ""),
                    # v1.2's NACE code (the economic activity), kept as the ISCO group is.
                    "naceCode": (row.get("naceCode") or "").strip(),
                    "status": row.get("status", ""),
                }.items()
                if v
            }
            where = at_line(line, file=name)
            with self.problems.gathered(line=line, file=name):
                self._offer_position(positions, uri, row, extra, where)
        return positions

    @staticmethod
    def _offer_position(
        positions: RecordSync, uri: str, row: dict[str, str], extra: dict, where: str
    ) -> None:
        obj = positions.offer(
            uri,
            {
                "name": row["preferredLabel"].strip()[:255],
                "description": row.get("description", "") or row.get("definition", ""),
                "uri": uri if len(uri) <= 500 else "",
                "external_id": uri,
                # The occupation's own code (ESCO's `code`, "5321.1"), never its ISCO group:
                # every occupation of a group shares that, and a position is found by its code
                # (the requirement import). The group stays in `extra`.
                "code": (row.get("code") or "").strip()[:64],
                "extra": extra,
            },
            where=where,
        )
        validate_fields(obj, where=where, exclude=["uri"])

    def _flush_positions(self, positions: RecordSync) -> dict[str, int]:
        positions.flush(
            batch_size=self.batch_size, progress=self.writing(0.3, 0.4, "writing positions")
        )
        positions.finish()
        return {uri: obj.pk for uri, obj in positions.objects.items()}

    def _offer_abilities(self, framework: Framework | None) -> RecordSync:
        """Each skill's ability offered (nothing flushed); a row's field problem is collected
        (self.problems) and the next row checked. Without `framework` (only checking, before
        the framework is written), as abilities of a framework not yet made."""
        name = self.files["skills"]
        existing = (
            {
                a.external_id: a
                for a in Ability.objects.filter(framework=framework).exclude(external_id="")
            }
            if framework is not None
            else {}
        )
        abilities = RecordSync(
            kind="ability",
            model=Ability,
            fields=[],
            existing=existing,
            report=self.report,
            source_ref=f"{self.source_name}: {name}",
        )
        for order, (uri, (line, row)) in enumerate(self.skills.items()):
            label = row["preferredLabel"].strip()
            extra = {
                k: v
                for k, v in {
                    "altLabels": _labels(row.get("altLabels", "")),
                    "reuseLevel": row.get("reuseLevel", ""),
                    "status": row.get("status", ""),
                }.items()
                if v
            }
            values = {
                "identifier": uuid.uuid5(uuid.NAMESPACE_URL, uri),
                "framework_id": framework.pk if framework is not None else None,
                # The label is the skill's statement ("manage online shops"); the
                # description explains it, as CASE's fullStatement and notes do.
                "text": label,
                "short_name": label[:255],
                "description": row.get("description", "").strip(),
                "alt_labels": "\n".join(_labels(row.get("altLabels", ""))),
                "language": self.language[:16],
                "item_type": row.get("skillType", "")[:128],
                "uri": uri if len(uri) <= 500 else "",
                "external_id": uri[:255],
                # ESCO lists its skills by URI: a release adding skills moves the others down
                # the file, which is no change of theirs (v1.1.0 to v1.1.1 "updated" 10,512
                # abilities, 944 of them changed). A skill keeps its order; a new one takes
                # its place in the file.
                "order": existing[uri[:255]].order if uri[:255] in existing else order,
                "extra": extra,
            }
            where = at_line(line, file=name)
            with self.problems.gathered(line=line, file=name):
                obj = abilities.offer(uri, values, where=where)
                validate_fields(obj, where=where, exclude=["framework", "parent", "area", "uri"])
        return abilities

    def _flush_abilities(self, abilities: RecordSync) -> tuple[dict[str, int], set[int]]:
        abilities.flush(
            batch_size=self.batch_size, progress=self.writing(0.4, 0.5, "writing abilities")
        )
        abilities.finish()
        return {uri: obj.pk for uri, obj in abilities.objects.items()}, abilities.changed_pks()

    def _write_requirements(
        self, position_pk: dict[str, int], ability_pk: dict[str, int]
    ) -> set[int]:
        level = Level.objects.get(code=self.min_level_code)
        name = self.files["relations"]
        # (position, ability) of every relation read: what the file still requires.
        seen = self.requirements_listed
        changed_positions: set[int] = set()
        batch: list[tuple[int, tuple[int, int], str]] = []
        done = 0

        def flush_batch() -> None:
            keys = [key for _line, key, _imp in batch]
            existing = {
                (r.position_id, r.ability_id): r
                for r in Requirement.objects.filter(
                    position_id__in={k[0] for k in keys}, ability_id__in={k[1] for k in keys}
                )
            }
            requirements = RecordSync(
                kind="requirement",
                model=Requirement,
                fields=[],
                existing=existing,
                report=self.report,
                source_ref=f"{self.source_name}: {name}",
            )
            for line, key, importance in batch:
                requirements.offer(
                    key,
                    {
                        "position_id": key[0],
                        "ability_id": key[1],
                        "importance": importance,
                        "min_level_id": level.pk,
                    },
                    where=at_line(line, file=name),
                )
            requirements.flush(batch_size=self.batch_size)
            requirements.finish()
            changed_positions.update(
                key[0] for key, s in requirements.status.items() if s in ("created", "updated")
            )
            batch.clear()

        for line, row in self._relations():
            key = (position_pk[row["occupationUri"].strip()], ability_pk[row["skillUri"].strip()])
            if key in seen:
                self.report.skip(
                    at_line(line, file=name),
                    _("the same occupation and skill again"),
                    group=_("relation listed twice"),
                )
                continue
            seen.add(key)
            batch.append((line, key, IMPORTANCE[row["relationType"].strip().lower()]))
            if len(batch) >= self.batch_size:
                done += len(batch)
                flush_batch()
                self.progress(0.5 + 0.5 * done / max(self.relation_count, 1), "requirements")
        if batch:
            flush_batch()
        return changed_positions


# The v1.2 columns of ESCO's CSV download, in its order.
ESCO_COLUMNS = {
    "occupations_en.csv": [
        "conceptType",
        "conceptUri",
        "iscoGroup",
        "preferredLabel",
        "altLabels",
        "status",
        "description",
    ],
    "skills_en.csv": [
        "conceptType",
        "conceptUri",
        "skillType",
        "reuseLevel",
        "preferredLabel",
        "altLabels",
        "status",
        "description",
    ],
    "occupationSkillRelations_en.csv": [
        "occupationUri",
        "occupationLabel",
        "relationType",
        "skillType",
        "skillUri",
        "skillLabel",
    ],
}


def esco_csv_write(
    folder: Path,
    *,
    occupations: Iterable[dict[str, str]],
    skills: Iterable[dict[str, str]],
    relations: Iterable[dict[str, str]],
) -> None:
    """Write an ESCO v1.2 trio (rows as dicts by column; missing columns are left empty), e.g.
    to test or benchmark this importer on data of any size without ESCO's own files."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (
        ("occupations_en.csv", occupations),
        ("skills_en.csv", skills),
        ("occupationSkillRelations_en.csv", relations),
    ):
        with open(folder / name, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=ESCO_COLUMNS[name], restval="")
            writer.writeheader()
            writer.writerows(rows)
