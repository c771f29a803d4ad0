# A name word's row loses its random id: its key becomes (patron, word), which also serves the
# lookups by patron, so two indexes go (one fewer page written at random per word registered).
# A primary key cannot be changed in place, so the rows move to a new table.

import uuid

import django.db.models.deletion
from django.db import migrations, models


def copy_words(apps, schema_editor):
    old = apps.get_model("patrons", "PatronNameWordV1")._meta.db_table
    new = apps.get_model("patrons", "PatronNameWord")._meta.db_table
    quote = schema_editor.quote_name
    # DISTINCT: two words of one name may share a (truncated) index; the new key keeps one.
    schema_editor.execute(
        f"INSERT INTO {quote(new)} (patron_id, word_bidx) "  # noqa: S608
        f"SELECT DISTINCT patron_id, word_bidx FROM {quote(old)}"
    )


def copy_words_back(apps, schema_editor):
    """Going back: the rows return to the table with ids, each a new random one."""
    old = apps.get_model("patrons", "PatronNameWordV1")
    new = apps.get_model("patrons", "PatronNameWord")
    rows = new.objects.values_list("patron_id", "word_bidx").iterator(chunk_size=5000)
    batch = []
    for patron_id, word_bidx in rows:
        batch.append(old(id=uuid.uuid4(), patron_id=patron_id, word_bidx=word_bidx))
        if len(batch) == 5000:
            old.objects.bulk_create(batch)
            batch.clear()
    old.objects.bulk_create(batch)


class Migration(migrations.Migration):

    dependencies = [
        ("patrons", "0003_patron_name_words"),
    ]

    operations = [
        migrations.RenameModel("PatronNameWord", "PatronNameWordV1"),
        migrations.CreateModel(
            name="PatronNameWord",
            fields=[
                ("patron", models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE,
                                             related_name="+", to="patrons.patron")),
                ("word_bidx", models.BigIntegerField()),
                ("pk", models.CompositePrimaryKey("patron", "word_bidx", blank=True, editable=False,
                                                  primary_key=True, serialize=False)),
            ],
            options={
                "indexes": [models.Index(fields=["word_bidx"], name="patron_name_word_bidx")],
            },
        ),
        migrations.RunPython(copy_words, copy_words_back),
        migrations.DeleteModel("PatronNameWordV1"),
    ]
