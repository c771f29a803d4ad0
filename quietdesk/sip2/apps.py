from django.apps import AppConfig


class Sip2Config(AppConfig):
    name = "quietdesk.sip2"
    label = "sip2"
    verbose_name = "Self-check machines over SIP2"
