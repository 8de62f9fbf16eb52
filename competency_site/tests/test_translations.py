"""The Chinese (zh_Hans) catalogue is complete: every message the templates and code mark for
translation has a translation, none is fuzzy, and every placeholder survives translation.
`manage.py makemessages -l zh_Hans` then `compilemessages` after changing marked text."""

import re
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
# Every printf form gettext's python-format reads (%(seconds).1f, %(value)r, %(code)04X, %s; an
# escaped %% first, so "%%(level)s" is no placeholder), a python-brace-format field ({value},
# {}), and an HTML tag with its attributes (<kbd>, <span class="muted">).
PLACEHOLDER = re.compile(
    r"%%|%(?:\(\w+\))?[-#0 +]*\d*(?:\.\d+)?[sdrfgiuxXeE]"
    r"|\{\w*(?:\.\w+)*(?:![rsa])?\}"
    r"|</?[a-zA-Z][^<>]*>"
)


def _entries() -> list[dict]:
    entries, entry, key = [], {}, None
    for line in [*CATALOGUE.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry:
                entries.append(entry)
            entry, key = {}, None
        elif line.startswith("#,"):
            entry["flags"] = line[2:]
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += line.strip()[1:-1]
        else:
            key, _, value = line.partition(" ")
            entry[key] = value.strip()[1:-1]
    return [e for e in entries if e.get("msgid")]  # not the header


def test_every_message_is_translated_and_none_is_fuzzy():
    entries = _entries()
    assert len(entries) > 500
    untranslated = [
        e["msgid"] for e in entries if not any(v for k, v in e.items() if k.startswith("msgstr"))
    ]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e.get("flags", "")]
    assert untranslated == []
    assert fuzzy == []


def test_translations_keep_their_placeholders():
    """Each placeholder, brace field and HTML tag of the message is in its translation, as
    often (the one Chinese form of a plural message takes the plural's)."""
    assert "%(seconds).1f" in PLACEHOLDER.findall("in %(seconds).1f s")
    assert '<span class="muted">' in PLACEHOLDER.findall('<span class="muted">(x)</span>')
    for entry in _entries():
        source = entry.get("msgid_plural", entry["msgid"])
        wanted = sorted(PLACEHOLDER.findall(source))
        for key, value in entry.items():
            if key.startswith("msgstr"):
                assert sorted(PLACEHOLDER.findall(value)) == wanted, entry["msgid"]


TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
TRANSLATE = re.compile(r'{%\s*translate\s+"([^"]+)"\s*%}|_\("([^"]+)"\)')
BLOCK = re.compile(r"{%\s*blocktranslate[^%]*%}(.*?){%\s*endblocktranslate\s*%}", re.S)


