from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "quietdesk.policy"
    label = "policy"
    verbose_name = "Confidentiality policy engine"
