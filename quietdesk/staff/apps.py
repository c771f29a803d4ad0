from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "quietdesk.staff"
    label = "staff"
    verbose_name = "Staff and roles"

    def ready(self):
        from quietdesk.core.nav import register

        from .roles import Cap

        register("Staff accounts", "staff:admin_list", Cap.MANAGE_STAFF, order=90)
