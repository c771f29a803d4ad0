"""Every channel quietdesk sends on, one module each, behind ``transport.Transport``.

``open_channels()`` gives one open instance of each, keyed by name, for a worker's run;
the caller closes them.
"""

from __future__ import annotations

from ..transport import Transport
from .email import EmailChannel
from .signal import SignalChannel
from .webhook import WebhookChannel

CHANNELS: dict[str, type] = {"signal": SignalChannel, "email": EmailChannel, "webhook": WebhookChannel}


def open_channels() -> dict[str, Transport]:
    return {name: channel() for name, channel in CHANNELS.items()}
