"""quietdesk classify FILE [--json]."""

import datetime
import io
import json

import pytest
from django.core.management import call_command

from .conftest import CORPUS

pytestmark = pytest.mark.nodb

TODAY = datetime.date(2025, 6, 16)


def run(*args) -> str:
    out = io.StringIO()
    call_command("classify", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def test_json(settings):
    settings.LIBRARY_STATE = "CA"
    result = json.loads(run(str(CORPUS / "js_ao93_nevada_expired.txt"), "--json"))
    assert result["kind"] == "judicial_search_warrant"
    assert result["signed_by_judge"] is True
    assert result["expired"] is True and result["out_of_state"] is True
    assert "reason" not in result
    assert result["guidance"][-1].startswith("Call the library director")


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
