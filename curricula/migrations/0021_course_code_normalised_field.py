import core.models
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("curricula", "0020_course_codes_normalised"),
    ]

    operations = [
        migrations.AlterField(
            model_name="course",
            name="code",
            field=core.models.CodeField(max_length=32, unique=True, verbose_name="code"),
        ),
        migrations.AlterField(
            model_name="historicalcourse",
            name="code",
            field=core.models.CodeField(db_index=True, max_length=32, verbose_name="code"),
        ),
    ]
