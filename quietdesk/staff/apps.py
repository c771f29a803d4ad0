from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "quietdesk.staff"
    label = "staff"
    verbose_name = "Staff and roles"

    def ready(self):
        from quietdesk.core.nav import register
        from quietdesk.outbound import sending

        from . import account_mail
        from .roles import Cap

        sending.register(account_mail.DIRECTOR_TOPIC, account_mail.on_recorded)
        register("Staff accounts", "staff:admin_list", Cap.MANAGE_STAFF, order=90)
