"""The access log's hash chain: pure functions, no database.

h_0 = "0" * 64 and h_i = hex(SHA-256(h_{i-1} || 0x1F || canonical(e_i))), where the
canonical form joins the entry's columns with the unit separator (0x1F), which
``service.append`` refuses inside any column. Hashing the previous hash's hex
text (rather than its bytes) means a verifier only ever handles text, and any
range of the log can be checked from the stored hash of the entry before it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

GENESIS = "0" * 64
SEP = "\x1f"
COLUMNS = ("seq", "at", "actor", "role", "subject", "categories", "action", "basis")


def canonical(seq: int, at: str, actor: str, role: str, subject: str, categories: str, action: str, basis: str) -> str:
    return SEP.join((str(seq), at, actor, role, subject, categories, action, basis))


def next_hash(prev_hex: str, line: str) -> str:
    return hashlib.sha256(f"{prev_hex}{SEP}{line}".encode()).hexdigest()


@dataclass(frozen=True)
class Problem:
    seq: int
    reason: str

    def __str__(self) -> str:
        return f"entry #{self.seq}: {self.reason}"


def check_joined(rows: Iterable[tuple], prev_seq: int = 0, prev_hash: str = GENESIS) -> tuple[int, Problem | None]:
    """Check rows of (seq, the other columns already joined by SEP, stored hash), in stored order,
    from a trusted start (the stored hash of the entry before the range)."""
    return check_batches((rows,), prev_seq, prev_hash)


def check_batches(
    batches: Iterable[Iterable[tuple]], prev_seq: int = 0, prev_hash: str = GENESIS
) -> tuple[int, Problem | None]:
    """``check_joined`` over rows that arrive in batches (``fetchmany``), without a
    generator between the cursor and the loop: this is the verifier's inner loop,
    and each Python step per entry costs measurably at a million entries.

    Stops at the first bad entry: an altered entry fails its own hash, a deleted
    one leaves a gap in the numbers, an inserted or reordered one breaks the
    numbering or the link to its predecessor.
    """
    sha256 = hashlib.sha256
    expected = prev_seq + 1
    prev = prev_hash
    for batch in batches:
        for seq, rest, stored in batch:
            if seq != expected:
                count = expected - prev_seq - 1
                if seq > expected:
                    return count, Problem(seq, f"entries #{expected} to #{seq - 1} are missing")
                return count, Problem(seq, "out of order or duplicated")
            if sha256(f"{prev}{SEP}{seq}{SEP}{rest}".encode()).hexdigest() != stored:
                return expected - prev_seq - 1, Problem(seq, "its content or its link to the previous entry was altered")
            prev = stored
            expected += 1
    return expected - prev_seq - 1, None


@dataclass(frozen=True)
class Result:
    entries: int
    head: str
    problem: Problem | None
    hashes_at: dict[int, str]

    @property
    def ok(self) -> bool:
        return self.problem is None
