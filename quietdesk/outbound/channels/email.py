"""Email, through Django's SMTP backend.

One connection is reused per channel object. The Message-ID is derived from the
delivery (its idempotency key), so a message sent twice is collapsed by mail clients
that thread by Message-ID. An SMTP server takes responsibility for a message only with
its answer to the end of DATA: a 4xx is "try later", a 5xx a refusal for good.
"""

from __future__ import annotations

import smtplib

from django.core.mail import EmailMessage, get_connection

from ..transport import OutMessage, SendResult, SendStatus


class EmailChannel:
    name = "email"

    def __init__(self):
        self._conn = None

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:  # noqa: S110 (closing a broken connection)
                pass
            self._conn = None

    def send(self, message: OutMessage, recipient: str) -> SendResult:
        message_id = f"<{message.idempotency_key}@quietdesk.{message.origin}>"
        email = EmailMessage(
            subject=message.subject, body=message.text, to=[recipient],
            headers={"Message-ID": message_id, "Auto-Submitted": "auto-generated"},
        )
        try:
            if self._conn is None:
                self._conn = get_connection(fail_silently=False)
                self._conn.open()
            email.connection = self._conn
            email.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused:
            self.close()
            return SendResult(SendStatus.REJECTED, note="the mail server refused this address")
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError, smtplib.SMTPResponseException) as exc:
            self.close()
            code = getattr(exc, "smtp_code", 0) or 0
            if 400 <= code < 500:
                return SendResult(SendStatus.UNREACHABLE, note=f"the mail server said try later ({code})")
            return SendResult(SendStatus.REJECTED, note=f"the mail server refused the message ({code})")
        except (smtplib.SMTPException, OSError):
            self.close()
            return SendResult(SendStatus.UNREACHABLE, note="the mail server did not answer")
        return SendResult(SendStatus.SENT, message_id)
