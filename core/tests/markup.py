"""Rules of HTML that a page can break without any browser showing it, checked in Python (the
suite needs no Java): what the W3C Nu HTML Checker (vnu) found on the product's pages, and what
it reported no more once fixed, plus the references between elements that vnu leaves unchecked
(a label's `for`, `aria-labelledby`, `aria-describedby`). `markup_problems(html)` lists each
broken rule, with the element that breaks it; an empty list is a page that keeps them all.

- Each id is given once, and each id an attribute refers to is on the page. An element hidden
  when served may refer to what a script puts into it before showing it (the map's cell panel).
- A role is one ARIA in HTML allows on its element: a list (`ul`, `ol`) is no alert or status,
  a complementary `aside` no dialog (a screen reader hears the element's own role, or none).
  `aria-modal` is for a dialog's role only.
- A figure's caption is its first or last child, or the figure has no caption to read.
- A `time`'s `datetime` is a date, a time or a date and time HTML can read (seconds to three
  decimals: Django's "c" format writes six).
- No interactive element inside a link or a button (which one a click or a screen reader
  means is undefined).
- No attribute HTML does not have: htmx's are written `data-hx-*`, which htmx reads as well
  as `hx-*` and HTML allows.
"""

import re
from html.parser import HTMLParser

VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
}  # fmt: skip
REFERENCES = {
    "for": "label",
    "aria-labelledby": None,
    "aria-describedby": None,
    "aria-controls": None,
    "aria-owns": None,
    "aria-activedescendant": None,
    "aria-errormessage": None,
    "aria-details": None,
    "headers": None,
    "list": "input",
}
_LIST = {
    "group", "listbox", "menu", "menubar", "none", "presentation", "radiogroup", "tablist",
    "toolbar", "tree", "directory",
}  # fmt: skip
_SECTION = {
    "alert", "alertdialog", "application", "banner", "complementary", "contentinfo", "dialog",
    "document", "feed", "group", "log", "main", "marquee", "navigation", "none", "note",
    "presentation", "region", "search", "status", "tabpanel",
}  # fmt: skip
_LIST_ITEM = {
    "menuitem", "menuitemcheckbox", "menuitemradio", "option", "none", "presentation", "radio",
    "separator", "tab", "treeitem",
}  # fmt: skip
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# ARIA in HTML (W3C), "Document conformance requirements": the roles each element may take.
# Elements not named here take any role, or none this site gives them.
ALLOWED_ROLES = {
    "aside": {"feature", "none", "note", "presentation", "region", "search"},
    "ul": _LIST,
    "ol": _LIST,
    "nav": {"menu", "menubar", "none", "presentation", "tablist"},
    "main": set(),
    "header": {"group", "none", "presentation"},
    "footer": {"group", "none", "presentation"},
    "form": {"search", "none", "presentation"},
    "section": _SECTION,
    "label": set(),
    "figcaption": {"group", "none", "presentation"},
    "fieldset": {"group", "none", "presentation", "radiogroup"},
    "li": _LIST_ITEM,
    **{heading: frozenset({"none", "presentation", "tab"}) for heading in HEADINGS},
}
MODAL_ROLES = {"dialog", "alertdialog"}
INTERACTIVE = {"a", "button", "select", "textarea", "details", "iframe", "embed", "label"}
# HTML's date, time, local and global date and time strings (a fraction of a second: 1-3 digits).
_DATE = r"\d{4,}-\d\d(?:-\d\d)?"
_TIME = r"\d\d:\d\d(?::\d\d(?:\.\d{1,3})?)?"
_ZONE = r"(?:Z|[+-]\d\d:?\d\d)"
DATETIME = re.compile(rf"{_DATE}|{_TIME}|{_DATE}[T ]{_TIME}{_ZONE}?|\d{{4,}}|{_ZONE}")


def _is_interactive(tag: str, attrs: dict) -> bool:
    if tag == "a":
        return "href" in attrs
    if tag == "input":
        return attrs.get("type", "").lower() != "hidden"
    return tag in INTERACTIVE


class _Element:
    def __init__(self, tag: str, attrs: dict, line: int):
        self.tag, self.attrs, self.line = tag, attrs, line
        self.children: list[_Element] = []

    def __str__(self) -> str:
        shown = " ".join(f'{k}="{v}"' for k, v in self.attrs.items() if k in {"id", "class"})
        return f"<{self.tag}{' ' + shown if shown else ''}> (line {self.line})"


class _Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.ids: dict[str, int] = {}
        self.references: list[tuple[_Element, str, str]] = []
        self.figures: list[_Element] = []
        self._open: list[_Element] = []

    def handle_starttag(self, tag, attrs):
        element = _Element(tag, {k: v or "" for k, v in attrs}, self.getpos()[0])
        self._check(element)
        if self._open:
            self._open[-1].children.append(element)
        if tag == "figure":
            self.figures.append(element)
        if tag not in VOID:
            self._open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self._open and self._open[-1].tag == tag:
            self._open.pop()

    def handle_endtag(self, tag):
        for depth in range(len(self._open) - 1, -1, -1):
            if self._open[depth].tag == tag:
                del self._open[depth:]
                return

    def _hidden(self, element: _Element) -> bool:
        return "hidden" in element.attrs or any("hidden" in e.attrs for e in self._open)

    def _check(self, element: _Element) -> None:
        tag, attrs = element.tag, element.attrs
        if "id" in attrs:
            if attrs["id"] in self.ids:
                self.problems.append(
                    f"{element}: id {attrs['id']!r} given twice (first on line "
                    f"{self.ids[attrs['id']]})"
                )
            self.ids.setdefault(attrs["id"], element.line)
        for name, on in REFERENCES.items():
            if name in attrs and (on is None or tag == on) and not self._hidden(element):
                for target in attrs[name].split():
                    self.references.append((element, name, target))
        role = attrs.get("role", "").split()[:1]
        if role and tag in ALLOWED_ROLES and role[0] not in ALLOWED_ROLES[tag]:
            self.problems.append(f"{element}: role {role[0]!r} is not allowed on <{tag}>")
        if "aria-modal" in attrs and not (role and role[0] in MODAL_ROLES):
            self.problems.append(f"{element}: aria-modal without a dialog role")
        if tag == "time" and "datetime" in attrs and not DATETIME.fullmatch(attrs["datetime"]):
            self.problems.append(f"{element}: datetime {attrs['datetime']!r} is not valid")
        for name in attrs:
            if name.startswith("hx-"):
                self.problems.append(f"{element}: {name} is no HTML attribute (data-{name} is)")
        if _is_interactive(tag, attrs):
            outer = next((e for e in self._open if _is_interactive(e.tag, e.attrs)), None)
            if outer is not None and outer.tag in {"a", "button"}:
                self.problems.append(f"{element}: interactive inside {outer}")

    def finish(self) -> list[str]:
        for element, name, target in self.references:
            if target not in self.ids:
                self.problems.append(f"{element}: {name} names {target!r}, which no element has")
        for figure in self.figures:
            captions = [i for i, child in enumerate(figure.children) if child.tag == "figcaption"]
            if any(i not in {0, len(figure.children) - 1} for i in captions):
                self.problems.append(f"{figure}: its figcaption is neither first nor last")
        return self.problems


def markup_problems(html: str) -> list[str]:
    """Each rule of the module's docstring the page breaks, with where."""
    checker = _Checker()
    checker.feed(html)
    checker.close()
    return checker.finish()
