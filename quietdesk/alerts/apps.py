from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "quietdesk.alerts"
    label = "alerts"
    verbose_name = "Rapid response"

    def ready(self):
        from quietdesk.core.nav import register
        from quietdesk.staff.roles import Cap
        from quietdesk.vault.api import register_subject_model

        register_subject_model("network_member", "alerts.NetworkMember")
        register("Report ICE activity", "alerts:file", Cap.FILE_ALERT, order=5)
        register("Alerts", "alerts:reports", Cap.FILE_ALERT, order=30)
        register("Network", "alerts:network", Cap.MANAGE_NETWORK, order=31)
