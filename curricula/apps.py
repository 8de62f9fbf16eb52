from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CurriculaConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "curricula"
    verbose_name = _("Curricula")

    def ready(self) -> None:
        # Connects the receivers that mark coverage reports stale.
        from curricula import signals  # noqa: F401
        from curricula.case.catalogue_import import CourseCatalogueReader
        from positions.importers.case import register_package_reader

        # The CASE importer (positions) reads this site's course catalogue through it.
        register_package_reader(CourseCatalogueReader())

        from positions.importers import register_importer
        from positions.models import ImportFormat

        def link_importer():
            from curricula.import_jobs import LinkImporter

            return LinkImporter

        def course_importer():
            from curricula.import_jobs import CourseCatalogueImporter

            return CourseCatalogueImporter

        def requirement_importer():
            from curricula.import_jobs import RequirementImporter

            return RequirementImporter

        from core.ids import ids_remembered_by
        from curricula.models import Suggestion, SuggestionDeletion

        # A suggestion's id, deleted, stays in the deletions feed: a load never hands it out again.
        ids_remembered_by(Suggestion, by=SuggestionDeletion)

        # Large course and link files from the admin run as import jobs (positions' tasks).
        register_importer(ImportFormat.LINKS, link_importer)
        register_importer(ImportFormat.COURSES, course_importer)
        register_importer(ImportFormat.REQUIREMENTS, requirement_importer)
