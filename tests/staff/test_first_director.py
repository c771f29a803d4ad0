"""`quietdesk staff first-director`: the one account made from the server's shell, while no director can sign in."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from quietdesk.audit.models import AccessEntry
from quietdesk.staff import enrollment
from quietdesk.staff.models import EnrollmentCode, StaffUser
from tests.personas import make_staff

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("staff", "first-director", *args, stdout=out)
    return out.getvalue()


def printed_code(text: str) -> str:
    return re.search(r"\n    ([A-Z0-9-]{29})\n", text).group(1)


def test_the_first_director_gets_a_code_and_no_password():
    code = printed_code(run("boss", "--email", "boss@library.example"))
    account = StaffUser.objects.get(username="boss")
    assert account.role == "director" and not account.has_usable_password()
    assert EnrollmentCode.objects.get().code_hash == enrollment.code_hash(code)
    assert "made from the server's shell" in AccessEntry.objects.get(action="staff_account").basis
    # Lost before use: run again for the same username, and the old code stops working.
    newer = printed_code(run("boss"))
    assert newer != code and EnrollmentCode.objects.get().code_hash == enrollment.code_hash(newer)
    # A designee too, while neither can sign in; then nothing more from the shell.
    run("designee")
    make_staff("desk", "circulation")
    with pytest.raises(CommandError, match="taken"):
        run("desk")
    boss = StaffUser.objects.get(username="boss")
    boss.set_password("lantern orchard pebble violet")
    boss.save()
    with pytest.raises(CommandError, match="A director can sign in"):
        run("third")
    assert StaffUser.objects.filter(role="director").count() == 2


def test_refused_once_a_director_can_sign_in():
    make_staff("director", "director")
    with pytest.raises(CommandError, match="A director can sign in"):
        run("boss")
    assert not StaffUser.objects.filter(username="boss").exists()


@pytest.mark.parametrize("args, message", [
    (["Bad Name"], "lower-case"), (["boss", "--email", "nope"], "valid email"), (["boss", "--branch", "zz"], "branch"),
])
def test_bad_input_gets_a_clear_error(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not StaffUser.objects.exists()
