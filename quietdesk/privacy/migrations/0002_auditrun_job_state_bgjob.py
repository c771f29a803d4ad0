"""A privacy audit is built by a background job: its state, who asked, and why it failed.
Audits saved before this were built in the request, so they are done."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("privacy", "0001_from_stats"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditrun",
            name="requester_role",
            field=models.CharField(blank=True, max_length=40),
        ),
        migrations.AddField(
            model_name="auditrun",
            name="requester_branch",
            field=models.IntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="auditrun",
            name="state",
            field=models.CharField(choices=[("queued", "Waiting for the worker"), ("running", "Running"),
                                            ("done", "Ready"), ("failed", "Failed")], default="done", max_length=8),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditrun",
            name="state",
            field=models.CharField(choices=[("queued", "Waiting for the worker"), ("running", "Running"),
                                            ("done", "Ready"), ("failed", "Failed")], default="queued", max_length=8),
        ),
        migrations.AddField(
            model_name="auditrun",
            name="finished_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="auditrun",
            name="failure",
            field=models.CharField(blank=True, max_length=200),
        ),
    ]
