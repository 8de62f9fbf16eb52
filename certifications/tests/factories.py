import factory

from certifications import models
from core.models import DegreeLevel


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Certification

    name = factory.Sequence(lambda n: f"Certification {n}")
    degree_level = DegreeLevel.BACHELOR
