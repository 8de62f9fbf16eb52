import factory

from positions import models


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Framework

    name = factory.Sequence(lambda n: f"Framework {n}")
    source = "test"
    version = "1"


class CompetencyAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CompetencyArea
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"A{n}")
    name = factory.Sequence(lambda n: f"Area {n}")
    order = factory.Sequence(lambda n: n)


class AbilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Ability

    framework = factory.SubFactory(FrameworkFactory)
    area = factory.SubFactory(CompetencyAreaFactory)
    code = factory.Sequence(lambda n: f"AB{n}")
    text = factory.Sequence(lambda n: f"be able to do thing {n}")


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Track

    name = factory.Sequence(lambda n: f"Track {n}")
    slug = factory.Sequence(lambda n: f"track-{n}")


def level(code: str) -> models.Level:
    """The default levels (I, R, M) exist from the migrations on."""
    return models.Level.objects.get(code=code)


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Position

    name = factory.Sequence(lambda n: f"Position {n}")


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Placement

    position = factory.SubFactory(PositionFactory)
    track = factory.SubFactory(TrackFactory)
    degree_level = models.DegreeLevel.BACHELOR
    title = factory.SelfAttribute("position.name")


class RequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Requirement

    position = factory.SubFactory(PositionFactory)
    ability = factory.SubFactory(AbilityFactory)
    importance = models.Importance.ESSENTIAL
    min_level = factory.LazyFunction(lambda: level("M"))
