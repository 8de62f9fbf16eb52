"""A historical model's name is read in the reader's language: django-simple-history names it
with an untranslatable "historical {}", so a Chinese admin's history breadcrumb read "Historical
课程—能力关联"."""

import pytest
from django.apps import apps
from django.utils import translation
from simple_history.models import registered_models


@pytest.mark.parametrize(
    "model",
    sorted(registered_models.values(), key=lambda m: m._meta.label),
    ids=lambda m: m._meta.label,
)
def test_every_historical_model_is_named_in_the_reader_s_language(model):
    historical = model.history.model
    with translation.override("en"):
        assert str(historical._meta.verbose_name) == f"historical {model._meta.verbose_name}"
        assert str(historical._meta.verbose_name_plural) == (
            f"historical {model._meta.verbose_name_plural}"
        )
    with translation.override("zh-hans"):
        for name in (historical._meta.verbose_name, historical._meta.verbose_name_plural):
            assert "historical" not in str(name).lower()
            assert str(model._meta.verbose_name) in str(name)


def test_the_audited_models_are_registered():
    assert apps.get_model("curricula", "CourseAbility") in registered_models.values()
