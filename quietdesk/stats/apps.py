from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "quietdesk.stats"
    label = "stats"
    verbose_name = "Statistics"

    def ready(self):
        from quietdesk.core.nav import register
        from quietdesk.staff.roles import Cap

        register("Statistics", "stats:index", Cap.VIEW_STATS, order=85)
