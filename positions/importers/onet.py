"""O*NET database text files (tab-separated): "Occupation Data.txt" -> positions, the elements of
"Skills.txt", "Knowledge.txt" and "Abilities.txt" -> abilities of one O*NET framework, and each
occupation's importance (IM) and level (LV) ratings -> a requirement carrying both scores. The
Excel release of the same database (the same files as .xlsx workbooks, one sheet each, with the
same columns and a few more) is read alike.

importance: essential when IM >= 3.0 (on O*NET's 1-5 scale), else optional.
min level from LV (0-7): below 3.0 -> I (Introduced), 3.0 to below 5.0 -> R (Reinforced),
5.0 and above -> M (Mastered). O*NET anchors its level scales near 2 (basic), 4 (intermediate) and
6 (advanced), so each of our levels takes one anchor. Ratings marked "Not Relevant" are skipped;
a score marked "Recommend Suppress" (O*NET's low precision flag) is left out, as if not given.
"""

from __future__ import annotations

import contextlib
import csv
import io
import uuid
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.i18n import join_list, join_sentences
from core.limits import at_line
from core.spreadsheets import shown, spreadsheet_dataset
from positions.importers.base import (
    Importer,
    ImportFailed,
    Problems,
    RecordSync,
    read_header,
    read_rows,
    remove_dropped,
    require_columns,
    validate_fields,
)
from positions.models import Ability, Framework, Importance, Level, Position, Requirement

# Each file of the text release (.txt) or of the Excel release (.xlsx); of both, the text one.
OCCUPATION_FILE = r"Occupation Data\.(?:txt|xlsx)"
ELEMENT_FILES = [
    (r"Skills\.(?:txt|xlsx)", "Skill"),
    (r"Knowledge\.(?:txt|xlsx)", "Knowledge"),
    (r"Abilities\.(?:txt|xlsx)", "Ability"),
]
SOC = "O*NET-SOC Code"
ELEMENT_COLUMNS = {SOC, "Element ID", "Element Name", "Scale ID", "Data Value"}
# Optional: the element descriptions ("Element ID", "Element Name", "Description").
CONTENT_MODEL_FILE = r"Content Model Reference\.(?:txt|xlsx)"
ESSENTIAL_FROM = Decimal("3.0")
FRAMEWORK_ID = "https://www.onetcenter.org/content.html"


def level_for(score: Decimal | None, default: str) -> str:
    """Map an O*NET LV score (0-7) onto I/R/M; see the module docstring."""
    if score is None:
        return default
    if score < Decimal("3.0"):
        return "I"
    if score < Decimal("5.0"):
        return "R"
    return "M"


def _decimal(value: str, *, low: Decimal, high: Decimal, where: str) -> Decimal:
    try:
        number = Decimal(value.strip())
    except InvalidOperation as exc:
        raise ImportFailed(
            _("Data Value %(v)r is not a number") % {"v": value}, where=where
        ) from exc
    if not number.is_finite():  # NaN, Infinity: Decimal reads them, no comparison can
        raise ImportFailed(_("Data Value %(v)r is not a number") % {"v": value}, where=where)
    if not low <= number <= high:
        raise ImportFailed(
            _("Data Value %(v)s is outside %(low)s-%(high)s")
            % {"v": number, "low": low, "high": high},
            where=where,
        )
    return number.quantize(Decimal("0.01"))


