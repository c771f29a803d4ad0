from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "quietdesk.audit"
    label = "audit"
    verbose_name = "Access log"

    def ready(self):
        from quietdesk.core.nav import register
        from quietdesk.staff.roles import Cap

        register("Access log", "audit:log", Cap.VIEW_ACCESS_LOG, order=80)
