"""Reading a signed checkpoint note: every way a note can be wrong is refused with a reason,
and a note is only believed when this library's key signed it. Also the chain check's
answer for an entry numbered twice."""

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from quietdesk.audit import chain, checkpoint
from quietdesk.audit.checkpoint import EM_DASH, CheckpointError

pytestmark = pytest.mark.nodb

NAME = "library.example/access-log"
HEAD = "ab" * 32


def keypair():
    private = Ed25519PrivateKey.generate()
    return private, private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def signed(text: str, private, public: bytes, name: str = NAME) -> str:
    return checkpoint.sign_note(text, name, public, private.sign(text.encode()))


def test_a_note_signed_with_the_librarys_key_is_read():
    private, public = keypair()
    note = signed(checkpoint.body(NAME, 42, HEAD), private, public)
    assert checkpoint.parse_and_verify(note, NAME, public) == checkpoint.Checkpoint(NAME, 42, HEAD)


def test_a_text_without_signatures_is_not_a_note():
    _, public = keypair()
    with pytest.raises(CheckpointError, match="not a signed note"):
        checkpoint.parse_and_verify(checkpoint.body(NAME, 1, HEAD), NAME, public)


def test_signatures_by_other_names_or_other_keys_are_not_enough():
    private, public = keypair()
    other, other_public = keypair()
    text = checkpoint.body(NAME, 3, HEAD)
    by_other_name = signed(text, private, public, name="someone.else/log")
    by_other_key = signed(text, other, other_public)
    # Both signature lines under one note; neither is ours, so the note is refused.
    note = text + "\n" + by_other_name.split("\n\n", 1)[1] + by_other_key.split("\n\n", 1)[1] + "a stray line\n"
    with pytest.raises(CheckpointError, match=f"no signature by {NAME}"):
        checkpoint.parse_and_verify(note, NAME, public)


def test_a_signature_that_is_not_base64_is_refused():
    _, public = keypair()
    note = checkpoint.body(NAME, 3, HEAD) + f"\n{EM_DASH} {NAME} not*base64\n"
    with pytest.raises(CheckpointError, match="not valid base64"):
        checkpoint.parse_and_verify(note, NAME, public)


def test_an_altered_note_fails_its_signature():
    private, public = keypair()
    note = signed(checkpoint.body(NAME, 3, HEAD), private, public).replace("\n3\n", "\n4\n")
    with pytest.raises(CheckpointError, match="does not match"):
        checkpoint.parse_and_verify(note, NAME, public)


@pytest.mark.parametrize("text, reason", [
    (f"{NAME}\n12\n", "incomplete"),
    (f"{NAME}\ntwelve\n{base64.b64encode(bytes(32)).decode()}\n", "malformed"),
    (f"{NAME}\n12\nnot*base64\n", "malformed"),
])
def test_a_signed_body_must_say_a_size_and_a_head(text, reason):
    private, public = keypair()
    with pytest.raises(CheckpointError, match=reason):
        checkpoint.parse_and_verify(signed(text, private, public), NAME, public)


def test_an_entry_numbered_twice_is_reported_as_out_of_order():
    prev, rows = chain.GENESIS, []
    for seq in (1, 2):
        body = chain.body(f"2026-11-21T10:00:0{seq}Z", "desk", "circulation", "", "", "registration", "b", "")
        prev = chain.next_hash(prev, seq, "2026-11-21", "view", chain.body_digest(body))
        rows.append([seq, "2026-11-21", "view", body, None, prev])
    count, problem = chain.check_joined([*rows, rows[1]])
    assert count == 2
    assert problem == chain.Problem(2, "out of order or duplicated")
