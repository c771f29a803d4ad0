from django.apps import AppConfig


class GuideConfig(AppConfig):
    name = "quietdesk.guide"
    label = "guide"
    verbose_name = "Guide, drills and resources"

    def ready(self):
        from quietdesk.core.nav import register
        from quietdesk.staff.roles import Cap

        register("Guide", "guide:index", Cap.VIEW_GUIDE, order=60)
        register("Drills", "guide:drills", Cap.VIEW_GUIDE, order=61)
        register("Training records", "guide:training", Cap.VIEW_TRAINING, order=62)
