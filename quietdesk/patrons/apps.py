from django.apps import AppConfig


class PatronsConfig(AppConfig):
    name = "quietdesk.patrons"
    label = "patrons"
    verbose_name = "Patrons"

    def ready(self):
        from quietdesk.core.nav import register
        from quietdesk.staff.roles import Cap
        from quietdesk.vault.api import register_subject_model

        from . import retention_rules

        register_subject_model("patron", "patrons.Patron")
        retention_rules.register()
        register("Find patron", "patrons:find", Cap.FIND_PATRON, order=10)
        register("Register", "patrons:register", Cap.REGISTER_PATRON, order=11)
