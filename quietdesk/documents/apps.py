from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "quietdesk.documents"
    label = "documents"
    verbose_name = "Legal document reader"
