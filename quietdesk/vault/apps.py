from django.apps import AppConfig


class VaultConfig(AppConfig):
    name = "quietdesk.vault"
    label = "vault"
    verbose_name = "Vault (keys and encryption)"
