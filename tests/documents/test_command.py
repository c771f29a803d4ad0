"""quietdesk classify FILE [--json], and the desk's intake: both read the branches'
addresses from the database, so "names other premises" is answered."""

import datetime
import io
import json
from types import SimpleNamespace

import pytest
from django.core.management import call_command

from quietdesk.core.models import Branch
from quietdesk.legal import intake

from .conftest import CORPUS

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 16)


def run(*args) -> str:
    out = io.StringIO()
    call_command("classify", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


@pytest.fixture
def branches():
    Branch.objects.create(code="central", name="Central", address="100 Example Ave., Riverside, CA")
    Branch.objects.create(code="east", name="East", address="")  # no address on record


def test_json(settings):
    settings.LIBRARY_STATE = "CA"
    result = json.loads(run(str(CORPUS / "js_ao93_nevada_expired.txt"), "--json"))
    assert result["kind"] == "judicial_search_warrant"
    assert result["signed_by_judge"] is True
    assert result["expired"] is True and result["out_of_state"] is True
    assert result["names_other_premises"] is None  # no branch address on record
    assert "reason" not in result
    assert result["guidance"][-1].startswith("Call the library director")


def test_names_other_premises_compares_with_the_branches(branches):
    ours = json.loads(run(str(CORPUS / "js_ao93_ndcal.txt"), "--json"))
    assert ours["names_other_premises"] is False
    theirs = json.loads(run(str(CORPUS / "js_ao93_printed_form.txt"), "--json"))
    assert theirs["names_other_premises"] is True
    assert any("not one of the library's branches" in line for line in theirs["guidance"])
    plain = run(str(CORPUS / "js_ao93_printed_form.txt"))
    assert "Names a place that is not one of our branches: yes" in plain
    no_place = json.loads(run(str(CORPUS / "as_i138.txt"), "--json"))
    assert no_place["names_other_premises"] is None


def test_new_kinds_in_plain_words(branches):
    assert run(str(CORPUS / "det_i247a_with_i200.txt")).startswith(
        "This is: an immigration detainer (Form I-247A), addressed to jails."
    )
    text = run(str(CORPUS / "cs_ca_order_to_attend.txt"))
    assert text.startswith("This is: a subpoena in a court case, issued by a clerk or an attorney.")
    assert "Signed by a judge: no" in text


def test_library_state_comes_from_settings(settings):
    settings.LIBRARY_STATE = "NV"
    result = json.loads(run(str(CORPUS / "js_ao93_nevada_expired.txt"), "--json"))
    assert result["out_of_state"] is False


def test_plain_words():
    text = run(str(CORPUS / "ice_i200.txt"))
    assert text.startswith("This is: an ICE administrative warrant.")
    assert "Signed by a judge: no" in text
    assert "NOT by a judge" in text
    assert text.rstrip().endswith("give them a copy of the document.")


def test_bad_file_is_unknown_not_an_error(tmp_path, settings):
    settings.DOCUMENT_MAX_BYTES = 10
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff" + b"\0" * 100)
    result = json.loads(run(str(path), "--json"))
    assert result["kind"] == "unknown" and result["signed_by_judge"] is None
    assert "too large" in result["reason"]
    assert "Signed by a judge: cannot tell" in run(str(path))


def test_the_desk_reading_keeps_the_validity_facts(branches, settings):
    settings.LIBRARY_STATE = "CA"
    photo = SimpleNamespace(data=(CORPUS / "js_texas_magistrate.txt").read_bytes())
    kind, reading = intake.read_kind(photo)
    assert kind == "judicial_search_warrant"
    assert (reading["expired"], reading["out_of_state"], reading["names_other_premises"]) == (
        False,
        True,
        True,
    )
    kind, reading = intake.read_kind(SimpleNamespace(data=(CORPUS / "js_ao93_ndcal.txt").read_bytes()))
    assert (reading["out_of_state"], reading["names_other_premises"]) == (False, False)
    kind, _ = intake.read_kind(SimpleNamespace(data=(CORPUS / "det_i247a_jail.txt").read_bytes()))
    assert kind == "immigration_detainer"
