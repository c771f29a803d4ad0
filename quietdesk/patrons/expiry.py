"""Registration expiry: an account unused for the retention schedule's period is destroyed,
after a notice to the patron where the library has an email address.

Why. A registration is the record that ties a person to the library; one kept for
someone who stopped coming years ago serves no one and can still be demanded (ALA
Privacy and Confidentiality Q&A, section II, question 10: "the least amount of PII for
the shortest length of time"). The period is the schedule's ``[registration]
expire_after_months`` (default 36).

What "unused" means. ``Patron.active_month`` is the month of the patron's last
checkout, return, renewal, hold, online sign-in or desk registration or edit
(``services.touch_active``, called in each of those steps' transactions). A month is
all the rule needs, and a finer date would be a visit. An account last active in month
M expires once ``expire_after_months`` whole months have passed after M.

The notice. Patrons with an email address are written to once, ``notice_days`` before,
through the vault's reader (a logged read, ``Event.EXPIRY_NOTICE``), in English and
Spanish: what will happen, when, and how to keep the account. The day it went is
recorded (``expiry_notice_on``, a day: nothing finer), and the account is destroyed no
sooner than ``notice_days`` after it. Activity after the notice clears it, so the next
expiry gets a notice of its own. A mail server that refuses the address ends the
attempt as if there were no address: the account then closes at its time like one with
none. A server that does not answer leaves the notice unsent, and the account is kept
until a later run sends it.

What is never destroyed: an account with an item out, a fine owed or a hold waiting
on the shelf, or a record a legal hold preserves (``services.shred_blockers``, the
desk's own rule; the purge's SQL mirrors it so the inventory counts right, and each
account is checked again before it goes).

The purge runs both steps (``patrons.retention_rules``), page by page, resumable: a page's
keys go to the shred list and its rows are deleted in one transaction, which also
writes one access-log entry (how many, never who). A run killed between sending a
notice and recording it sends that notice again next time: a second email is the
safe direction, an account closed without one is not.
"""

from __future__ import annotations

import datetime
import smtplib
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext, ngettext

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor, append
from quietdesk.vault import api as vault
from quietdesk.vault import reader

from .models import Patron, month_of
from .services import shred_blockers


def add_months(month: datetime.date, n: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def cutoff(today: datetime.date, months: int) -> datetime.date:
    """Accounts last active in a month before this one have been unused for ``months``
    whole months by ``today``."""
    return add_months(month_of(today), -months)


# --- the notice ------------------------------------------------------------------------------


def period_words(months: int) -> str:
    """"3 years", "18 months", in the active language."""
    if months % 12 == 0:
        return ngettext("%(n)d year", "%(n)d years", months // 12) % {"n": months // 12}
    return ngettext("%(n)d month", "%(n)d months", months) % {"n": months}


def _message_in(language: str, *, months: int, closes_on: datetime.date, link: str) -> tuple[str, str]:
    with translation.override(language):
        day = formats.date_format(closes_on, "DATE_FORMAT")
        subject = gettext("Your library account will be closed on %(day)s") % {"day": day}
        body = "\n\n".join([
            gettext("Hello,"),
            gettext("Your card at %(library)s has not been used for a long time. To keep as little as possible "
                    "about the people it serves, the library closes accounts that have not been used for "
                    "%(period)s.") % {"library": settings.LIBRARY_NAME, "period": period_words(months)},
            gettext("If nothing changes, on or after %(day)s your account will be closed for good: your name, "
                    "contact details and card number will be destroyed, and no one, not even the library, will "
                    "be able to recover them.") % {"day": day},
            gettext("To keep your account, use it before then: borrow, return or renew something, place a hold, "
                    "sign in to see your records at %(link)s, or visit any branch with your card.") % {"link": link},
            gettext("If you are happy for the account to close, you need do nothing. You can register again at "
                    "any time."),
            gettext("This is the only message about it."),
        ])
    return subject, body


def notice_message(*, months: int, closes_on: datetime.date) -> tuple[str, str]:
    """(subject, body): in English, then in Spanish. Names no one and nothing borrowed."""
    link = settings.QUIETDESK_BASE_URL.rstrip("/") + reverse("legal:my_records")
    en_subject, en_body = _message_in("en", months=months, closes_on=closes_on, link=link)
    es_subject, es_body = _message_in("es", months=months, closes_on=closes_on, link=link)
    return f"{en_subject} / {es_subject}", f"{en_body}\n\n----\n\n{es_body}\n"


@dataclass
class Sent:
    sent: list[uuid.UUID]  # the mail server accepted the message
    refused: list[uuid.UUID]  # the server refused the address: no working contact
    unsent: list[uuid.UUID]  # the server did not answer: try again next run


def send_notices(actor: Actor, patrons: list[Patron], *, months: int, closes_on: datetime.date) -> Sent:
    """Email each patron their notice. Their addresses are read through the reader, in one
    transaction that logs each read; nothing is recorded here about who was sent what
    (``record_notices`` does, for those sent). Stops at the first server that does not answer."""
    result = Sent([], [], [])
    if not patrons:
        return result
    addresses = reader.read_many(actor, patrons, ("email",), category="registration", event=Event.EXPIRY_NOTICE,
                                 purpose="registration expiry notice")
    subject, body = notice_message(months=months, closes_on=closes_on)
    connection = get_connection(fail_silently=False)
    try:
        for n, (patron, values) in enumerate(zip(patrons, addresses, strict=True)):
            message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [values["email"]],
                                   connection=connection, headers={"Auto-Submitted": "auto-generated"})
            try:
                message.send(fail_silently=False)
            except smtplib.SMTPRecipientsRefused:
                result.refused.append(patron.pk)
                continue
            except (smtplib.SMTPException, OSError):
                result.unsent += [p.pk for p in patrons[n:]]
                break
            result.sent.append(patron.pk)
    finally:
        try:
            connection.close()
        except (smtplib.SMTPException, OSError):
            pass  # a connection already broken
    return result


def record_notices(patron_ids: list[uuid.UUID], today: datetime.date) -> int:
    """The notice went (or could not reach anyone): the day, nothing finer. Inside the caller's
    transaction; a patron active since is left alone (their notice no longer applies)."""
    if not patron_ids:
        return 0
    return Patron.objects.filter(pk__in=patron_ids, expiry_notice_on__isnull=True).update(expiry_notice_on=today)


# --- expiry -----------------------------------------------------------------------------------


def do_expire(actor: Actor, patron_ids: list[uuid.UUID], *, months: int) -> tuple[int, int]:
    """Destroy these accounts (rows, keys, shred list), in the caller's transaction, after
    checking each again as the desk would (``shred_blockers``). Returns (destroyed, kept)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Registrations expire inside the purge's batch transaction.")
    patrons = list(Patron.objects.filter(pk__in=patron_ids).order_by("pk"))
    gone = [p.pk for p in patrons if shred_blockers(p) is None]
    if gone:
        vault.shred_many(gone)  # the shred list first, durably: a crash leaves rows no one can read
        Patron.objects.filter(pk__in=gone).delete()
        append(actor, Event.REGISTRATION_EXPIRY, categories=["registration"],
               basis=f"{len(gone)} account(s) unused for {months} months destroyed")
    return len(gone), len(patrons) - len(gone)
