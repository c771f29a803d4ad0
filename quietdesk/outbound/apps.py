from django.apps import AppConfig


class OutboundConfig(AppConfig):
    name = "quietdesk.outbound"
    label = "outbound"
    verbose_name = "Outbound messages"

    def ready(self):
        from . import tasks  # noqa: F401 (registers the send job by name)