def _template_messages(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    found = {a or b for a, b in TRANSLATE.findall(text)}
    found |= {re.sub(r"{{\s*(\w+)\s*}}", r"%(\1)s", body) for body in BLOCK.findall(text)}
    return found


def test_the_svg_chart_is_read_by_makemessages_and_translated():
    """The chart (templates/curricula/chart.svg) is an SVG template, which Django's makemessages
    skips by default: the project's command reads .svg too, and every message of the chart is in
    the catalogue, translated."""
    from core.management.commands.makemessages import DEFAULT_EXTENSIONS

    assert "svg" in DEFAULT_EXTENSIONS
    charts = list(TEMPLATES.rglob("*.svg"))
    assert charts
    translated = {e["msgid"] for e in _entries() if e.get("msgstr")}
    for chart in charts:
        messages = _template_messages(chart)
        assert "Essential abilities by competency area" in messages
        assert messages - translated == set(), chart


# A colon written after a translated label instead of inside its message: Chinese takes a
# full-width colon (方向：), which only the message's translation can give, so a page in Chinese  # noqa: RUF003
# read "要求方: ". A label held in a variable (`{{ label }}`) is one too.
COLON_AFTER_LABEL = re.compile(
    r"""(?:{%\s*(?:translate|trans)\s+(?:"[^"]*"|'[^']*')[^%]*%}|{{\s*label\s*}})"""
    r"(?:\s*{%\s*endif\s*%})?(?:\s*</\w+>)?[ \t]*:"
)


# The same after a label the page's data gives (`{{ area.name }}: 3 missing`, `<strong>{{
# problem.where }}</strong>: ...`): the colon before a space, a tag or the line's end, not one
# joining two values in an attribute (`name="cell:{{ course }}:{{ ability }}"`).
COLON_AFTER_DATA_LABEL = re.compile(
    r"{{[^{}]*}}(?:\s*{%\s*endif\s*%})?(?:\s*</\w+>)?[ \t]*:(?=[\s<]|$)", re.MULTILINE
)


def _all_templates() -> list[Path]:
    root = TEMPLATES.parent
    return [
        path
        for pattern in ("templates/**/*.html", "*/templates/**/*.html", "templates/**/*.svg")
        for path in root.glob(pattern)
        if ".venv" not in path.parts
    ]


def test_no_template_writes_a_colon_after_a_translated_label():
    """The colon is part of the message ("Required by:", "%(label)s: %(value)s"), translated
    with the rest: after a translated label, and after a label the data gives (an area's
    name, a course's title, where an import's problem is)."""
    templates = _all_templates()
    assert any(path.name == "search.html" for path in templates)
    found = [
        f"{path.relative_to(TEMPLATES.parent)}: {match[0]}"
        for path in templates
        for pattern in (COLON_AFTER_LABEL, COLON_AFTER_DATA_LABEL)
        # Within a blocktranslate, the colon is the message's.
        for match in pattern.finditer(BLOCK.sub("", path.read_text(encoding="utf-8")))
    ]
    assert found == []


# A translated label ending in its colon, then the template's own space before the value: right
# in English ("Track: Research"), a stray space in Chinese, whose full-width colon carries its
# own spacing. The label goes without its colon into `{% labelled %}`, whose message
# ("%(label)s: %(value)s") writes the colon and the space the language takes. A colon ending a
# paragraph or an item (a list follows) is left alone: no space is written after it.
SPACE_AFTER_LABEL_COLON = re.compile(
    r"""(?:{%\s*(?:translate|trans)\s+(?:"[^"]*:"|'[^']*:')[^%]*%}"""
    r"|:\s*{%\s*endblocktranslate\s*%})"
    r"(?:\s*{%\s*endif\s*%})?(?:</(?:span|b|strong|em|i|code|label|a)>)*\s"
)


def test_no_template_writes_a_space_after_a_translated_label_s_colon():
    sites = [
        f"{path.relative_to(TEMPLATES.parent)}: {match[0].strip()}"
        for path in _all_templates()
        for match in SPACE_AFTER_LABEL_COLON.finditer(path.read_text(encoding="utf-8"))
    ]
    assert sites == []


ROOT = Path(__file__).resolve().parents[2]
PROJECT_CODE = ("core", "positions", "certifications", "curricula", "suggestions", "audit")
# Each marking function, with the index of its context (None: none) and of its message.
MARKERS = {
    "_": (None, 0),
    "gettext": (None, 0),
    "gettext_lazy": (None, 0),
    "gettext_noop": (None, 0),
    "ngettext": (None, 0),
    "ngettext_lazy": (None, 0),
    "pgettext": (0, 1),
    "pgettext_lazy": (0, 1),
    "npgettext": (0, 1),
    "npgettext_lazy": (0, 1),
}


def _code_messages() -> set[tuple[str, str]]:
    """(context, message) of every marking call with literal arguments in the project's code,
    wherever it stands, an f-string's braces included."""
    import ast

    found = set()
    files = [p for d in (*PROJECT_CODE, "competency_site") for p in (ROOT / d).rglob("*.py")]
    for path in files:
        if {"tests", "migrations"} & set(path.relative_to(ROOT).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in MARKERS:
                continue
            context_at, message_at = MARKERS[name]
            args = node.args
            literal = [isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args]
            if len(args) <= message_at or not literal[message_at]:
                continue
            if context_at is not None and not literal[context_at]:
                continue
            context = args[context_at].value if context_at is not None else ""
            found.add((context, args[message_at].value))
    return found


def test_every_message_the_code_marks_is_in_the_catalogue():
    """Observed: a message marked inside an f-string's braces (`f'<a>{gettext("Add a link by
    hand")}</a>'`) is one xgettext does not read: it never reached the catalogue, and the Chinese
    page showed it in English."""
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}

    def unescaped(text: str) -> str:
        return re.sub(r'\\(["\\nt])', lambda m: escapes[m.group(1)], text)

    catalogue = {(unescaped(e.get("msgctxt", "")), unescaped(e["msgid"])) for e in _entries()}
    messages = _code_messages()
    assert ("", "Add a link by hand") in messages
    assert messages - catalogue == set()


HAN = "\u4e00-\u9fff"
# Code, placeholders and markup a translation keeps as written: their punctuation is not the
# sentence's (`{"course": 3}`, `?updated_since=`, `min(1, rank(best))`, `%(name)s`).
CODE = re.compile(r"`[^`]*`|\{[^{}]*\}|%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|<[^<>]*>")
HALF_WIDTH_IN_CHINESE = re.compile(
    rf"[{HAN}] ?[,;:?!] ?[{HAN}]|[{HAN}]\((?=[^()]*[{HAN}])|(?<=[{HAN}])\)|\)(?=[{HAN}])"
)


def test_chinese_sentences_take_full_width_punctuation():
    """In a Chinese sentence a comma, colon, semicolon, question mark or bracket is full-width,
    as in every translation of the catalogue; code, placeholders and markup keep their own."""
    assert HALF_WIDTH_IN_CHINESE.search("课程,能力")
    assert HALF_WIDTH_IN_CHINESE.search("{课程:能力}")
    assert not HALF_WIDTH_IN_CHINESE.search(CODE.sub("x", "{课程:能力}"))
    found = [
        (entry["msgid"], match.group())
        for entry in _entries()
        for key, value in entry.items()
        if key.startswith("msgstr")
        for match in HALF_WIDTH_IN_CHINESE.finditer(CODE.sub("x", value))
    ]
    assert found == []


# A number in a Chinese sentence stands apart from the characters beside it, as the catalogue
# writes "生成 %(n)d 条建议": a numeric placeholder on both sides, and on its left a placeholder
# whose value begins with a number and ends in its noun (a count, "13 门课程"; a duration,
# timesince's "20 分钟").
NUMBER_AGAINST_CHINESE = re.compile(
    r"[\u4e00-\u9fff]%\((?:\w+\)d|(?:subjects|window|age)\)s)|%\(\w+\)d[\u4e00-\u9fff]"
)


def test_chinese_sentences_space_their_numbers():
    """Observed: the review page said "已为13 门课程生成 127 条建议", the job limit "您在20 分钟内",
    and a lost import "上传后20 分钟内": a number run into the characters before it."""
    assert NUMBER_AGAINST_CHINESE.search("已为%(subjects)s生成")
    assert not NUMBER_AGAINST_CHINESE.search("已为 %(subjects)s生成 %(n)d 条")
    found = [
        (entry["msgid"], match.group())
        for entry in _entries()
        for key, value in entry.items()
        if key.startswith("msgstr")
        for match in NUMBER_AGAINST_CHINESE.finditer(value)
    ]
    assert found == []


# The glossary of the Chinese translation: each English term, where a message says it, is this
# Chinese term in its translation, or stays as written where it names a field or a value
# (`programme`, "pending, accepted, rejected"). Senses of "level" other than an ability's
# (a degree level, top-level, levels of nesting) and the HTTP Accept header are dropped before
# looking.
GLOSSARY = {
    r"programmes?": "培养方案",
    r"positions?": "职位",
    r"abilit(?:y|ies)": "能力",
    r"competency areas?": "能力领域",
    r"certifications?": "职业认证",
    r"tracks?": "方向",
    r"degrees?": "学历层次",
    r"essential": "核心",
    r"accept(?:s|ed|ing)?": "采纳",
    r"levels?": "等级",
    r"training stages?": "培养阶段",
    r"course-ability links?": "课程—能力关联",
    r"curriculum maps?": "课程地图",
    r"course catalogues?": "课程目录",
    r"crosswalks?": "对照",
}
OTHER_SENSES = re.compile(
    r"degree levels?|the certification's level|top-level|deeper than\s+levels|levels deep"
    r"|Accept(?:-Language)?\b|\S+\.(?:txt|csv|xlsx)\b",
    re.IGNORECASE,
)
# Words the glossary's terms replaced: 岗位 (职位), 学位 (学历层次), 层级 (等级), a course-ability
# link with a hyphen or none (课程—能力关联).
SYNONYMS = re.compile(r"岗位|学位|层级|课程[-\u2013]?能力关联")


def test_translations_use_the_glossary_s_terms():
    """Observed: 岗位 for "position" beside 职位, 学位层次 beside 学历层次, 层级 beside 等级,
    认证 beside 职业认证, 接受 for "accept", 对应 for "crosswalk", and 该方案 or 该专业 for
    "this programme" with no 培养方案 in the message: readers of the Chinese pages met two
    words for one thing."""
    misses, synonyms = [], []
    for entry in _entries():
        english = OTHER_SENSES.sub(" ", CODE.sub(" ", entry["msgid"]))
        for key, value in entry.items():
            if not key.startswith("msgstr"):
                continue
            synonyms += [(entry["msgid"], word) for word in SYNONYMS.findall(value)]
            for term, chinese in GLOSSARY.items():
                for word in re.findall(rf"\b{term}\b", english, re.IGNORECASE):
                    if chinese not in value and word not in value:
                        misses.append((entry["msgid"], word, chinese))
    assert synonyms == []
    assert misses == []
