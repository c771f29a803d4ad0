"""Name words move to a table keyed by (patron, word) with no id: every word survives the move,
a repeated (patron, word) pair becomes one row, finding by a word still works after it, and
going back to ids keeps every word."""

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from quietdesk.audit.service import Actor

DESK = Actor("desk", "circulation")
LATEST = ("patrons", "0004_name_words_keyed_by_patron")


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


def _param(value: uuid.UUID):
    return value.hex if connection.vendor == "sqlite" else value


@pytest.mark.django_db(transaction=True)
def test_words_survive_the_new_key():
    from quietdesk.patrons import services
    from quietdesk.patrons.models import Patron, PatronNameWord
    from quietdesk.vault import reader
    from tests.personas import patron_data

    ana = services.do_register_patron(DESK, patron_data(401, given_name="Ana", family_name="Ortiz"))
    bo = services.do_register_patron(DESK, patron_data(402, given_name="Bo", family_name="Ortiz"))
    words = {(p.pk, b) for p in (ana, bo) for b in services.name_word_indexes(*(
        ("Ana", "Ortiz") if p == ana else ("Bo", "Ortiz")))}
    assert len(words) == 4
    _migrate(("patrons", "0003_patron_name_words"))
    try:
        with connection.cursor() as cursor:
            # Going back kept every word, each under an id of its own.
            cursor.execute("SELECT id, patron_id, word_bidx FROM patrons_patronnameword")
            back = cursor.fetchall()
            assert {(uuid.UUID(str(p)), b) for _id, p, b in back} == words
            assert len({str(i) for i, _p, _b in back}) == 4
            pid, bidx = sorted(words)[0]  # the same word twice under old ids
            cursor.execute("INSERT INTO patrons_patronnameword (id, patron_id, word_bidx) VALUES (%s, %s, %s)",
                           [_param(uuid.uuid4()), _param(pid), bidx])
        _migrate(LATEST)
        assert {(w.patron_id, w.word_bidx) for w in PatronNameWord.objects.all()} == words
        assert PatronNameWord.objects.count() == 4
        found, count = reader.find_words(DESK, Patron.objects.all(), PatronNameWord, "ortiz", purpose="desk")
        assert count == 2 and {p.pk for p, _shown in found} == {ana.pk, bo.pk}
        # The words go with their patron (cascade on the new key).
        Patron.objects.filter(pk=bo.pk).delete()
        assert {w.patron_id for w in PatronNameWord.objects.all()} == {ana.pk}
    finally:
        _migrate(LATEST)
