"""Table III's course lists, once held only by the six paper programmes, become the
certifications' own lists (CertificationCourse): copied from the programme courses the paper
loader wrote (their source_ref starts with "Table III")."""

from django.db import migrations


def copy_lists(apps, schema_editor):
    ProgrammeCourse = apps.get_model("curricula", "ProgrammeCourse")
    CertificationCourse = apps.get_model("curricula", "CertificationCourse")
    rows = []
    seen = set()
    entries = (
        ProgrammeCourse.objects.filter(
            source_ref__startswith="Table III", programme__certification__isnull=False
        )
        .select_related("programme")
        .order_by("programme_id", "order", "id")
    )
    for entry in entries:
        key = (entry.programme.certification_id, entry.programme.track_id, entry.course_id)
        if key in seen:
            continue
        seen.add(key)
        rows.append(
            CertificationCourse(
                certification_id=key[0],
                track_id=key[1],
                course_id=key[2],
                listed_as=entry.listed_as,
                order=entry.order,
                provenance=entry.provenance,
                source_ref=entry.source_ref,
            )
        )
    CertificationCourse.objects.bulk_create(rows, ignore_conflicts=True)


def drop_lists(apps, schema_editor):
    apps.get_model("curricula", "CertificationCourse").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("curricula", "0005_any_programme_terms_certification_courses")]

    operations = [migrations.RunPython(copy_lists, drop_lists)]
