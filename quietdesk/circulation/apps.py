from django.apps import AppConfig


class CirculationConfig(AppConfig):
    name = "quietdesk.circulation"
    label = "circulation"
    verbose_name = "Circulation"

    def ready(self):
        from quietdesk.core.nav import register
        from quietdesk.patrons.services import register_shred_check
        from quietdesk.staff.roles import Cap

        from . import retention_rules
        from .services import settle_before_shred

        register_shred_check(settle_before_shred, in_use_sql=retention_rules.IN_USE_SQL)
        retention_rules.register()
        register("Check out", "circulation:checkout", Cap.CIRCULATE, order=20)
        register("Check in", "circulation:checkin", Cap.CIRCULATE, order=21)
        register("Holds shelf", "circulation:holds_shelf", Cap.CIRCULATE, order=22)
