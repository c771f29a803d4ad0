from django.apps import AppConfig
from django.core import checks


class AlertsConfig(AppConfig):
    name = "quietdesk.alerts"
    label = "alerts"
    verbose_name = "Rapid response"

    def ready(self):
        from quietdesk.core.nav import register
        from quietdesk.outbound import worker
        from quietdesk.staff.roles import Cap
        from quietdesk.vault.api import register_subject_model

        from . import conf, recovery, tasks  # noqa: F401 (tasks registers the alerts' jobs by name)

        conf.check_network_settings()
        worker.on_start(recovery.recover_all)
        register_subject_model("network_member", "alerts.NetworkMember")
        register("Report ICE activity", "alerts:file", Cap.FILE_ALERT, order=5)
        register("Alerts", "alerts:reports", Cap.FILE_ALERT, order=30)
        if conf.members_here():
            register("Network", "alerts:network", Cap.MANAGE_NETWORK, order=31)
        checks.register(members_left_behind, checks.Tags.security, deploy=False)


def members_left_behind(app_configs, **kwargs):
    """A library that moved its network to the organizing group's server must not keep the old list."""
    from django.db import DatabaseError

    from . import conf
    from .models import NetworkMember

    if conf.members_here():
        return []
    try:
        count = NetworkMember.objects.count()
    except DatabaseError:  # not migrated yet
        return []
    if not count:
        return []
    return [checks.Error(
        f"QUIETDESK_NETWORK_MODE=remote, but {count} network member(s) are still in this database, where a demand "
        "served on the library can reach them.",
        hint="Export them (Network > Export CSV, before switching modes) and import them on the network's own "
             "server, then run `quietdesk alerts forget-network --yes` to destroy them here.",
        id="quietdesk.alerts.E001",
    )]
