"""Loans get random UUIDs instead of sequential numbers: a loan's number must not say
when it was made, nor line up with anything else. Existing loans get fresh ids."""

import uuid

from django.db import migrations, models


def fill(apps, schema_editor):
    Loan = apps.get_model("circulation", "Loan")
    for pk in list(Loan.objects.values_list("pk", flat=True)):
        Loan.objects.filter(pk=pk).update(new_id=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("circulation", "0001_initial")]

    operations = [
        migrations.AddField("loan", "new_id", models.UUIDField(null=True)),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RemoveField("loan", "id"),
        migrations.RenameField("loan", "new_id", "id"),
        migrations.AlterField("loan", "id", models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False,
                                                             serialize=False)),
    ]
