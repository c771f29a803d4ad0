"""Shared helpers for the legal tests."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from quietdesk.audit.service import Actor
from quietdesk.legal import services
from quietdesk.legal.document_uploads import Upload


def png_bytes(text_color=(0, 0, 0), size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (255, 255, 255)).save(buffer, format="PNG")
    return buffer.getvalue()


def png_file(name="warrant.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def upload(data: bytes | None = None, name="order.png") -> Upload:
    return Upload(data or png_bytes(), "png", name)


def open_case(user=None, **data):
    actor = Actor.for_user(user) if user is not None else Actor.system("test")
    return services.do_open_case(actor, data, user=user)
