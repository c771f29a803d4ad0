"""The vault's bulk paths (imports, purges) give exactly what the one-at-a-time paths give."""

import random
import string
import uuid

import pytest

from quietdesk.vault import api, crypto, unseal
from tests.personas import PersonaTestCase


@pytest.mark.nodb
def test_pseudonyms_and_blind_indexes_match_their_definitions():
    # api's fast paths (HMAC pads hashed once, cached per key) against crypto's
    # plain definitions (hmac.new each time).
    from django.conf import settings

    from quietdesk.vault import keys

    ring = keys.keyring()
    make = api.pseudonymizer("P")
    for _ in range(500):
        subject = uuid.uuid4()
        assert make(subject) == api.pseudonym(subject, "P") == crypto.pseudonym(ring.pseudonym_key, subject, "P")
    rng = random.Random(5)
    alphabet = string.printable + "éÑßﬁ İ"
    field_key = crypto.index_field_key(ring.index_key, "patrons_patron", "x")
    for normalizer in ("exact", "name", "email"):
        index = api.blind_indexer("patrons_patron", "x", normalizer)
        for _ in range(500):
            value = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
            normalized = crypto.NORMALIZERS[normalizer](value)
            expected = crypto.blind_index(field_key, normalized, settings.BLIND_INDEX_BITS) if normalized else None
            assert index(value) == api.blind_index("patrons_patron", "x", value, normalizer) == expected, (normalizer, value)


@pytest.mark.nodb
def test_bulk_sealed_fields_open_like_any_other_and_stay_bound_to_their_row():
    subjects = api.prepare_subjects("patron", [uuid.uuid4() for _ in range(20)])
    sealer = api.BulkSealer("patrons.patron", batch=3)  # small pool: refills on the way
    for subject in subjects:
        row = uuid.uuid4()
        blob = sealer.seal(subject, "given_name", row, "Zoë")
        aead = subject.key._SealOnly__aead  # the test looks behind the sealing-only wrapper on purpose
        assert unseal.open_sealed(aead, "patrons.patron", "given_name", row, blob) == "Zoë"
        for other in (("family_name", row), ("given_name", uuid.uuid4())):
            with pytest.raises(crypto.DecryptionError):
                unseal.open_sealed(aead, "patrons.patron", other[0], other[1], blob)
    assert sealer.seal(subjects[0], "notes", uuid.uuid4(), "") is None
    # Nonces never repeat.
    blobs = {sealer.seal(subjects[0], "notes", uuid.UUID(int=1), "x")[4:16] for _ in range(50)}
    assert len(blobs) == 50


class StoredKeys(PersonaTestCase):
    def test_stored_keys_unwrap_and_shred_many(self):
        from django.db import transaction

        from quietdesk.vault import datakeys

        subjects = api.prepare_subjects("reference_note", [uuid.uuid4() for _ in range(5)])
        with transaction.atomic():
            api.store_keys([s.key_row for s in subjects])
        datakeys.cache.clear()
        for s in subjects:
            version, aead = datakeys.get(s.key_row[0])
            row = uuid.uuid4()
            blob = api.BulkSealer("records.referencenote").seal(s, "question", row, "q")
            assert unseal.open_sealed(aead, "records.referencenote", "question", row, blob) == "q"
        with transaction.atomic():
            self.assertEqual(api.shred_many([s.key_row[0] for s in subjects[:3]]), 3)
        for s in subjects[:3]:
            self.assertTrue(api.is_shredded(s.key_row[0]))
            with self.assertRaises(api.SubjectShredded):
                datakeys.get(s.key_row[0])
        datakeys.get(subjects[4].key_row[0])
