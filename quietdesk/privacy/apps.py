from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "quietdesk.privacy"
    label = "privacy"
    verbose_name = "The privacy officer's work: audit, vendor register, public notice"

    def ready(self):
        from quietdesk.core.nav import register
        from quietdesk.outbound import worker
        from quietdesk.staff.roles import Cap

        from . import public_notice, tasks  # noqa: F401 (tasks registers the audit job by name)
        from .audit_report import audit_runs

        worker.on_start(audit_runs.recover_stalled)

        register("Privacy audit", "privacy:audit", Cap.PRIVACY_AUDIT, order=86)
        register("Vendors", "privacy:vendors", Cap.PRIVACY_AUDIT, order=87)
        public_notice.install()
