"""Every rule of tools/custom_check.py fires on what it forbids and stays quiet where it is allowed."""

import pytest

from tools import custom_check

pytestmark = pytest.mark.nodb

SAMPLES = {
    "unseal-outside-the-reader": ("quietdesk/legal/services.py", "from quietdesk.vault import unseal\n"),
    "reach-into-the-sealing-key": ("quietdesk/legal/services.py", "key = sealer._key._SealOnly__aead\n"),
    "import-fallback": ("quietdesk/legal/intake.py", "try:\n    import x\nexcept ImportError:\n    pass\n"),
    "raw-cursor-outside-the-allow-list": ("quietdesk/legal/views/cases.py", "    cursor.execute('DELETE FROM x')\n"),
    "a-pseudonym-as-a-log-subject": ("quietdesk/legal/services.py",
                                     "append(actor, Event.VIEW, subject=patron.pseudonym)\n"),
    "free-text-log-action": ("quietdesk/legal/services.py", "append(actor, action=\"view\")\n"),
    "system-actor-in-a-view": ("quietdesk/patrons/views.py", "actor = Actor.system(\"x\")\n"),
    "csrf-exempt": ("quietdesk/patrons/views.py", "from django.views.decorators.csrf import csrf_exempt\n"),
    "mark-safe": ("quietdesk/guide/templates/guide/x.html", "{{ value|safe }}\n"),
    "get-form-with-personal-fields": ("quietdesk/patrons/templates/patrons/find.html",
                                      '<form method="get">\n<input name="card_number">\n</form>\n'),
    "print-in-the-app": ("quietdesk/legal/services.py", "    print(patron)\n"),
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_rule_fires_on_what_it_forbids(name):
    rel, text = SAMPLES[name]
    assert name in {rule.name for _, rule in custom_check.check_text(rel, text)}


def test_every_rule_has_a_sample():
    assert {rule.name for rule in custom_check.RULES} == set(SAMPLES)


def test_allow_lists_and_the_marked_exception_stay_quiet():
    assert not custom_check.check_text("quietdesk/vault/reader.py", "from . import api, unseal\n")
    assert not custom_check.check_text("quietdesk/audit/verify.py", "    cursor.execute('SELECT 1')\n")
    assert not custom_check.check_text("quietdesk/legal/services.py",
                                       "append(actor, Event.VIEW)  # subject=log_ref(...)\n")
    assert not custom_check.check_text("quietdesk/legal/migrations/0001_initial.py", "    print('x')\n")
    assert not custom_check.check_text("quietdesk/patrons/templates/patrons/find.html",
                                       '<form method="post">\n<input name="card_number">\n</form>\n')


def test_view_rules_read_views_py_and_views_packages_only():
    actor = "actor = Actor.system(\"x\")\n"
    for rel in ("quietdesk/guide/views/drills.py", "quietdesk/staff/views/accounts.py", "quietdesk/core/views.py"):
        assert "system-actor-in-a-view" in {rule.name for _, rule in custom_check.check_text(rel, actor)}, rel
    assert not custom_check.check_text("quietdesk/guide/services.py", actor)
    assert not custom_check.check_text("quietdesk/alerts/views/reports.py",
                                       "from django.views.decorators.csrf import csrf_exempt\n")
