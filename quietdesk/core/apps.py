from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "quietdesk.core"
    label = "core"
    verbose_name = "Library"
