from django.apps import AppConfig


class PatronsConfig(AppConfig):
    name = "quietdesk.patrons"
    label = "patrons"
    verbose_name = "Patrons"

    def ready(self):
        from quietdesk.vault.api import register_subject_model

        register_subject_model("patron", "patrons.Patron")
