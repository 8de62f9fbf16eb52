"""The page rules of core/tests/markup.py, each on a page that breaks it and on one that keeps
it: the sweep over every page (competency_site/tests/test_markup_sweep.py) finds nothing only
because the pages keep them."""

import pytest

from core.tests.markup import markup_problems


def _page(body: str) -> str:
    return f"<!DOCTYPE html><html lang='en'><head><title>-</title></head><body>{body}</body></html>"


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ('<p id="a"></p><p id="a"></p>', "id 'a' given twice"),
        ('<label for="nowhere">Name</label><input id="name">', "for names 'nowhere'"),
        ('<input id="x" aria-describedby="x_helptext">', "aria-describedby names 'x_helptext'"),
        ('<section aria-labelledby="h"><h2>-</h2></section>', "aria-labelledby names 'h'"),
        ('<aside role="dialog" aria-labelledby="t"><h2 id="t">-</h2></aside>', "role 'dialog'"),
        ('<ul role="alert"><li>-</li></ul>', "role 'alert' is not allowed on <ul>"),
        ('<ul class="messages" role="status"><li>-</li></ul>', "role 'status'"),
        ('<div aria-modal="false">-</div>', "aria-modal without a dialog role"),
        (
            "<figure><div>-</div><figcaption>-</figcaption><div>-</div></figure>",
            "figcaption is neither first nor last",
        ),
        ('<time datetime="2026-12-06T09:18:36.573097+00:00">-</time>', "is not valid"),
        ('<a href="/x"><button>-</button></a>', "interactive inside <a>"),
        ('<button><a href="/x">-</a></button>', "interactive inside <button>"),
        ('<form hx-post="/x" method="post"></form>', "hx-post is no HTML attribute"),
    ],
)
def test_a_page_breaking_a_rule_is_told_which(body, said):
    problems = markup_problems(_page(body))
    assert len(problems) == 1, problems
    assert said in problems[0]


@pytest.mark.parametrize(
    "body",
    [
        '<label for="name">Name</label><input id="name" aria-describedby="name_help">'
        '<p id="name_help" hidden>-</p>',
        '<div role="dialog" aria-modal="false" aria-labelledby="t"><h2 id="t">-</h2></div>',
        # Filled by a script before it is shown: the cell panel's heading.
        '<div role="dialog" aria-labelledby="panel-title" hidden></div>',
        '<div role="alert"><ul class="errorlist"><li>-</li></ul></div>',
        '<aside role="note">-</aside><form role="search"><input name="q"></form>',
        "<figure><div>-</div><div>-</div><figcaption>-</figcaption></figure>",
        "<figure><figcaption>-</figcaption><div>-</div></figure>",
        '<time datetime="2026-12-06T09:18:36Z">-</time><time datetime="2026-12-06">-</time>'
        '<time datetime="2026-12-06T09:18:36.573+08:00">-</time>',
        '<a href="/x"><span>-</span></a><label>Name <input name="n"></label>'
        '<a href="/y"><input type="hidden" name="h"></a>',
        '<form data-hx-post="/x" data-hx-swap="outerHTML" method="post"></form>',
    ],
)
def test_a_page_keeping_the_rules_has_no_problem(body):
    assert markup_problems(_page(body)) == []
