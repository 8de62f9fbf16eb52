"""The paper's names as the paper prints them, in databases loaded before the loader did so.

Section III heads its areas "Research and development ability", "Marketing ability", ... (the
loader used to drop "ability", so an area read like the Table I track of the same words), and
Table III prints course titles in its own case ("Online retail practice", not "Online Retail
Practice"). Only records the loader wrote and staff have not edited (provenance "paper", the old
text) change; the reverse puts the old texts back on the same terms.
"""

from django.db import migrations

AREAS = {
    "RD": ("Research and development", "Research and development ability"),
    "MK": ("Marketing", "Marketing ability"),
    "MO": ("Management and operation", "Management and operation ability"),
    "DA": ("Data analysis", "Data analysis ability"),
    "BN": ("Business negotiation", "Business negotiation ability"),
}

COURSES = {
    "CBE104": ("Mobile App Planning and Implementation", "Mobile APP Planning and Implementation"),
    "CBE105": ("Online Retail Practice", "Online retail practice"),
    "CBE106": ("Online Editing Practice", "Online editing practice"),
    "CBE107": ("Business Website Operation", "Business website operation"),
    "CBE108": ("Online Customer Service and Management", "Online customer service and management"),
    "CBE109": ("Online Store Operation and Management", "Online store operation and management"),
    "CBE110": ("Online Marketing and Planning", "Online marketing and planning"),
    "CBE111": ("International Trade Practice", "International trade practice"),
    "CBE112": ("Cross-border Culture and Communication", "Cross-border culture and communication"),
    "CBE113": ("E-commerce Law", "E-commerce law"),
    "CBE114": ("Database Technology", "Database technology"),
    "CBE115": ("Data Engineering", "Data engineering"),
    "CBE116": (
        "Commodity Information Collection and Processing",
        "Commodity information collection and processing",
    ),
    "CBE117": ("Network Investigation and Analysis", "Network investigation and analysis"),
    "CBE118": ("E-commerce Website Construction", "E-commerce website construction"),
    "CBE119": ("E-commerce System Planning and Design", "E-commerce system planning and design"),
    "CBE120": ("Management Information System", "Management information system"),
    "CBE121": ("Data Analysis Language Proficiency", "Data analysis language proficiency"),
    "CBE128": ("Business Data Analysis", "Business data analysis"),
    "CBE129": ("Data Mining Technology", "Data mining technology"),
    "CBE130": ("Big Data Modeling", "Big data modeling"),
    "CBE131": ("Business Mode Planning", "Business mode planning"),
}


def _rename(apps, *, forward: bool) -> None:
    area_model = apps.get_model("positions", "CompetencyArea")
    course_model = apps.get_model("curricula", "Course")
    for model, field, names in ((area_model, "name", AREAS), (course_model, "title", COURSES)):
        for code, (old, new) in names.items():
            before, after = (old, new) if forward else (new, old)
            # update() writes no history row: this corrects how the text was transcribed.
            model.objects.filter(code=code, provenance="paper", **{field: before}).update(
                **{field: after}
            )


def forwards(apps, schema_editor):
    _rename(apps, forward=True)


def backwards(apps, schema_editor):
    _rename(apps, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("curricula", "0015_course_chinese_title"),
        ("positions", "0013_chinese_names"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
