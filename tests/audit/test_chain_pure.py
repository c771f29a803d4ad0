import pytest

from quietdesk.audit import chain

pytestmark = pytest.mark.nodb


def build(n):
    prev, rows = chain.GENESIS, []
    for seq in range(1, n + 1):
        cols = (f"2026-11-21T10:00:0{seq % 10}.000000Z", "desk", "circulation", f"P-{seq}", "registration", "view", "b")
        prev = chain.next_hash(prev, chain.canonical(seq, *cols))
        rows.append([seq, chain.SEP.join(cols), prev])
    return rows


def test_intact_chain_and_ranges_checked_separately():
    rows = build(10)
    assert chain.check_joined(rows) == (10, None)
    # A range checks on its own from the stored hash of the entry before it.
    assert chain.check_joined(rows[5:], prev_seq=5, prev_hash=rows[4][2]) == (5, None)


@pytest.mark.parametrize("damage, seq", [
    (lambda r: r[3].__setitem__(1, r[3][1].replace("P-4", "P-X")), 4),
    (lambda r: r.pop(6), 8),
    (lambda r: r.insert(2, [3, "forged", "0" * 64]), 3),
    (lambda r: r.__setitem__(slice(1, 3), [r[2], r[1]]), 3),
])
def test_first_bad_entry_is_named(damage, seq):
    rows = build(10)
    damage(rows)
    count, problem = chain.check_joined(rows)
    assert problem is not None and problem.seq == seq
