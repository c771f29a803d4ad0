"""`quietdesk policy decide`, run through call_command. It touches no database:
pytest-django blocks database access in tests not marked django_db, so any query
here would fail the test."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from quietdesk.policy import vocab

pytestmark = pytest.mark.nodb  # pure: no database


def run(*args: str) -> str:
    out = StringIO()
    call_command("policy", "decide", *args, stdout=out)
    return out.getvalue()


def run_json(*args: str) -> dict:
    return json.loads(run(*args, "--json"))


def test_json_staff_reads_within_duties():
    result = run_json("--requester", "staff", "--category", "registration")
    assert result["outcome"] == "allow"
    assert result["scope"] == "duty_minimum"
    assert "log_access" in result["actions"]
    assert set(result) == {"outcome", "scope", "actions", "say", "basis"}
    assert "Sonoma policy III.B.1.a" in result["basis"]


def test_json_ice_administrative_warrant():
    result = run_json(
        "--requester",
        "immigration_officer",
        "--category",
        "presence",
        "--document",
        "ice_administrative_warrant",
    )
    assert (result["outcome"], result["scope"]) == ("deny", "none")
    assert {"do_not_participate", "do_not_interfere", "notify_director"} <= set(result["actions"])
    assert "Sonoma policy III.C.2.e" in result["basis"]


def test_json_judicial_warrant_face_of_document():
    result = run_json(
        "--requester",
        "law_enforcement",
        "--category",
        "circulation",
        "--document",
        "judicial_search_warrant",
    )
    assert (result["outcome"], result["scope"]) == ("allow", "face_of_document")


def test_json_teen_with_card():
    result = run_json(
        "--requester", "parent_guardian", "--category", "circulation", "--age", "15", "--child-card"
    )
    assert (result["outcome"], result["scope"]) == ("allow", "overdue_and_fines")


def test_json_child_without_card():
    result = run_json("--requester", "parent_guardian", "--category", "circulation", "--age", "9")
    assert result["outcome"] == "deny"
    assert "refer_branch_manager" in result["actions"]


def test_json_written_authorization_scope():
    result = run_json(
        "--requester",
        "authorized_third_party",
        "--category",
        "holds",
        "--document",
        "written_authorization",
        "--authorized",
        "holds",
    )
    assert (result["outcome"], result["scope"]) == ("allow", "authorized_scope")


def test_json_words_are_vocabulary():
    result = run_json("--requester", "law_enforcement", "--category", "area:non_public")
    assert result["outcome"] in vocab.OUTCOMES
    assert result["scope"] in vocab.SCOPES
    assert set(result["actions"]) <= set(vocab.ACTIONS)
    assert "non-public area" in result["say"]


def test_plain_language():
    text = run(
        "--requester",
        "law_enforcement",
        "--category",
        "circulation",
        "--document",
        "grand_jury_subpoena",
    )
    assert "REFER" in text
    assert "Say:" in text and "library director" in text
    assert "Sonoma policy III.C.2.d.ii" in text
    assert "{" not in text  # not JSON


@pytest.mark.parametrize(
    ("option", "kind"),
    [("--requester", "requester"), ("--category", "category"), ("--document", "document")],
)
def test_unknown_word_lists_valid_words(option, kind):
    args = {"--requester": "staff", "--category": "circulation", "--document": "none"}
    args[option] = "sheriff_deputy"
    flat = [x for pair in args.items() for x in pair]
    with pytest.raises(CommandError) as exc:
        run(*flat)
    message = str(exc.value)
    assert "sheriff_deputy" in message
    for word in vocab.KINDS[kind]:
        assert word in message


def test_unknown_authorized_category():
    with pytest.raises(CommandError, match="Valid categories"):
        run(
            "--requester",
            "authorized_third_party",
            "--category",
            "holds",
            "--document",
            "written_authorization",
            "--authorized",
            "everything",
        )


def test_bad_age():
    with pytest.raises(CommandError, match="age"):
        run("--requester", "parent_guardian", "--category", "circulation", "--age", "-3")


def test_missing_subcommand_and_options():
    with pytest.raises(CommandError):
        call_command("policy", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("policy", "decide", "--requester", "staff", stdout=StringIO())
