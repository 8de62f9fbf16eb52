from rest_framework import viewsets

from certifications import selectors
from certifications.api.serializers import CertificationSerializer


class CertificationViewSet(viewsets.ReadOnlyModelViewSet):
    """Table III: each certification with its directions (one per track) and their courses."""

    serializer_class = CertificationSerializer

    def get_queryset(self):
        return selectors.certification_list()
