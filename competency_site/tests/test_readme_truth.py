"""What the README tells a newcomer to type or set is what the code reads.

Two cheap pins on the README, read as written: every environment variable its *Configuration*
and *Production and workers* sections name is read by the settings module (with the default the
configuration table states), and every `manage.py <command> --option` it writes names a command
that exists and takes those options. A variable renamed in the settings, a default changed
without the table, or an option renamed in a command then fails here instead of on a
university's deployment.
"""

import ast
import re
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SETTINGS = (ROOT / "competency_site" / "settings.py").read_text(encoding="utf-8")
NAME = re.compile(r"`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)`")


def _section(title: str) -> str:
    """The README's text under `## {title}`, up to the next section of that rank."""
    return README.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def _env_name(node: ast.AST) -> str | None:
    """The variable an `env(…)` / `env.<type>(…)` call reads, else None."""
    if not (isinstance(node, ast.Call) and node.args):
        return None
    function, first = node.func, node.args[0]
    owner = function.value if isinstance(function, ast.Attribute) else function
    if isinstance(owner, ast.Name) and owner.id == "env" and isinstance(first, ast.Constant):
        return first.value if isinstance(first.value, str) else None
    return None


def _settings_defaults(*, debug: bool | None = None) -> dict[str, object]:
    """Each variable the settings read with `env…("NAME", …)`, and what the setting is when the
    environment leaves it unset: its `default=`, followed through `… or FALLBACK` (a literal, or
    a setting assigned above) and `.rstrip(…)`; the expression's source where that is not a
    literal, `...` where there is no default. With `debug` given, a default that depends on
    `DEBUG` (`not DEBUG`, `0 if DEBUG else 31536000`) is read as it is with DEBUG so."""
    tree = ast.parse(SETTINGS)
    assigned = {
        target.id: statement.value
        for statement in tree.body
        if isinstance(statement, ast.Assign)
        for target in statement.targets
        if isinstance(target, ast.Name)
    }
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}

    def unset(node: ast.AST) -> object:
        if _env_name(node):
            default = next((k.value for k in node.keywords if k.arg == "default"), None)
            return ... if default is None else unset(default)
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
            values = [unset(value) for value in node.values]
            return next((value for value in values if value), values[-1])
        if isinstance(node, ast.Name) and node.id == "DEBUG" and debug is not None:
            return debug
        if isinstance(node, ast.Name) and node.id in assigned:
            return unset(assigned[node.id])
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
            values = [unset(value) for value in node.values]
            if all(isinstance(value, bool) for value in values):
                return all(values)
            return ast.unparse(node)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            operand = unset(node.operand)
            return not operand if isinstance(operand, bool) else ast.unparse(node)
        if isinstance(node, ast.IfExp):
            test = unset(node.test)
            if isinstance(test, bool):
                return unset(node.body if test else node.orelse)
            return ast.unparse(node)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "rstrip"
        ):
            value = unset(node.func.value)
            return (
                value.rstrip(*[ast.literal_eval(a) for a in node.args])
                if isinstance(value, str)
                else value
            )
        try:
            return ast.literal_eval(node)
        except ValueError:
            return ast.unparse(node)

    read: dict[str, object] = {}
    for node in ast.walk(tree):
        name = _env_name(node)
        if not name:
            continue
        top = node
        while isinstance(parent := parents.get(top), ast.BoolOp) and parent.values[0] is top:
            top = parent
        read[name] = unset(top)
    return read


