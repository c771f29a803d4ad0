"""Checking and normalising network members' addresses. Messages never repeat the value."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from quietdesk.outbound.channels.connections import private_enough

from .models import Channel

_PHONE_SEPARATORS = re.compile(r"[\s().\-]")
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
# Signal usernames: a nickname (3-32 letters, digits, underscores; not starting with a digit),
# a dot, and a discriminator of at least two digits.
_SIGNAL_USERNAME = re.compile(r"^(?:u:)?[A-Za-z_][A-Za-z0-9_]{2,31}\.\d{2,9}$")
_email = EmailValidator(message="This is not a valid email address.")


def normalize_phone(value: str) -> str:
    """``+1 (555) 010-0199`` -> ``+15550100199``; refuses anything that is not E.164."""
    raw = _PHONE_SEPARATORS.sub("", value or "")
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    if not _E164.fullmatch(raw):
        raise ValidationError(
            "This is not a valid phone number: write it with the country code, e.g. +1 555 010 0199.",
            code="phone",
        )
    return raw


def normalize_email(value: str) -> str:
    value = (value or "").strip()
    _email(value)
    local, _, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


def normalize_signal(value: str) -> str:
    """A Signal address: a phone number, or a username (kept as ``u:name.12``)."""
    value = (value or "").strip()
    if _SIGNAL_USERNAME.fullmatch(value):
        name = value[2:] if value.startswith("u:") else value
        return "u:" + name.lower()
    return normalize_phone(value)


def normalize_webhook(value: str) -> str:
    value = (value or "").strip()
    refused = ValidationError(
        "A webhook must be an https:// address (http:// only on this machine), without a password.",
        code="webhook",
    )
    try:
        # urlsplit refuses a broken [IPv6] host, .port a port that is not a number
        # from 0 to 65535: both ValueError, read here so delivery never meets them.
        parts = urlsplit(value)
        hostname, _port = parts.hostname, parts.port
    except ValueError:
        raise refused from None
    if not private_enough(parts.scheme, hostname) or not hostname or parts.username or parts.password:
        raise refused
    return value


NORMALIZE = {Channel.SIGNAL: normalize_signal, Channel.EMAIL: normalize_email, Channel.WEBHOOK: normalize_webhook}


def normalize_address(channel: str, value: str) -> str:
    if channel not in NORMALIZE:
        raise ValidationError("Choose Signal, email or webhook.", code="channel")
    if not (value or "").strip():
        raise ValidationError("An address is needed for this channel.", code="required")
    return NORMALIZE[Channel(channel)](value)
