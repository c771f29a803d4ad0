import pytest

from quietdesk.audit import chain

pytestmark = pytest.mark.nodb


def build(n):
    prev, rows = chain.GENESIS, []
    for seq in range(1, n + 1):
        at = f"2026-11-21T10:00:0{seq % 10}Z"
        body = chain.body(at, "desk", "circulation", "", f"C-{seq}", "registration", "b", "")
        prev = chain.next_hash(prev, seq, at[:10], "view", chain.body_digest(body))
        rows.append([seq, at[:10], "view", body, None, prev])
    return rows


def test_intact_chain_and_ranges_checked_separately():
    rows = build(10)
    assert chain.check_joined(rows) == (10, None)
    # A range checks on its own from the stored hash of the entry before it.
    assert chain.check_joined(rows[5:], prev_seq=5, prev_hash=rows[4][5]) == (5, None)


def test_a_blanked_entry_still_links_through_its_digest():
    rows = build(10)
    rows[3][4], rows[3][3] = chain.body_digest(rows[3][3]), ""
    assert chain.check_joined(rows) == (10, None)
    rows[3][4] = "0" * 64  # a digest that is not the body's
    assert chain.check_joined(rows)[1].seq == 4


@pytest.mark.parametrize("damage, seq", [
    (lambda r: r[3].__setitem__(3, r[3][3].replace("C-4", "C-X")), 4),
    (lambda r: r[3].__setitem__(2, "search"), 4),
    (lambda r: r[3].__setitem__(1, "2026-11-22"), 4),
    (lambda r: r.pop(6), 8),
    (lambda r: r.insert(2, [3, "2026-11-21", "view", "forged", None, "0" * 64]), 3),
    (lambda r: r.__setitem__(slice(1, 3), [r[2], r[1]]), 3),
])
def test_first_bad_entry_is_named(damage, seq):
    rows = build(10)
    damage(rows)
    count, problem = chain.check_joined(rows)
    assert problem is not None and problem.seq == seq
