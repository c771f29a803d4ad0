import unicodedata
import uuid

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from quietdesk.vault import crypto, unseal

pytestmark = pytest.mark.nodb

ROW = uuid.uuid4()


@pytest.fixture
def aead():
    return AESGCM(crypto.new_data_key())


def test_seal_round_trip(aead):
    blob = crypto.seal(aead, 1, "patrons.patron", "given_name", ROW, "María José")
    assert b"Mar" not in blob
    assert unseal.open_sealed(aead, "patrons.patron", "given_name", ROW, blob) == "María José"


def test_same_value_seals_differently(aead):
    a = crypto.seal(aead, 1, "m", "f", ROW, "same")
    b = crypto.seal(aead, 1, "m", "f", ROW, "same")
    assert a != b  # random nonces: equal values are not visible as equal


@pytest.mark.parametrize(
    "model, field, row",
    [("patrons.other", "given_name", ROW), ("patrons.patron", "family_name", ROW), ("patrons.patron", "given_name", uuid.uuid4())],
)
def test_ciphertext_is_bound_to_model_field_and_row(aead, model, field, row):
    blob = crypto.seal(aead, 1, "patrons.patron", "given_name", ROW, "Ana")
    with pytest.raises(crypto.DecryptionError):
        unseal.open_sealed(aead, model, field, row, blob)


def test_any_altered_byte_fails(aead):
    blob = bytearray(crypto.seal(aead, 1, "m", "f", ROW, "Ana"))
    for i in range(len(blob)):
        damaged = bytearray(blob)
        damaged[i] ^= 0x01
        with pytest.raises(crypto.DecryptionError):
            unseal.open_sealed(aead, "m", "f", ROW, bytes(damaged))


def test_truncated_or_foreign_blob_fails(aead):
    with pytest.raises(crypto.DecryptionError):
        unseal.open_sealed(aead, "m", "f", ROW, b"Q\x01")
    with pytest.raises(crypto.DecryptionError):
        unseal.open_sealed(aead, "m", "f", ROW, b"X" * 64)


def test_wrong_key_fails(aead):
    blob = crypto.seal(aead, 1, "m", "f", ROW, "Ana")
    with pytest.raises(crypto.DecryptionError):
        unseal.open_sealed(AESGCM(crypto.new_data_key()), "m", "f", ROW, blob)


def test_wrapped_key_bound_to_subject_and_version():
    kek, dk, subject = crypto.new_data_key(), crypto.new_data_key(), uuid.uuid4()
    wrapped = crypto.wrap(kek, 3, subject, 1, dk)
    assert crypto.wrapped_kek_version(wrapped) == 3
    assert crypto.unwrap(kek, subject, 1, wrapped) == dk
    with pytest.raises(crypto.DecryptionError):
        crypto.unwrap(kek, uuid.uuid4(), 1, wrapped)
    with pytest.raises(crypto.DecryptionError):
        crypto.unwrap(kek, subject, 2, wrapped)


@pytest.mark.parametrize(
    "normalizer, a, b",
    [
        ("exact", "2100-0000 1234", "210000001234"),
        ("exact", "ab12cd", "AB12CD"),
        ("email", " Ana@Example.ORG ", "ana@example.org"),
        ("name", "José  Núñez", "jose nunez"),
        ("name", "ＭＡＲＩＡ", "maria"),
    ],
)
def test_normalizers_equate(normalizer, a, b):
    norm = crypto.NORMALIZERS[normalizer]
    assert norm(a) == norm(b)


def test_blind_index_truncation_and_key_separation():
    root = crypto.new_data_key()
    k_card = crypto.index_field_key(root, "patrons_patron", "card_number")
    k_mail = crypto.index_field_key(root, "patrons_patron", "email")
    assert k_card != k_mail
    for bits in (8, 12, 16, 32):
        values = {crypto.blind_index(k_card, f"CARD{i}", bits) for i in range(2000)}
        assert all(0 <= v < 2**bits for v in values)
    # 2,000 values in 8 bits must collide: truncation is real.
    assert len({crypto.blind_index(k_card, f"CARD{i}", 8) for i in range(2000)}) <= 256


def test_pseudonym_is_stable_and_unreadable():
    key, subject = crypto.new_data_key(), uuid.uuid4()
    p = crypto.pseudonym(key, subject)
    assert p == crypto.pseudonym(key, subject)
    assert p.startswith("P-") and len(p) == 11
    assert crypto.pseudonym(crypto.new_data_key(), subject) != p


@pytest.mark.parametrize("value", [
    "".join(chr(i) for i in range(128)),  # every ASCII character once
    "29000001000000", "2100-0000 0001", "abc-def_ghi", "  21 000 ", "", "----", "x" * 300,
    "\x00\x1f\x7f", "card#12/34\\56", "Ab_9", "__init__", "  Mary   ANNE  o'Neil\t", "\x0b\x0c\x1c\x1d\x1e\x1f",
])
def test_ascii_shortcuts_match_the_unicode_rules(value):
    # The ASCII shortcuts must give exactly what the general rules give.
    exact = "".join(ch for ch in unicodedata.normalize("NFKC", value).upper() if ch.isalnum())
    assert crypto.normalize_exact(value) == exact
    bare = "".join(ch for ch in unicodedata.normalize("NFKD", value) if not unicodedata.combining(ch))
    assert crypto.normalize_name(value) == " ".join(bare.casefold().split())
