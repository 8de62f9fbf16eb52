"""The coverage chart and the coverage bars, printed on a black-and-white printer, still tell
covered from partial (and partial from missing), and so does a reader who cannot tell the green
from the amber (WCAG 1.4.1, use of colour). Observed: in greyscale the covered green (#2f7d5b)
and the partial amber (#b5740f) came out 106 and 123 of 255, two near-equal greys. The partial
part is now hatched with white, on the page, on paper, in the SVG download and in the legend."""

import io

import numpy
import pytest
from PIL import Image

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Two parts of a graphic apart by this much grey (of 255) print as different shades.
APART = 40


def _greys(whole, selector: str, least: float, most: float = 10_000) -> list[float]:
    """The mean grey of each element in `whole` matching `selector` (at least `least` px wide
    and high, at most `most` px high), read the way a greyscale printer (and CSS's grayscale())
    reads colour: luma with Rec. 709 weights, inside the element's edges. Read off one
    screenshot of `whole`, so that scrolling between boxes and shots cannot misplace them."""
    whole.scroll_into_view_if_needed()
    origin = whole.bounding_box()
    boxes = [part.bounding_box() for part in whole.locator(selector).all()]
    image = Image.open(io.BytesIO(whole.screenshot())).convert("RGB")
    grey = numpy.asarray(image, dtype=float) @ [0.2126, 0.7152, 0.0722]
    inset = 2
    greys = []
    for box in boxes:
        if box and box["width"] >= least and least <= box["height"] <= most:
            left = round(box["x"] - origin["x"]) + inset
            top = round(box["y"] - origin["y"]) + inset
            right = int(box["x"] - origin["x"] + box["width"]) - inset
            bottom = int(box["y"] - origin["y"] + box["height"]) - inset
            greys.append(float(grey[top:bottom, left:right].mean()))
    return greys


def _assert_apart(covered: list[float], partial: list[float], missing: list[float]) -> None:
    assert covered, "the page shows covered parts"
    assert partial, "the page shows partial parts"
    assert missing, "the page shows missing parts"
    for c in covered:
        for p in partial:
            assert abs(c - p) >= APART, (covered, partial)
    for p in partial:
        for m in missing:
            assert abs(p - m) >= APART, (partial, missing)


def test_printed_the_chart_s_covered_and_partial_bars_are_different_greys(open_page, seeded):
    from curricula.models import Programme

    programme = Programme.objects.order_by("order", "name").first()
    page, watch = open_page()
    page.emulate_media(media="print")
    page.goto(f"/programs/{programme.pk}/report/")
    chart = page.locator("svg.chart")
    # The bars and the legend's swatches alike (the legend's are 10 units square); missing, the
    # legend's alone (a bar's track runs under its covered and partial parts).
    _assert_apart(
        _greys(chart, "rect.c", 7), _greys(chart, "rect.p", 7), _greys(chart, "rect.m", 7, 12)
    )
    assert watch.problems == []


def test_printed_the_coverage_bars_covered_and_partial_parts_are_different_greys(open_page, seeded):
    page, watch = open_page()
    page.emulate_media(media="print")
    page.goto("/programs/")
    covered, partial, missing = [], [], []
    for bar in page.locator(".bar").all():
        covered += _greys(bar, ".bar__covered", 6)
        partial += _greys(bar, ".bar__partial", 6)
        # The bar's track where neither part is drawn: its right end, past its rounding.
        bar.evaluate(
            """bar => { const end = document.createElement("i");
              end.className = "test-track-end";
              end.style.cssText = "position:absolute;right:8px;top:0;bottom:0;width:8px";
              bar.style.position = "relative"; bar.append(end); }"""
        )
        drawn = sum(span.bounding_box()["width"] for span in bar.locator("span").all())
        if bar.bounding_box()["width"] - drawn >= 20:
            missing += _greys(bar, ".test-track-end", 6)
    _assert_apart(covered, partial, missing)
    assert watch.problems == []
