"""The webhook channel answers for every address it is given, and never posts in clear to
another machine, whatever wrote the address (the alerts form checks with the same rule)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from quietdesk.alerts.validators import normalize_webhook
from quietdesk.outbound.channels import connections
from quietdesk.outbound.channels.webhook import WebhookChannel
from quietdesk.outbound.transport import OutMessage, SendStatus

pytestmark = pytest.mark.nodb
MESSAGE = OutMessage(subject="s", text="t", idempotency_key="k", payload={"a": 1})


class Dead:
    def request(self, *a, **k):
        raise OSError("no network in tests")

    def close(self):
        pass


@pytest.fixture
def opened(monkeypatch):
    urls: list[str] = []

    def spy(url):
        urls.append(url)
        return Dead()

    monkeypatch.setattr(connections, "connection", spy)
    return urls


@pytest.mark.parametrize("url", ["http://example.org/hook", "http://10.0.0.5:8080/hook", "ftp://example.org/"])
def test_plain_http_to_another_machine_is_refused_without_connecting(opened, url):
    result = WebhookChannel(secret=b"s").send(MESSAGE, url)
    assert opened == [], "the channel tried to connect in clear"
    assert result.status == SendStatus.REJECTED
    assert result.note == "the webhook address is not https (plain http only on this machine)"
    with pytest.raises(ValidationError):
        normalize_webhook(url)  # the form refuses it by the same rule


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/hook", "http://localhost/hook", "http://[::1]:9/hook",
                                 "https://example.org/hook"])
def test_https_and_plain_http_on_this_machine_are_tried(opened, url):
    assert WebhookChannel(secret=b"s").send(MESSAGE, url).status == SendStatus.UNREACHABLE
    assert opened == [url]
    assert normalize_webhook(url) == url


@pytest.mark.parametrize("url", ["https:///no-host", "https://example.org:99999/hook", "https://[::1/hook"])
def test_an_address_the_channel_cannot_use_is_an_answer_not_an_exception(url):
    # transport.py: a channel never raises for trouble on the wire; delivery would retry an
    # exception for ever as "an internal error".
    result = WebhookChannel(secret=b"s").send(MESSAGE, url)
    assert result.status == SendStatus.REJECTED


def test_a_connection_that_cannot_be_made_is_unreachable(monkeypatch):
    def refuse(url):
        raise OSError("no route")

    monkeypatch.setattr(connections, "connection", refuse)
    result = WebhookChannel(secret=b"s").send(MESSAGE, "https://example.org/hook")
    assert result.status == SendStatus.UNREACHABLE
