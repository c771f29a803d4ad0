"""The vendor register and the saved audits now belong to the privacy app (privacy 0001):
they leave the stats app's model state only. Their tables stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("stats", "0001_initial"),
        ("privacy", "0001_from_stats"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="Vendor"),
                migrations.DeleteModel(name="AuditRun"),
            ],
        ),
    ]
