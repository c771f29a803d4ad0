from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "quietdesk.stats"
    label = "stats"
    verbose_name = "Statistics and privacy audit"

    def ready(self):
        from quietdesk.core.nav import register
        from quietdesk.staff.roles import Cap

        from . import notice

        register("Statistics", "stats:index", Cap.VIEW_STATS, order=85)
        register("Privacy audit", "stats:audit", Cap.PRIVACY_AUDIT, order=86)
        register("Vendors", "stats:vendors", Cap.PRIVACY_AUDIT, order=87)
        notice.install()
