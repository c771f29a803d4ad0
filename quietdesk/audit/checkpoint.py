"""Signed checkpoints of the access log, in the C2SP signed-note format.

A checkpoint is the note::

    <origin>
    <number of entries>
    <base64 of the chain head hash>

followed by a blank line and a signature line ``— <key name> <base64(key id || Ed25519 signature)>``,
where key id = SHA-256(key name || 0x0A || 0x01 || public key)[:4].

A checkpoint only protects against the server's own administrator once it has
left the machine: email it, print it, or store it write-once elsewhere
(docs/operators-guide.md).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

EM_DASH = "\u2014"
ED25519_ALG = 0x01


class CheckpointError(ValueError):
    pass


def key_id(name: str, public_key: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([ED25519_ALG]) + public_key).digest()[:4]


def verifier_key(name: str, public_key: bytes) -> str:
    """The vkey string others use to check our checkpoints: name+hexid+base64(alg||key)."""
    encoded = base64.b64encode(bytes([ED25519_ALG]) + public_key).decode()
    return f"{name}+{key_id(name, public_key).hex()}+{encoded}"


def body(origin: str, size: int, head_hex: str) -> str:
    return f"{origin}\n{size}\n{base64.b64encode(bytes.fromhex(head_hex)).decode()}\n"


def sign_note(text: str, name: str, public_key: bytes, signature: bytes) -> str:
    sig = base64.b64encode(key_id(name, public_key) + signature).decode()
    return f"{text}\n{EM_DASH} {name} {sig}\n"


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    head_hex: str


def parse_and_verify(note: str, name: str, public_key: bytes) -> Checkpoint:
    text, sep, sigs = note.partition("\n\n")
    if not sep:
        raise CheckpointError("not a signed note (no blank line before signatures)")
    text += "\n"
    wanted = key_id(name, public_key)
    for line in sigs.splitlines():
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != EM_DASH or parts[1] != name:
            continue
        try:
            raw = base64.b64decode(parts[2], validate=True)
        except ValueError:
            raise CheckpointError("signature is not valid base64") from None
        if raw[:4] != wanted:
            continue
        try:
            Ed25519PublicKey.from_public_bytes(public_key).verify(raw[4:], text.encode())
        except InvalidSignature:
            raise CheckpointError("signature does not match the note") from None
        lines = text.splitlines()
        if len(lines) < 3:
            raise CheckpointError("checkpoint body is incomplete")
        try:
            size = int(lines[1])
            head = base64.b64decode(lines[2], validate=True).hex()
        except ValueError:
            raise CheckpointError("checkpoint body is malformed") from None
        return Checkpoint(origin=lines[0], size=size, head_hex=head)
    raise CheckpointError(f"no signature by {name} with this library's key")
