"""What a member receives: plain language on Signal, the printed codebook's word elsewhere.

Templates live in ``templates/alerts/messages/<language>.txt`` (full text) and
``code_<language>.txt`` (code word and time). Channels that are not end-to-end
encrypted (email, webhooks) get the code word only, unless the library turns
code words off (QUIETDESK_ALERT_CODE_WORDS=false).
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from quietdesk.outbound.transport import OutMessage

from . import conf
from .models import NOT_E2EE, Language, Report

CERTAINTY = {
    "en": {"observed": "observed", "likely": "likely", "possible": "possible"},
    "es": {"observed": "observado", "likely": "probable", "possible": "posible"},
}
DRILL = {
    "en": {"exercise": "EXERCISE (drill)", "test": "TEST"},
    "es": {"exercise": "SIMULACRO", "test": "PRUEBA"},
}
SUBJECT = {
    "en": {"unconfirmed": "UNCONFIRMED report", "confirmed": "CONFIRMED report", "urgent": "URGENT, not verified",
           "update": "Update", "cancel": "All clear", "retract": "False alarm"},
    "es": {"unconfirmed": "Reporte SIN CONFIRMAR", "confirmed": "Reporte CONFIRMADO",
           "urgent": "URGENTE, sin verificar", "update": "Actualización", "cancel": "Todo despejado",
           "retract": "Falsa alarma"},
}


def _local(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M") if dt else ""


def code_word(kind: str, status: str) -> str:
    book = conf.codebook()
    word = book[kind]
    if status in ("exercise", "test"):
        word = f"{book[status]} {word}"
    return word


def render(*, report: Report, kind: str, language: str, channel: str, ack_url: str, idempotency_key: str,
           now=None) -> OutMessage:
    language = language if language in Language.values else "en"
    origin = report.origin
    coded = channel in NOT_E2EE and conf.code_words_on()
    if coded:
        word = code_word(kind, origin.status)
        time = timezone.localtime(now or timezone.now()).strftime("%H:%M")
        text = render_to_string(f"alerts/messages/code_{language}.txt", {"code": word, "time": time,
                                                                          "ack_url": ack_url}).strip()
        subject = f"{word} {time}"
        payload = {"code": word, "time": time, "ack_url": ack_url, "language": language}
    else:
        context = {
            "kind": kind,
            "r": report,
            "ref": origin.ref,
            "library": origin.source_name or settings.LIBRARY_NAME,  # a library's, on the network's own instance
            "drill": DRILL[language].get(origin.status, ""),
            "seen": _local(report.seen_at),
            "reported": _local(report.reported_at),
            "certainty": CERTAINTY[language].get(report.certainty, ""),
            "ack_url": ack_url,
            "channel": channel,  # Signal replies are read (alerts/replies.py); email replies are not
        }
        text = render_to_string(f"alerts/messages/{language}.txt", context).strip()
        drill = DRILL[language].get(origin.status, "")
        subject = f"{drill + ': ' if drill else ''}{SUBJECT[language][kind]} {origin.ref}"
        payload = {
            # CAP 1.2 vocabulary, for systems that consume it.
            "identifier": origin.ref,
            "status": origin.status.capitalize(),
            "msgType": {"update": "Update", "cancel": "Cancel", "retract": "Cancel"}.get(kind, "Alert"),
            "kind": kind,
            "certainty": report.certainty.capitalize() if report.certainty else "Unknown",
            "sent": timezone.localtime(now or timezone.now()).isoformat(timespec="seconds"),
            "expires": timezone.localtime(origin.expires_at).isoformat(timespec="seconds"),
            "language": language,
            "text": text,
            "ack_url": ack_url,
        }
    return OutMessage(subject=subject, text=text, idempotency_key=idempotency_key, ack_url=ack_url,
                      payload=payload, coded=coded)
