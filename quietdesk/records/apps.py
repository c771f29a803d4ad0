from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "quietdesk.records"
    label = "records"
    verbose_name = "Programs, computers, cameras, reference"

    def ready(self):
        from quietdesk.core.nav import register
        from quietdesk.staff.roles import Cap
        from quietdesk.vault.api import register_subject_model

        from . import retention_rules

        register_subject_model("reference_note", "records.ReferenceNote")
        retention_rules.register()
        register("Programs", "records:programs", Cap.MANAGE_RECORDS, order=30)
        register("Computers", "records:computers", Cap.MANAGE_RECORDS, order=31)
        register("Follow-up notes", "records:notes", Cap.MANAGE_RECORDS, order=32)
        register("Cameras", "records:cameras", Cap.MANAGE_RECORDS, order=33)
