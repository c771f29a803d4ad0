from django.apps import AppConfig


class IlsConfig(AppConfig):
    """The library's integrated library system (Koha): exposure, enforcement, production."""

    name = "quietdesk.ils"
    label = "ils"
    verbose_name = "Library system (ILS)"

    def ready(self):
        from django.conf import settings

        if settings.QUIETDESK_KOHA_DATABASE_URL or settings.QUIETDESK_KOHA_API_URL:
            from . import koha_production

            koha_production.register()
