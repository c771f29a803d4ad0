from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "quietdesk.audit"
    label = "audit"
    verbose_name = "Access log"