class OnetImporter(Importer):
    writes = (Framework, Ability, Position, Requirement)
    removes = (Requirement,)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.batch_size = int(self.options.get("batch_size") or 2000)
        self.default_level = str(self.options.get("min_level") or "M")
        self.occupations: dict[str, tuple[int, dict[str, str]]] = {}
        # id -> (name, item type, where, and the line and file it is first named on)
        self.elements: dict[str, tuple[str, str, str, int, str]] = {}
        self.occupation_file = ""
        self.ratings: dict[tuple[str, str], dict] = {}
        self.descriptions: dict[str, str] = {}  # element id -> its Content Model description
        self.sheets: dict[str, str] = {}  # an Excel release's workbook, as tab-separated text
        # Every row's problems in the files, said together (Problems): an integrator mends the
        # files in one go, not one run a problem.
        self.problems = Problems()

    def validate(self) -> None:
        name = self.source.find(OCCUPATION_FILE)
        if name is None:
            raise ImportFailed(
                _(
                    'no "Occupation Data.txt" (or "Occupation Data.xlsx", the Excel release) '
                    "in the source"
                )
            )
        with self._open_text(name) as stream:
            header = set(read_header(stream, name=name, delimiter="\t"))
        if not {SOC, "Title"} <= header:
            raise ImportFailed(
                _("missing columns O*NET-SOC Code / Title"), where=at_line(1, file=name)
            )
        element_files = [
            (element_file, item_type)
            for pattern, item_type in ELEMENT_FILES
            if (element_file := self.source.find(pattern)) is not None
        ]
        self.problems = Problems(
            files=[name, *(element_file for element_file, _t in element_files)]
        )
        problems = self.problems
        self.occupation_file = name
        with self._reading(name), self._open_text(name) as stream:
            for line, row in read_rows(stream, name=name, delimiter="\t", problems=problems):
                code = row[SOC].strip()
                if not code or not row["Title"].strip():
                    problems.add(
                        _("a code and a title are required"),
                        where=at_line(line, file=name),
                        line=line,
                        file=name,
                    )
                    if not code:
                        continue
                    # Kept, refused already: a rating naming it is no second problem.
                self.occupations[code] = (line, row)
        self.progress(0.1, "occupations read")
        if not element_files:
            # Said with the occupations' problems: nothing else can be read.
            problems.add(_("none of Skills.txt, Knowledge.txt, Abilities.txt in the source"))
        for element_file, item_type in element_files:
            with self._reading(element_file):
                self._read_ratings(element_file, item_type)
        with self._reading(""):
            self._read_descriptions()
        if problems:
            # The rows' field problems too (text no database stores, too long for its
            # column), with nothing written: every problem of the files in one refusal.
            self._check_fields()
        problems.raise_any()
        needed = {"I", "R", "M", self.default_level}
        if set(Level.objects.filter(code__in=needed).values_list("code", flat=True)) != needed:
            raise ImportFailed(
                _("the levels %(codes)s must exist") % {"codes": join_list(sorted(needed))}
            )
        self.progress(0.3, "ratings read")

    def _open_text(self, name: str) -> io.TextIOBase:
        """The member as tab-separated text: a text release's file as it is, an Excel release's
        workbook (its one sheet) written as the text release writes it, a row a line, so each
        row is read, checked and named by its line alike."""
        if not name.lower().endswith(".xlsx"):
            return self.source.open_text(name)
        if name not in self.sheets:
            try:
                dataset = spreadsheet_dataset(self.source.read_bytes(name), kind="xlsx", name=name)
            except ValidationError as error:
                raise ImportFailed(join_sentences(error.messages), where=name) from error
            text = io.StringIO()
            writer = csv.writer(text, delimiter="\t", lineterminator="\n")
            writer.writerow(["" if h is None else str(h) for h in dataset.headers or []])
            writer.writerows(["" if cell is None else str(cell) for cell in row] for row in dataset)
            self.sheets[name] = text.getvalue()
        return io.StringIO(self.sheets[name])

    @contextlib.contextmanager
    def _reading(self, name: str) -> Iterator[None]:
        """A file that cannot be read on (not UTF-8, a missing column) stops the import at
        once, with the problems found before it."""
        try:
            yield
        except ImportFailed as failure:
            self.problems.add_failure(failure, file=name)
            self.problems.raise_any()

    def _read_descriptions(self) -> None:
        name = self.source.find(CONTENT_MODEL_FILE)
        if name is None:
            return
        with self._open_text(name) as stream:
            header = set(read_header(stream, name=name, delimiter="\t"))
        if not {"Element ID", "Description"} <= header:
            raise ImportFailed(
                _("missing columns Element ID / Description"), where=at_line(1, file=name)
            )
        with self._open_text(name) as stream:
            for _line, row in read_rows(stream, name=name, delimiter="\t"):
                element = row["Element ID"].strip()
                if element:
                    self.descriptions[element] = (row.get("Description") or "").strip()

    def _read_ratings(self, name: str, item_type: str) -> None:
        with self._open_text(name) as stream:
            header = read_header(stream, name=name, delimiter="\t")
        require_columns(header, ELEMENT_COLUMNS, name=name)
        problems = self.problems
        with self._open_text(name) as stream:
            for line, row in read_rows(stream, name=name, delimiter="\t", problems=problems):
                where = at_line(line, file=name)
                code, element = row[SOC].strip(), row["Element ID"].strip()
                # Each of a row's problems is said; a rating is kept only from a sound row.
                sound = True
                if code not in self.occupations:
                    sound = False
                    problems.add(
                        _("occupation %(code)s is not in Occupation Data.txt (unknown reference)")
                        % {"code": shown(code)},
                        where=where,
                        line=line,
                        file=name,
                    )
                if not element or not row["Element Name"].strip():
                    sound = False
                    problems.add(
                        _("Element ID and Element Name are required"),
                        where=where,
                        line=line,
                        file=name,
                    )
                scale = row["Scale ID"].strip()
                bounds = {"IM": (Decimal(1), Decimal(5)), "LV": (Decimal(0), Decimal(7))}
                score = None
                if scale in bounds:
                    low, high = bounds[scale]
                    try:
                        score = _decimal(row["Data Value"], low=low, high=high, where=where)
                    except ImportFailed as failure:
                        sound = False
                        problems.add_failure(failure, line=line, file=name)
                if not sound:
                    continue
                self.elements.setdefault(
                    element, (row["Element Name"].strip(), item_type, where, line, name)
                )
                rating = self.ratings.setdefault((code, element), {"where": where})
                if scale == "LV":
                    rating["not_relevant"] = row.get("Not Relevant", "").strip().upper() == "Y"
                if scale in bounds and row.get("Recommend Suppress", "").strip().upper() == "Y":
                    # O*NET's low precision flag (the Data Dictionary: an analyst rating whose
                    # standard error exceeds .51, an incumbent one from fewer than 10 answers):
                    # the score is left out, and the rating stands on the other, or on none.
                    self.report.skip(
                        where,
                        _(
                            "O*NET recommends suppressing the %(scale)s score of %(element)s for "
                            "%(code)s (low precision)"
                        )
                        % {"scale": scale, "element": element, "code": code},
                        group=_("score O*NET recommends suppressing (low precision)"),
                    )
                elif scale in bounds:
                    rating[scale] = score
                else:
                    self.report.skip(
                        where,
                        _("scale %(scale)s is not used") % {"scale": scale},
                        group=_("scale other than IM/LV"),
                    )

    def _check_fields(self) -> None:
        """Each occupation's and element's field problems collected (self.problems), as
        `write` checks them, for files refused already: nothing is written."""
        identifier = uuid.uuid5(uuid.NAMESPACE_URL, FRAMEWORK_ID)
        self._offer_positions()
        self._offer_abilities(Framework.objects.filter(identifier=identifier).first())

    def write(self) -> tuple[set[int], set[int]]:
        identifier = uuid.uuid5(uuid.NAMESPACE_URL, FRAMEWORK_ID)
        frameworks = self.framework_sync(identifier)
        framework = frameworks.offer(
            identifier,
            {
                "identifier": identifier,
                "name": "O*NET Content Model",
                "source": "O*NET",
                "uri": FRAMEWORK_ID,
                "external_id": FRAMEWORK_ID,
            },
        )
        frameworks.flush()
        frameworks.finish()
        self.report.frameworks.append(framework.pk)
        positions = self._offer_positions()
        abilities = self._offer_abilities(framework)
        # Every occupation's and element's field problems together, before any is written.
        self.problems.raise_any()
        positions.flush(
            batch_size=self.batch_size, progress=self.writing(0.3, 0.4, "writing positions")
        )
        positions.finish()
        self.progress(0.4, "positions written")
        abilities.flush(
            batch_size=self.batch_size, progress=self.writing(0.4, 0.5, "writing abilities")
        )
        abilities.finish()
        self.progress(0.5, "abilities written")
        return self._write_requirements(framework, positions, abilities)

    def _offer_positions(self) -> RecordSync:
        """Each occupation's position offered (nothing flushed); a row's field problem is
        collected (self.problems) and the next row checked."""
        existing_positions = {
            p.external_id: p
            for p in Position.objects.filter(
                external_id__in=[f"onet:{code}" for code in self.occupations]
            )
        }
        positions = RecordSync(
            kind="position",
            model=Position,
            fields=[],
            existing=existing_positions,
            report=self.report,
            source_ref=self.source_name,
        )
        for code, (line, row) in self.occupations.items():
            if not row["Title"].strip():
                continue  # refused already (validate): no second problem of its line
            where = at_line(line, file=self.occupation_file)
            with self.problems.gathered(line=line, file=self.occupation_file):
                obj = positions.offer(
                    f"onet:{code}",
                    {
                        "name": row["Title"].strip()[:255],
                        "description": row.get("Description", ""),
                        "uri": f"https://www.onetonline.org/link/summary/{code}",
                        "external_id": f"onet:{code}",
                        "code": code[:64],
                    },
                    where=where,
                )
                validate_fields(obj, where=where)
        return positions

    def _offer_abilities(self, framework: Framework | None) -> RecordSync:
        """Each element's ability offered (nothing flushed); an element's field problem is
        collected (self.problems), at the row first naming it, and the next checked. Without
        `framework` (only checking, before the framework is written), as abilities of a
        framework not yet made."""
        abilities = RecordSync(
            kind="ability",
            model=Ability,
            fields=[],
            existing={
                a.external_id: a
                for a in Ability.objects.filter(framework=framework).exclude(external_id="")
            }
            if framework is not None
            else {},
            report=self.report,
            source_ref=self.source_name,
        )
        for order, (element, (name, item_type, where, line, file)) in enumerate(
            sorted(self.elements.items())
        ):
            with self.problems.gathered(line=line, file=file):
                self._offer_ability(
                    abilities, element, name, item_type, where, order=order, framework=framework
                )
        return abilities

    def _offer_ability(
        self,
        abilities: RecordSync,
        element: str,
        name: str,
        item_type: str,
        where: str,
        *,
        order: int,
        framework: Framework | None,
    ) -> None:
        obj = abilities.offer(
            element,
            {
                "identifier": uuid.uuid5(uuid.NAMESPACE_URL, f"{FRAMEWORK_ID}#{element}"),
                "framework_id": framework.pk if framework is not None else None,
                "code": element[:64],
                "text": name,
                "short_name": name[:255],
                "description": self.descriptions.get(element, ""),
                "language": "en",
                "item_type": item_type,
                "external_id": element[:255],
                "order": order,
            },
            where=where,
        )
        validate_fields(obj, where=where, exclude=["framework", "parent", "area"])

    def _write_requirements(
        self, framework: Framework, positions: RecordSync, abilities: RecordSync
    ) -> tuple[set[int], set[int]]:
        levels = dict(Level.objects.values_list("code", "pk"))
        position_pk = {key[len("onet:") :]: obj.pk for key, obj in positions.objects.items()}
        ability_pk = {key: obj.pk for key, obj in abilities.objects.items()}
        existing = {
            (r.position_id, r.ability_id): r
            for r in Requirement.objects.filter(ability__framework=framework)
        }
        requirements = RecordSync(
            kind="requirement",
            model=Requirement,
            fields=[],
            existing=existing,
            report=self.report,
            source_ref=self.source_name,
        )
        for (code, element), rating in self.ratings.items():
            if rating.get("not_relevant"):
                self.report.skip(
                    rating["where"],
                    _("O*NET marks %(element)s not relevant for %(code)s")
                    % {"element": element, "code": code},
                    group=_("rating marked not relevant"),
                )
                continue
            if "IM" not in rating and "LV" not in rating:
                continue
            importance_score, level_score = rating.get("IM"), rating.get("LV")
            key = (position_pk[code], ability_pk[element])
            requirements.offer(
                key,
                {
                    "position_id": key[0],
                    "ability_id": key[1],
                    "importance": Importance.ESSENTIAL
                    if importance_score is not None and importance_score >= ESSENTIAL_FROM
                    else Importance.OPTIONAL,
                    "min_level_id": levels[level_for(level_score, self.default_level)],
                    "importance_score": importance_score,
                    "level_score": level_score,
                },
                where=rating["where"],
            )
        requirements.flush(
            batch_size=self.batch_size, progress=self.writing(0.5, 0.95, "writing requirements")
        )
        requirements.finish()
        changed_positions = {
            key[0] for key, s in requirements.status.items() if s in ("created", "updated")
        }
        # A rating this release no longer gives (or marks not relevant) is no requirement any
        # more; only between the occupations and elements the files list (one release may
        # bring Skills.txt alone), and only requirements an import wrote.
        removed = remove_dropped(
            kind="requirement",
            records=Requirement.objects.filter(
                position_id__in=list(position_pk.values()),
                ability_id__in=list(ability_pk.values()),
            ),
            listed=set(requirements.status),
            key=("position_id", "ability_id"),
            report=self.report,
        )
        changed_positions.update(row["position_id"] for row in removed)
        return abilities.changed_pks(), changed_positions
