from django.db import migrations, models


def spanish_is_not_marked_reviewed(apps, schema_editor):
    """A data choice, made on purpose (docs/operators-guide.md, "Patron pages and their languages").

    The Spanish pages were written by the project's contributors; the repository has no
    record of a person fluent in Spanish reviewing them against the English. Marking them
    reviewed would tell patrons something nobody has checked, so Spanish starts, like every
    other translation, as not reviewed, and the director marks it reviewed once someone has.
    """
    TranslationReview = apps.get_model("guide", "TranslationReview")
    TranslationReview.objects.get_or_create(language="es", defaults={"reviewed": False})


class Migration(migrations.Migration):

    dependencies = [
        ("guide", "0002_contact_staff_counsel_union"),
    ]

    operations = [
        migrations.CreateModel(
            name="TranslationReview",
            fields=[
                ("language", models.CharField(max_length=16, primary_key=True, serialize=False)),
                ("reviewed", models.BooleanField(default=False)),
                ("changed_at", models.DateTimeField(blank=True, null=True)),
            ],
        ),
        migrations.RunPython(spanish_is_not_marked_reviewed, migrations.RunPython.noop),
    ]