def _configuration_rows() -> list[tuple[list[str], str]]:
    """The configuration table's rows: the variables a row names, and its Default cell."""
    rows = []
    for line in _section("Configuration").splitlines():
        if not line.startswith("| `"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        rows.append((NAME.findall(cells[0]), cells[1]))
    return rows


def _same(documented: str, default: object) -> bool:
    if isinstance(default, bool):
        return documented == str(default).lower()
    if isinstance(default, int | float):
        return float(documented.replace(",", "")) == float(default)
    if isinstance(default, list):
        return documented == ",".join(default)
    return documented == default


def test_every_variable_the_configuration_table_names_is_read_by_the_settings():
    rows = _configuration_rows()
    assert len(rows) >= 30, rows
    read = _settings_defaults()
    named = [name for names, _ in rows for name in names]
    assert [name for name in named if name not in read] == []


def test_every_variable_the_production_section_names_is_read_by_the_settings():
    production = _section("Production and workers").split("\nProcesses (see `Procfile`)", 1)[0]
    named = set(NAME.findall(production)) - {"CONTENT_SECURITY_POLICY"}  # a setting, said so
    assert len(named) >= 15, named
    read = _settings_defaults()
    assert sorted(name for name in named if name not in read) == []


def test_every_variable_the_settings_read_is_named_in_the_readme():
    """The other direction: a setting a deployment can change from the environment is one the
    README tells it about (in *Configuration* or *Production and workers*, or anywhere for the
    few the sections leave to the text that uses them)."""
    read = _settings_defaults()
    assert len(read) >= 40, read
    assert sorted(name for name in read if f"`{name}`" not in README) == []


def test_the_configuration_tables_plain_defaults_are_the_settings_defaults():
    """A Default cell holding only literals (`200`, or `256`, `1024`, `1000` for a row of three
    variables) states what the settings fall back to; prose defaults are left to the reader."""
    read = _settings_defaults()
    compared, wrong = 0, []
    for names, cell in _configuration_rows():
        if not re.fullmatch(r"`[^`]*`(?:, `[^`]*`)*", cell):
            continue
        documented = re.findall(r"`([^`]*)`", cell)
        if len(documented) != len(names):
            continue
        for name, value in zip(names, documented, strict=True):
            compared += 1
            if not _same(value, read[name]):
                wrong.append((name, value, read[name]))
    assert compared >= 30
    assert wrong == []


def _production_optional_defaults() -> list[tuple[str, str]]:
    """The variables *Production and workers* lists as optional with a default in brackets right
    after the name (`DJANGO_SECURE_HSTS_SECONDS` (31536000), `DJANGO_SECURE_SSL_REDIRECT`
    (default true), `COVERAGE_BULK_QUEUE` (`coverage-bulk`)), with that default."""
    production = _section("Production and workers").split("\nProcesses (see `Procfile`)", 1)[0]
    optional = production.split("Optional:", 1)[1].split(". ", 1)[0]
    return re.findall(
        r"`([A-Z][A-Z0-9_]+)`\s*\((?:default\s+)?`?([\w.-]+)`?\)", optional.replace("\n", " ")
    )


def test_the_production_sections_optional_defaults_are_the_settings_defaults_without_debug():
    """Production runs with `DJANGO_DEBUG=false`, so a default in brackets there (the HTTPS
    protections' `true`, HSTS's 31536000 seconds) is what the settings fall back to with DEBUG
    off."""
    stated = _production_optional_defaults()
    assert len(stated) >= 7, stated
    read = _settings_defaults(debug=False)
    wrong = [(name, value, read.get(name)) for name, value in stated]
    assert [row for row in wrong if row[2] is None or not _same(row[1], row[2])] == []


def _readme_command_lines() -> list[tuple[str, str]]:
    """Each `manage.py <command>` the README writes, in code blocks (a line, with its `\\`
    continuations) or inline code, as (command, what is written after it)."""
    blocks = re.findall(r"```[a-z]*\n(.*?)```", README, re.S)
    inline = re.findall(r"`([^`]+)`", re.sub(r"```[a-z]*\n.*?```", "", README, flags=re.S))
    pieces = [line for block in blocks for line in block.replace("\\\n", " ").splitlines()]
    pieces += [span.replace("\n", " ") for span in inline]
    found = []
    for piece in pieces:
        for command_line in re.split(r"&&|;", piece.split("#", 1)[0]):
            for after in re.split(r"manage\.py\s+", command_line)[1:]:
                match = re.match(r"([a-z_]+)(.*)", after)
                if match:
                    found.append((match.group(1), match.group(2)))
    return found


def _readme_commands() -> list[tuple[str, tuple[str, ...]]]:
    """Each `manage.py <command>` the README writes, with the options written after it."""
    return sorted(
        {
            (name, tuple(re.findall(r"(?<![\w-])(--?[a-zA-Z][\w-]*)", rest)))
            for name, rest in _readme_command_lines()
        }
    )


def test_the_readme_names_the_project_commands_it_documents():
    named = {name for name, _ in _readme_commands()}
    assert {"load_paper", "import_framework", "suggest", "recompute_coverage"} <= named


@pytest.mark.parametrize(
    ("name", "options"),
    _readme_commands(),
    ids=[" ".join((name, *options)) for name, options in _readme_commands()],
)
def test_every_command_the_readme_writes_exists_and_takes_the_options_it_writes(name, options):
    commands = get_commands()
    assert name in commands, f"the README runs `manage.py {name}`, which no app provides"
    parser = load_command_class(commands[name], name).create_parser("manage.py", name)
    taken = {option for action in parser._actions for option in action.option_strings}
    assert [option for option in options if option not in taken] == []


def _readme_command_values() -> list[tuple[str, str, str]]:
    """Each value the README writes after a `manage.py <command>` option (`--format
    case|esco|moodle|onet`, `--preset small|medium|esco`, `--language zh-hans`)."""
    return sorted(
        {
            (name, option, value)
            for name, rest in _readme_command_lines()
            for option, value in re.findall(
                r"(?<![\w-])(--?[a-zA-Z][\w-]*)[ =]([^\s\[\]<-][^\s\[\]]*)", rest
            )
        }
    )


def test_every_value_the_readme_gives_an_option_with_choices_is_one_of_them():
    """`import_framework --format case|esco|moodle|onet`: each value written (each of the
    alternatives a `|` separates) is one the option takes, where it takes a fixed list."""
    commands = get_commands()
    checked, wrong = 0, []
    for name, option, value in _readme_command_values():
        if name not in commands:
            continue
        parser = load_command_class(commands[name], name).create_parser("manage.py", name)
        action = next((a for a in parser._actions if option in a.option_strings), None)
        if action is None or not action.choices:
            continue
        for alternative in value.split("|"):
            checked += 1
            if alternative not in action.choices:
                wrong.append((name, option, alternative, sorted(action.choices)))
    assert checked >= 8
    assert wrong == []


def test_every_make_target_the_readme_names_is_in_the_makefile():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][\w-]*):", makefile, re.M))
    blocks = re.findall(r"```[a-z]*\n(.*?)```", README, re.S)
    inline = re.findall(r"`([^`]+)`", re.sub(r"```[a-z]*\n.*?```", "", README, flags=re.S))
    named = {
        target
        for text in blocks + inline
        for target in re.findall(r"(?<![\w-])make ([a-z][\w-]*)", text)
    }
    assert {"run", "test", "setup", "lint", "prod", "worker", "beat", "fuzz"} <= named
    assert sorted(named - targets) == []


