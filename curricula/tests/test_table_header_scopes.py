"""The headers of the tables that group their rows and columns say what they head (WCAG 1.3.1,
technique H63): a competency area's row, atop its rows in their own <tbody>, heads that row
group (scope="rowgroup"); a module's heading over its courses heads a column group, which only
<colgroup> elements make (without them a scope="colgroup" header heads nothing)."""

from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db


class _Tables(HTMLParser):
    """Each table of a page: its <colgroup> spans, and each header cell with the part of the
    table it is in (thead, tbody), its scope and its colspan."""

    def __init__(self):
        super().__init__()
        self.tables: list[dict] = []
        self.part: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append({"colgroups": [], "headers": [], "width": 0, "row": 0})
        elif not self.tables:
            return
        table = self.tables[-1]
        if tag in {"thead", "tbody", "tfoot"}:
            self.part = tag
        elif tag == "colgroup":
            table["colgroups"].append(int(attrs.get("span") or 1))
        elif tag == "tr":
            table["row"] = 0
        elif tag in {"th", "td"}:
            span = int(attrs.get("colspan") or 1)
            table["row"] += span
            table["width"] = max(table["width"], table["row"])
            if tag == "th":
                table["headers"].append(
                    {"part": self.part, "scope": attrs.get("scope"), "colspan": span}
                )

    def handle_endtag(self, tag):
        if tag in {"thead", "tbody", "tfoot"}:
            self.part = None


def _tables(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, url
    parser = _Tables()
    parser.feed(response.content.decode())
    return [table for table in parser.tables if table["headers"]]


def _pages() -> list[str]:
    from curricula.models import Programme
    from positions.models import Position

    programme = Programme.objects.order_by("order", "name").first()
    position = Position.objects.filter(requirements__isnull=False).order_by("order").first()
    return [
        programme.get_absolute_url(),
        f"/programs/{programme.pk}/report/",
        f"/positions/{position.pk}/",
    ]


def test_an_area_s_row_heads_its_row_group(client, paper):
    """Observed: the competency area's row atop its abilities (the map, its printable report,
    the position page) was a header with scope="colgroup": in a body row, under no <colgroup>,
    it headed no cell, and a screen reader moving through an area's cells was never told the
    area. It now heads its <tbody>'s rows (scope="rowgroup"); a header with scope="colgroup"
    stands only in a table's head."""
    found = {}
    for url in _pages():
        tables = _tables(client, url)
        groups = [
            header
            for table in tables
            for header in table["headers"]
            if header["part"] == "tbody" and header["colspan"] == table["width"] > 1
        ]
        assert groups, url  # each page groups its rows by area
        wrong = [
            header
            for table in tables
            for header in table["headers"]
            if (header in groups and header["scope"] != "rowgroup")
            or (header["scope"] == "colgroup" and header["part"] != "thead")
        ]
        if wrong:
            found[url] = wrong
    assert found == {}


def test_a_module_heads_the_column_group_of_its_courses(client, paper):
    """Observed: the map's module headings (scope="colgroup") stood over their courses with no
    <colgroup> in the table, so they headed no column: a screen reader did not say a course's
    module. The table now has a column group for the fixed columns and one per module, each as
    wide as its heading."""
    from curricula.models import Programme

    programme = Programme.objects.order_by("order", "name").first()
    tables = _tables(client, programme.get_absolute_url())
    [table] = [
        table
        for table in tables
        if any(header["scope"] == "colgroup" for header in table["headers"])
    ]
    modules = [
        header["colspan"]
        for header in table["headers"]
        if header["part"] == "thead" and header["scope"] == "colgroup"
    ]
    assert modules
    assert sum(table["colgroups"]) == table["width"]
    assert table["colgroups"][1:] == modules
