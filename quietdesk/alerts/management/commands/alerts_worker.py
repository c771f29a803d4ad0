"""quietdesk alerts_worker: the earlier name of ``quietdesk outbound_worker``, kept so that
existing service units keep working. It is the same worker: it sends every outbound
message (director notices, alerts, the network's forwards), not only alerts."""

from quietdesk.outbound.management.commands.outbound_worker import Command as OutboundWorker


class Command(OutboundWorker):
    help = "The outbound worker under its earlier name (see quietdesk outbound_worker)."