# A file the README names by a path (`docs/worked-example.md`, or in the code map relative to
# its package: `coverage/engine.py` of curricula/), with an extension a repository file has.
FILE_PATH = re.compile(
    r"[\w.-]+(?:/[\w.-]+)+\.(?:py|md|csv|json|html|svg|yaml|yml|js|css|txt|toml|ini|po|png)"
)


def test_every_file_the_readme_names_exists():
    named = {
        span
        for span in re.findall(r"`([^`\n]+)`|\]\(([^)\s]+)\)", README)
        for span in span
        if span and FILE_PATH.fullmatch(span) and not span.startswith("var/")
    }
    assert len(named) >= 40, named
    missing = [p for p in sorted(named) if not (ROOT / p).exists() and not any(ROOT.glob(f"*/{p}"))]
    assert missing == []


PROJECT_NAME = re.compile(
    r"(?<!logger )`((?:core|curricula|positions|certifications|suggestions|audit|competency_site)"
    r"(?:\.\w+)+)`"
)


def test_every_project_module_and_name_the_readme_names_can_be_imported():
    """`curricula.services.course_catalogue_import`, `core.models.DegreeLevel`,
    `core.i18n.join_list`: each dotted name of the project's own the README writes (a logger's
    name, written after "logger", aside) is a module, or a name in one."""
    import importlib

    named = set(PROJECT_NAME.findall(README)) - {"curricula.example.org"}
    checks = {name for name in named if re.fullmatch(r"[a-z]+\.[EW]\d{3}", name)}
    named -= checks
    assert len(named) >= 15, named
    # A system check's id (`core.W001`) is one its app's checks.py gives.
    assert len(checks) >= 3
    assert [
        check
        for check in sorted(checks)
        if f'id="{check}"'
        not in (ROOT / check.split(".")[0] / "checks.py").read_text(encoding="utf-8")
    ] == []
    missing = []
    for name in sorted(named):
        parts = name.split(".")
        for cut in range(len(parts), 0, -1):
            try:
                found = importlib.import_module(".".join(parts[:cut]))
            except ModuleNotFoundError:
                continue
            break
        else:
            missing.append(name)
            continue
        for part in parts[cut:]:
            found = getattr(found, part, None)
        if found is None:
            missing.append(name)
    assert missing == []


def _concrete(path: str) -> str:
    """A documented path with its placeholders filled in as a request would: `{id}` and `ID`
    a number (a task's a UUID), `{model}` a model of the history, `<identifier>` a UUID."""
    uuid = "6c4a7c5e-0d3b-4c8e-9d7e-2b1f0c3a9e11"
    path = path.split("?", 1)[0]
    path = re.sub(r"tasks/\{id\}", f"tasks/{uuid}", path)
    path = re.sub(r"\{model\}", "course", path)
    path = re.sub(r"<[^>]+>", uuid, path)
    path = re.sub(r"\{[a-z_]+\}", "1", path)
    return re.sub(r"\bID\b", "1", path)


