"""`manage.py suggest` refuses a framework or a programme it cannot find in the active language,
as it writes its summary and its unknown course codes. Observed in Chinese: "No framework 'Web'."
and "Several frameworks are named 'Web': give its id." among translated messages.

The catalogue may not hold a message yet: `chinese_stand_in` gives it a stand-in translation
(〈msgid〉) for the test, and the expected text is computed through the catalogue."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.translation import gettext

from core.i18n import bracketed, join_list, join_sentences
from positions.tests.factories import FrameworkFactory

NAMED = "No framework is named “%(name)s”."
SEVERAL = "Several frameworks are named “%(name)s”: give its id."
LISTED = "The frameworks are: %(frameworks)s."

pytestmark = pytest.mark.django_db


def _refusal(*args) -> str:
    with pytest.raises(CommandError) as raised:
        call_command("suggest", *args, stdout=StringIO(), stderr=StringIO())
    return str(raised.value)


@pytest.mark.parametrize(
    ("args", "message", "values"),
    [
        (["--framework", "99999"], "No framework with id %(id)s.", {"id": "99999"}),
        (["--framework", "Web"], NAMED, {"name": "Web"}),
        (["--framework", "Twin"], SEVERAL, {"name": "Twin"}),
    ],
)
def test_in_chinese_a_framework_it_cannot_find_is_refused_in_the_catalogue_s_words(
    chinese_stand_in, args, message, values
):
    first, second = FrameworkFactory(name="Twin"), FrameworkFactory(name="Twin")
    chinese_stand_in(None, message)
    chinese_stand_in(None, LISTED)
    with translation.override("zh-hans"):
        refusal = _refusal("--all-courses", *args)
        expected = translation.gettext(message) % values
        if message == NAMED:  # with the frameworks there are, in the catalogue's words too
            twins = [
                bracketed("“Twin”", gettext("id %(id)d") % {"id": f.pk}) for f in (first, second)
            ]
            listed = translation.gettext(LISTED) % {"frameworks": join_list(twins)}
            expected = join_sentences([expected, listed])
    assert refusal == expected


def test_in_chinese_a_programme_it_cannot_find_is_refused_in_the_catalogue_s_words():
    with translation.override("zh-hans"):
        refusal = _refusal("--programme", "0")
        expected = translation.gettext("No programme has the id or name “%(p)s”.") % {"p": "0"}
    assert refusal == expected


def test_in_chinese_an_option_the_generation_refuses_is_named_before_the_catalogue_s_colon():
    with translation.override("zh-hans"):
        refusal = _refusal("--all-courses", "--k", "0")
        label = translation.gettext("%(label)s: %(value)s") % {"label": "--k", "value": ""}
    assert refusal.startswith(label), refusal
    assert "--k: " not in refusal


def test_in_english_the_refusals_name_what_was_given():
    FrameworkFactory(name="Twin")
    FrameworkFactory(name="Twin")
    assert _refusal("--all-courses", "--framework", "Web").startswith(
        "No framework is named “Web”. The frameworks are: “Twin” (id "
    )
    assert _refusal("--all-courses", "--framework", "Twin") == (
        "Several frameworks are named “Twin”: give its id."
    )
    assert _refusal("--all-courses", "--framework", "99999") == "No framework with id 99999."


def test_in_chinese_the_progress_bar_counts_in_the_catalogue_s_unit():
    """Observed: `suggest --language zh-hans` drew its bar as "0/1 [00:00, ?subject/s]", the
    unit in English where `recompute_coverage`'s counts 培养方案."""
    from curricula.tests.factories import CourseFactory

    CourseFactory(description="Plan campaigns and measure their reach.")
    err = StringIO()
    call_command("suggest", "--all-courses", "--language", "zh-hans", stdout=StringIO(), stderr=err)
    with translation.override("zh-hans"):
        unit = translation.pgettext(
            "a course or a position, as a progress bar counts them", "subject"
        )
    assert "subject" not in err.getvalue()
    assert unit in err.getvalue()


def test_a_framework_name_it_cannot_find_is_refused_naming_the_frameworks_there_are():
    """Observed: after importing ESCO, `suggest --programme 1 --framework ESCO` (the README's
    `--framework ID|NAME`) answered only "No framework is named “ESCO”.": a new administrator
    could not tell that the import had named it “ESCO skills (en)”, nor which id to give."""
    esco = FrameworkFactory(name="ESCO skills (en)")
    other = FrameworkFactory(name="Local outcomes")
    refusal = _refusal("--all-courses", "--framework", "ESCO")
    assert refusal.startswith("No framework is named “ESCO”. ")
    assert f"“ESCO skills (en)” (id {esco.pk})" in refusal
    assert f"“Local outcomes” (id {other.pk})" in refusal
