"""Registration expiry: the month a patron was last active, the day an expiry notice
went, and the registration date coarsened to its month.

Existing patrons get the month of this migration as their last active month: nothing
older is known (earlier versions kept no such date, on purpose), so nobody's account
is closed on a guess; the schedule's period runs from the upgrade.
"""

from django.db import migrations, models

import quietdesk.patrons.models


def registration_months(apps, schema_editor):
    """A registration day is a visit day: keep the month (its first day)."""
    table = apps.get_model("patrons", "Patron")._meta.db_table
    first_of_month = ("date(registered_on, 'start of month')" if schema_editor.connection.vendor == "sqlite"
                      else "date_trunc('month', registered_on)::date")
    schema_editor.execute(f"UPDATE {table} SET registered_on = {first_of_month}")  # noqa: S608


class Migration(migrations.Migration):

    dependencies = [
        ("patrons", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="patron",
            name="active_month",
            field=models.DateField(db_index=True, default=quietdesk.patrons.models.this_month),
        ),
        migrations.AddField(
            model_name="patron",
            name="expiry_notice_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="patron",
            name="registered_on",
            field=models.DateField(default=quietdesk.patrons.models.this_month),
        ),
        migrations.RunPython(registration_months, migrations.RunPython.noop),
    ]
