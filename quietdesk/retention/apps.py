from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class RetentionConfig(AppConfig):
    name = "quietdesk.retention"
    label = "retention"
    verbose_name = "Retention"

    def ready(self):
        from quietdesk.core.nav import register
        from quietdesk.staff.roles import Cap

        from . import schedule

        # Validated at start-up: a mistyped schedule must stop quietdesk, not
        # silently keep records longer (or shorter) than the library decided.
        try:
            schedule.reset()
            schedule.get()
        except schedule.ScheduleError as exc:
            raise ImproperlyConfigured(
                f"{exc}\nFix the file (or unset {schedule.ENV} to use the defaults); "
                "`quietdesk retention show --file PATH` checks a file without starting quietdesk."
            ) from None
        from quietdesk.audit import prune

        from . import log_retention

        prune.register_keep(log_retention.keep_held)
        register("Retention", "retention:overview", Cap.VIEW_RETENTION, order=70)
        register("Legal holds", "retention:legal_holds", Cap.PLACE_LEGAL_HOLD, order=71)
