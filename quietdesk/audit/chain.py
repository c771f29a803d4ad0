"""The access log's hash chain: pure functions, no database.

Format 2 (this one). Each entry has a kept part (its number, day and event) and a
body (the time, who, their role, the sealed subject reference, the case, the
categories, the basis and the non-disclosure mark)::

    b_i = hex(SHA-256(at || 0x1F || actor || ... || restricted))
    h_0 = "0" * 64,   h_i = hex(SHA-256(h_{i-1} || 0x1F || seq || 0x1F || day || 0x1F || action || 0x1F || b_i))

so an expired entry's body can be blanked with only ``b_i`` kept (``body_digest``),
and the chain still proves every entry that remains, in order, unaltered. The
columns are joined with the unit separator (0x1F), which ``service.append``
refuses inside any column. Hashing the previous hash's hex text means a verifier
only handles text, and any range can be checked from the stored hash of the entry
before it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

GENESIS = "0" * 64
SEP = "\x1f"
FORMAT = 2
BODY_COLUMNS = ("at", "actor", "role", "subject", "case_ref", "categories", "basis", "restricted")


def body(at: str, actor: str, role: str, subject: str, case_ref: str, categories: str, basis: str,
         restricted: str) -> str:
    return SEP.join((at, actor, role, subject, case_ref, categories, basis, restricted))


def body_digest(body_text: str) -> str:
    return hashlib.sha256(body_text.encode()).hexdigest()


def next_hash(prev_hex: str, seq: int, day: str, action: str, digest: str) -> str:
    return hashlib.sha256(f"{prev_hex}{SEP}{seq}{SEP}{day}{SEP}{action}{SEP}{digest}".encode()).hexdigest()


@dataclass(frozen=True)
class Problem:
    seq: int
    reason: str

    def __str__(self) -> str:
        return f"entry #{self.seq}: {self.reason}"


def check_batches(
    batches: Iterable[Iterable[tuple]], prev_seq: int = 0, prev_hash: str = GENESIS
) -> tuple[int, Problem | None]:
    """Check rows of (seq, day, action, joined body, stored body digest or None, stored hash),
    in stored order, from a trusted start (the stored hash of the entry before the range).

    No generator between the cursor and the loop: this is the verifier's inner loop,
    and each Python step per entry costs measurably at a million entries.

    Stops at the first bad entry: an altered entry fails its own hash, a deleted one
    leaves a gap in the numbers, an inserted or reordered one breaks the numbering or
    the link to its predecessor.
    """
    sha256 = hashlib.sha256
    expected = prev_seq + 1
    prev = prev_hash
    for batch in batches:
        for seq, day, action, text, digest, stored in batch:
            if seq != expected:
                count = expected - prev_seq - 1
                if seq > expected:
                    return count, Problem(seq, f"entries #{expected} to #{seq - 1} are missing")
                return count, Problem(seq, "out of order or duplicated")
            if digest is None:
                digest = sha256(text.encode()).hexdigest()
            if sha256(f"{prev}{SEP}{seq}{SEP}{day}{SEP}{action}{SEP}{digest}".encode()).hexdigest() != stored:
                return expected - prev_seq - 1, Problem(seq, "its content or its link to the previous entry was altered")
            prev = stored
            expected += 1
    return expected - prev_seq - 1, None


def check_joined(rows: Iterable[tuple], prev_seq: int = 0, prev_hash: str = GENESIS) -> tuple[int, Problem | None]:
    """``check_batches`` over one list of rows (the pure tests' entry point)."""
    return check_batches((rows,), prev_seq, prev_hash)


def redacted_set_digest(seqs: Iterable[int]) -> str:
    """What a prune run records about the entries it blanked: a digest of their numbers."""
    return hashlib.sha256(",".join(str(s) for s in sorted(seqs)).encode()).hexdigest()


@dataclass(frozen=True)
class Result:
    entries: int
    head: str
    problem: Problem | None
    hashes_at: dict[int, str]
    first: int = 1  # the first entry checked (after an anchor, the first one kept)
    pruned: list[str] = field(default_factory=list)  # what pruning removed or blanked, in words

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def last(self) -> int:
        return self.first + self.entries - 1
