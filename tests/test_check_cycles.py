"""tools/check_cycles.py fails on a circle its allow-list does not cover, and on a listed one that grows."""

import pytest

from tools import check_cycles

pytestmark = pytest.mark.nodb

ALLOWED = (frozenset({"quietdesk.a.x", "quietdesk.a.y", "quietdesk.a.z"}),)


def test_a_circle_not_listed_is_new():
    new, known, _ = check_cycles.judge([["quietdesk.b.p", "quietdesk.b.q"]], ALLOWED)
    assert new == [["quietdesk.b.p", "quietdesk.b.q"]] and known == []


def test_a_listed_circle_passes_and_may_shrink():
    found = [["quietdesk.a.x", "quietdesk.a.y"]]
    assert check_cycles.judge(found, ALLOWED) == ([], found, [])


def test_a_listed_circle_that_grows_is_new():
    found = [["quietdesk.a.x", "quietdesk.a.y", "quietdesk.c.w"]]
    new, known, stale = check_cycles.judge(found, ALLOWED)
    assert new == found and known == [] and stale == list(ALLOWED)


def test_an_entry_no_circle_needs_is_reported():
    assert check_cycles.judge([], ALLOWED) == ([], [], list(ALLOWED))
