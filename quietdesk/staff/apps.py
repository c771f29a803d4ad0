from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "quietdesk.staff"
    label = "staff"
    verbose_name = "Staff and roles"
