"""Text an attacker or a careless paste gives the engine: a course description of one unbroken
run of Chinese (no punctuation, no space) of 20,000 characters kept a worker on one course for
three and a half minutes, its words compared each with every other."""

import random

from suggestions.engine.text import analyse, contained_spans


class _CountingSpans(set):
    """A set of spans that counts how often it is walked through."""

    walks = 0

    def __iter__(self):
        type(self).walks += 1
        return super().__iter__()


def test_the_parts_of_a_run_are_found_in_one_pass_over_its_words():
    """Each word once against what came before it, not against every other word: a run of n
    words cost n² comparisons."""
    spans = _CountingSpans((n * 2, n * 2 + 2) for n in range(2000))
    spans.update((n * 2, n * 2 + 1) for n in range(2000))
    _CountingSpans.walks = 0

    parts = contained_spans(spans)

    assert parts == {(n * 2, n * 2 + 1) for n in range(2000)}
    assert _CountingSpans.walks <= 2


def test_the_parts_are_the_spans_inside_a_longer_one():
    rng = random.Random(3)
    for _ in range(300):
        spans = set()
        for _ in range(rng.randint(0, 12)):
            start = rng.randint(0, 10)
            spans.add((start, start + rng.randint(1, 5)))
        expected = {
            (start, end)
            for start, end in spans
            if any(s <= start and end <= e and (s, e) != (start, end) for s, e in spans)
        }
        assert contained_spans(spans) == expected, spans


def test_a_long_unbroken_chinese_run_is_read_into_its_words():
    terms = analyse("通过本课程学生应能掌握国际物流" * 400)

    keys = {term.key for term in terms}
    assert {"国际", "物流", "课程"} <= keys
