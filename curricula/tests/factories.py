import factory

from certifications.tests.factories import CertificationFactory
from curricula import models
from positions.tests.factories import AbilityFactory, TrackFactory, level


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Course

    code = factory.Sequence(lambda n: f"C{n:04d}")
    title = factory.Sequence(lambda n: f"Course {n}")
    credits = 3


class CourseAbilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CourseAbility

    course = factory.SubFactory(CourseFactory)
    ability = factory.SubFactory(AbilityFactory)
    level = factory.LazyFunction(lambda: level("R"))


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Programme
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Programme {n}")
    certification = factory.SubFactory(CertificationFactory)
    track = factory.SubFactory(TrackFactory)

    @factory.post_generation
    def courses(self, create, extracted, **kwargs):
        for i, course in enumerate(extracted or []):
            models.ProgrammeCourse.objects.create(programme=self, course=course, order=i)

    @factory.post_generation
    def targets(self, create, extracted, **kwargs):
        for position in extracted or []:
            models.ProgrammeTarget.objects.create(programme=self, position=position)
