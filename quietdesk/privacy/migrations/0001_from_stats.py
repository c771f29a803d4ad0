"""The vendor register and the saved privacy audits change app, not table.

The stats app made ``stats_vendor`` and ``stats_auditrun`` (stats 0001). Here the
privacy app takes them over in Django's model state only: the tables keep their
names (``db_table``), no row is copied, none is lost. stats 0002 drops them from the
stats app's state, again without touching the database. The content types follow,
so anything that names them by id still finds them.
"""

import uuid

from django.db import migrations, models


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("vendor", "auditrun"):
        if not ContentType.objects.filter(app_label="privacy", model=model).exists():
            ContentType.objects.filter(app_label="stats", model=model).update(app_label="privacy")


def content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("vendor", "auditrun"):
        if not ContentType.objects.filter(app_label="stats", model=model).exists():
            ContentType.objects.filter(app_label="privacy", model=model).update(app_label="stats")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("stats", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Vendor",
                    fields=[
                        ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ("name", models.CharField(blank=True, max_length=120)),
                        ("service", models.CharField(blank=True, choices=[
                            ("ils", "Library system host (ILS)"), ("ebooks", "E-book and audiobook platform"),
                            ("printing", "Printing and copying"), ("wifi", "Wi-Fi and network"),
                            ("databases", "Online databases"), ("other", "Other")], max_length=12)),
                        ("holds", models.CharField(blank=True, max_length=300, verbose_name="what they hold")),
                        ("categories", models.CharField(blank=True, max_length=200)),
                        ("clauses", models.JSONField(blank=True, default=dict)),
                        ("contract_ends_on", models.DateField(blank=True, null=True)),
                        ("next_review_on", models.DateField(blank=True, null=True)),
                        ("privacy_policy_url", models.URLField(blank=True)),
                        ("contact", models.CharField(blank=True, max_length=200,
                                                     verbose_name="vendor contact (role or office)")),
                        ("notes", models.CharField(blank=True, max_length=500)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("updated_by", models.CharField(blank=True, max_length=150)),
                    ],
                    options={"db_table": "stats_vendor", "ordering": ["name"]},
                ),
                migrations.CreateModel(
                    name="AuditRun",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("created_by", models.CharField(max_length=150)),
                        ("data", models.JSONField(default=dict)),
                    ],
                    options={"db_table": "stats_auditrun", "ordering": ["-created_at", "-id"]},
                ),
            ],
        ),
        migrations.RunPython(move_content_types, content_types_back),
    ]
