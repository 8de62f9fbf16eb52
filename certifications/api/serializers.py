from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from certifications.models import Certification


class DirectionCourseSerializer(serializers.Serializer):
    """A course as one direction lists it (a curricula ProgrammeCourse, read through its course)."""

    id = serializers.IntegerField(source="course.id", read_only=True)
    code = serializers.CharField(source="course.code", read_only=True)
    title = serializers.CharField(source="course.title", read_only=True)
    listed_as = serializers.CharField(
        read_only=True, help_text=_("The title exactly as Table III prints it.")
    )


class DirectionSerializer(serializers.Serializer):
    """A career direction of a certification: one programme, on one track."""

    program = serializers.IntegerField(source="id", read_only=True)
    name = serializers.CharField(read_only=True)
    track = serializers.IntegerField(source="track.id", read_only=True)
    track_name = serializers.CharField(source="track.name", read_only=True)
    courses = DirectionCourseSerializer(source="programme_courses", many=True, read_only=True)


class CertificationSerializer(serializers.ModelSerializer):
    directions = DirectionSerializer(source="programmes", many=True, read_only=True)

    class Meta:
        model = Certification
        fields = [
            "id",
            "name",
            "degree_level",
            "awarding_body",
            "description",
            "provenance",
            "directions",
        ]