def _readme_paths() -> list[tuple[str | None, str]]:
    """Each address the README writes as an absolute path (`/positions/`, `GET
    /api/v1/programs/{id}/progression/`), with its method when it gives one, and each resource
    its REST API section writes relative to `/api/v1/` (`programs/{id}/map.csv`, `levels/M/`)."""
    found = set()
    for span in re.findall(r"`([^`\n]+)`", README):
        match = re.fullmatch(r"(?:(GET|POST|PUT|PATCH|DELETE|HEAD) )?(/[^\s`]*)", span)
        if match:
            found.add((match.group(1), match.group(2)))
    top_level = {p.name for p in ROOT.iterdir()}
    for span in re.findall(r"`([^`\n]+)`", _section("REST API")):
        if re.fullmatch(r"[a-z][a-z-]*/[^\s;*]*", span) and span.split("/")[0] not in (
            top_level | {"text", "application"}
        ):
            found.add((None, "/api/v1/" + span))
    return sorted(found, key=lambda row: (row[1], row[0] or ""))


def test_every_address_the_readme_gives_is_served_with_the_method_it_names():
    """A path the README sends a reader or a client to resolves to a view of its own (not the
    JSON 404 of an unknown `/api/` or `/ims/case/` path), and where it names a method
    (`POST /api/v1/programs/{id}/recompute/`), a viewset's route takes it. A resource the REST
    API section names by its last part (`reject/`, `what-if/apply/`) ends some API route."""
    from django.urls import Resolver404, resolve

    from competency_site.api import router
    from competency_site.api.urls import CaseUnknownRouteView, UnknownRouteView
    from core.health import LIVE_PATH, READY_PATH

    roots = {"/api/", "/api/v1/", "/ims/case/", "/ims/case/v1p1/"}
    routes = [str(pattern.pattern).replace("\\", "") for pattern in router.urlpatterns]
    paths = _readme_paths()
    assert len(paths) >= 80, paths
    wrong = []
    for method, path in paths:
        concrete = _concrete(path)
        if path in roots or concrete in (READY_PATH, LIVE_PATH):
            continue
        try:
            match = resolve(concrete)
        except Resolver404:
            match = None
        view = match and getattr(match.func, "view_class", None)
        if match is None or view in (UnknownRouteView, CaseUnknownRouteView):
            relative = path.removeprefix("/api/v1/")
            if not any(route.endswith(f"/{relative}$") for route in routes):
                wrong.append((method, path, "no view"))
            continue
        actions = getattr(match.func, "actions", None)
        if method and actions is not None and method.lower() not in actions:
            wrong.append((method, path, f"takes {sorted(actions)}"))
    assert wrong == []


def _resource_table_parameters() -> list[tuple[str, str]]:
    """Each query parameter the REST API section's resource table gives a resource (`abilities/`
    with `?framework=&area=&parent=…`, `programs/compare/` with `&scope=…&position=…`), the
    imports' `dry_run` and `background` aside (they belong to `…/import/`)."""
    found = set()
    for line in _section("REST API").splitlines():
        if not line.startswith("| `"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        resources = re.findall(r"`([a-z][a-z/{}-]*/)`", cells[0])
        if not resources:
            continue
        for span in re.findall(r"`([^`]*)`", "|".join(cells[1:])):
            if span.startswith(("http", "/")):
                continue
            for parameter in re.findall(r"(?:^|[?&])([a-z_]+)=", span):
                if parameter not in {"dry_run", "background"}:
                    found.add((resources[0], parameter))
    return sorted(found)


def test_every_query_parameter_the_resource_table_names_is_one_its_list_takes(
    paper, api_client, admin_user
):
    """A list refuses a parameter its schema does not name with a 400 ("Unknown query
    parameter: this list takes …"), so each the README tells a client to send is sent, empty,
    and must not be refused as unknown (nor fail the server)."""
    api_client.force_authenticate(admin_user)
    needs = {"programs/compare/": "programs=1,2", "history/": "model=course"}
    rows = _resource_table_parameters()
    assert len(rows) >= 40, rows
    wrong = []
    for resource, parameter in rows:
        query = f"{parameter}="
        if resource in needs and not needs[resource].startswith(query):
            query += f"&{needs[resource]}"
        response = api_client.get(f"/api/v1/{resource.replace('{id}', '1')}?{query}")
        unknown = response.status_code == 400 and "Unknown query parameter" in str(
            response.json().get(parameter, "")
        )
        if unknown or response.status_code >= 500:
            wrong.append((resource, parameter, response.status_code))
    assert wrong == []
