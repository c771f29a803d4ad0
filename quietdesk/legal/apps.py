from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "quietdesk.legal"
    label = "legal"
    verbose_name = "Requests for patron information"

    def ready(self):
        from quietdesk.audit import prune
        from quietdesk.audit.views import restrict
        from quietdesk.core.nav import register
        from quietdesk.outbound import sending
        from quietdesk.retention.legal_holds import register_hidden
        from quietdesk.staff.roles import Cap
        from quietdesk.vault.api import register_subject_model

        from . import nondisclosure, notify, producers, reminders, services

        restrict(nondisclosure.log_exclusion)
        register_hidden(nondisclosure.hold_ids)
        prune.register_keep(services.keep_open_cases)
        register_subject_model("case", "legal.Case")
        sending.register(notify.TOPIC, notify.on_recorded)
        sending.register(reminders.TOPIC, reminders.on_recorded)
        producers.register_all()
        register("Patron PIN", "legal:pin_find", Cap.EDIT_PATRON, order=14, group="desk")
        register("Cases", "legal:cases", Cap.VIEW_CASES, order=40)
        register("Transparency report", "legal:transparency", Cap.VIEW_CASES, order=41)
