"""quietdesk sip2 serve [--listen HOST:PORT] | filter --upstream HOST:PORT [--listen HOST:PORT]

``serve``: quietdesk's own SIP2 server for self-check machines.
``filter``: a SIP2 proxy that strips what machines do not need from an ILS's answers.
Both print one line when listening ("listening on HOST:PORT") and log counts only.
"""

import asyncio
import signal
import sys
import threading

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from quietdesk.sip2 import conf as sip2_conf


class Command(BaseCommand):
    help = "SIP2 for self-check machines: `serve` (quietdesk's circulation) or `filter` (in front of an ILS)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        serve = sub.add_parser("serve", help="Serve SIP2 over quietdesk's circulation.")
        serve.add_argument("--listen", default=None, help="HOST:PORT (default QUIETDESK_SIP2_LISTEN).")
        filt = sub.add_parser("filter", help="Filter the answers of an ILS's SIP2 server.")
        filt.add_argument("--listen", default=None, help="HOST:PORT machines connect to (default QUIETDESK_SIP2_LISTEN).")
        filt.add_argument("--upstream", required=True, help="HOST:PORT of the ILS's SIP2 server.")

    def handle(self, *args, action, **opts):
        try:
            conf = sip2_conf.from_settings()
            if opts.get("listen"):
                conf = conf.with_changes(listen=sip2_conf.parse_address(opts["listen"]))
            upstream = sip2_conf.parse_address(opts["upstream"]) if action == "filter" else None
        except (ImproperlyConfigured, ValueError) as exc:
            raise CommandError(str(exc)) from None
        try:
            if action == "serve":
                self._serve(conf)
            else:
                asyncio.run(self._filter(conf, upstream))
        except OSError as exc:  # the address is taken, or not ours
            raise CommandError(f"Cannot listen on {conf.listen[0]}:{conf.listen[1]}: {exc.strerror}") from None
        except KeyboardInterrupt:
            pass

    def _ready(self, host, port, what):
        self.stdout.write(f"listening on {host}:{port} ({what})")
        self.stdout.flush()
        sys.stdout.flush()

    def _serve(self, conf):
        from quietdesk.sip2.listener import Server

        server = Server(conf)
        stop = threading.Event()

        def on_signal(signum, frame):
            stop.set()
            server.stop()

        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, on_signal)
        server.serve_forever(on_ready=lambda: self._ready(conf.listen[0], server.port, "sip2 serve"))

    async def _filter(self, conf, upstream):
        from quietdesk.sip2.proxy import FilterProxy

        proxy = FilterProxy(conf, upstream)
        port = await proxy.start()
        self._ready(conf.listen[0], port, f"sip2 filter, upstream {upstream[0]}:{upstream[1]}")
        loop = asyncio.get_running_loop()
        done = asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, done.set)
        serving = asyncio.ensure_future(proxy.serve_forever())
        await done.wait()
        serving.cancel()
        proxy.tally.flush()
