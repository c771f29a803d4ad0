"""SIP2 servers that stand for an ILS in the filter's tests, each answering with
every personal field it can.

* ``PysipUpstream``: an ACS built on `pysip2` (PyPI, written by others), its own
  codec and checksums, with login required as Koha's SIPServer requires.
* ``KohaShapedUpstream``: pysip2 cannot send Koha's extension fields (PB birth
  date, PC category), and no SIP2 server on PyPI can; Koha's SIPServer cannot
  run here (Perl, a whole Koha). This is a local stand-in that answers in the
  layout Koha's SIPServer uses (SIP2 2.00 fixed fields, Koha's field order and
  extensions), checksums computed by pysip2's `calculate_checksum`.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import socket
import threading
import time

import anyio
from pysip2 import (
    CHECKOUT,
    LOGIN,
    PATRON_ENABLE,
    PATRON_INFORMATION,
    PATRON_STATUS,
    CheckoutResponse,
    LoginResponse,
    PatronEnableResponse,
    PatronInformationResponse,
    PatronStatusResponse,
    SIP2Server,
    calculate_checksum,
)

DATE = "20261201    120000"
NAME = "María José Ortega"
ADDRESS = "Calle Falsa 123, Springfield"
EMAIL = "maria.ortega@example.org"
PHONE = "555-0100"
BIRTH = "19800101"
LOGIN_ID, LOGIN_PASSWORD = "koha-sc", "koha-secret"


class PysipUpstream:
    """pysip2's ACS in a thread of its own; ``stop()`` and ``start()`` again on the same port."""

    def __init__(self):
        self.port = 0
        self.logins = 0
        self.connections: set[int] = set()
        self.enables = 0
        self._ids = itertools.count(1)
        self._thread = None
        self._stop = threading.Event()
        self.app = self._build(idle_timeout=None)

    def _build(self, idle_timeout):
        app = SIP2Server(institution_id="KOHA", library_name="Koha test", encoding="utf-8", login_required=True,
                         idle_timeout=idle_timeout)

        def connection(ctx) -> int:
            state = ctx.connection.state
            if "id" not in state:
                state["id"] = next(self._ids)
                self.connections.add(state["id"])
            return state["id"]

        @app.route(LOGIN)
        def login(req, ctx):
            connection(ctx)
            ok = req.login_user_id == LOGIN_ID and req.login_password == LOGIN_PASSWORD
            self.logins += ok
            return LoginResponse(ok="1" if ok else "0")

        @app.route(PATRON_INFORMATION)
        def patron_information(req, ctx):
            connection(ctx)
            asked = req.summary
            return PatronInformationResponse(
                patron_status=" " * 14, language="001", transaction_date=DATE,
                hold_items_count="0001", overdue_items_count="0001", charged_items_count="0002",
                fine_items_count="0001", recall_items_count="0001", unavailable_holds_count="0001",
                institution_id=req.institution_id, patron_identifier=req.patron_identifier, personal_name=NAME,
                valid_patron="Y", currency_type="USD", fee_amount="2.50",
                hold_items=("H0001",) if asked[0] == "Y" else (),
                overdue_items=("O0001",) if asked[1] == "Y" else (),
                charged_items=("C0001", "C0002") if asked[2] == "Y" else (),
                fine_items=("F0001 $2.50",) if asked[3] == "Y" else (),
                recall_items=("R0001",) if asked[4] == "Y" else (),
                unavailable_hold_items=("U0001",) if asked[5] == "Y" else (),
                home_address=ADDRESS, email_address=EMAIL, home_phone_number=PHONE,
                screen_message=("Welcome back",), print_line=("Thank you",),
            )

        @app.route(PATRON_STATUS)
        def patron_status(req, ctx):
            connection(ctx)
            return PatronStatusResponse(patron_status=" " * 14, language="001", transaction_date=DATE,
                                        institution_id=req.institution_id, patron_identifier=req.patron_identifier,
                                        personal_name=NAME, valid_patron="Y", screen_message=("Hello",))

        @app.route(CHECKOUT)
        def checkout(req, ctx):
            connection(ctx)
            return CheckoutResponse(ok="1", renewal_ok="N", magnetic_media="N", desensitize="Y", transaction_date=DATE,
                                    institution_id=req.institution_id, patron_identifier=req.patron_identifier,
                                    item_identifier=req.item_identifier, title_identifier="Pedro Páramo",
                                    due_date="20261222    235900", screen_message=("Due in three weeks",))

        @app.route(PATRON_ENABLE)
        def patron_enable(req, ctx):
            self.enables += 1
            return PatronEnableResponse(patron_status=" " * 14, language="001", transaction_date=DATE,
                                        institution_id=req.institution_id, patron_identifier=req.patron_identifier,
                                        personal_name=NAME)

        return app

    def start(self, *, idle_timeout: float | None = None) -> int:
        self.app = self._build(idle_timeout)
        self._stop.clear()
        ready = threading.Event()

        async def main():
            async with self.app.start(port=self.port) as port:
                self.port = port
                ready.set()
                while not self._stop.is_set():
                    await anyio.sleep(0.02)

        self._thread = threading.Thread(target=anyio.run, args=(main,), daemon=True)
        self._thread.start()
        assert ready.wait(10), "pysip2 did not start"
        return self.port

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)
        gc.collect()  # pysip2's start() leaves its listening socket to the garbage collector


class KohaShapedUpstream:
    """Answers 93, 63 and 11 as Koha's SIPServer lays them out, with every field Koha can send."""

    def __init__(self, *, damage_first_answer: bool = False):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.damage = damage_first_answer
        self.received: list[bytes] = []
        self.answers: list[bytes] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def answer_for(self, frame: bytes) -> bytes:
        seq = frame[frame.rfind(b"AY") + 2: frame.rfind(b"AY") + 3].decode() if b"AY" in frame else "0"
        code = frame[:2]
        if code == b"93":
            body = "941"
        elif code == b"63":
            body = (f"64              001{DATE}000000000002000000000000AOKOHA|AA21000000000001|AE{NAME}|BLY|CQY|"
                    f"BHUSD|BV0.00|CC5.00|PA20271231    235900|PB{BIRTH}|PCPT|PIY|AUC0001|AUC0002|BD{ADDRESS}|"
                    f"BE{EMAIL}|BF{PHONE}|AFGreetings from Koha. |")
        elif code == b"11":
            body = (f"121NNY{DATE}AOKOHA|AA21000000000001|ABC0003|AJPedro Páramo|AH20261222    235900|"
                    f"AE{NAME}|BD{ADDRESS}|BLY|")
        elif code == b"97":
            return self.answers[-1]
        else:
            body = "96"
        prefix = body.encode("utf-8") + (b"AY" + seq.encode() if code != b"96" else b"") + b"AZ"
        frame_out = prefix + calculate_checksum(prefix).encode() + b"\r"
        self.answers.append(frame_out)
        if self.damage and code != b"93":
            self.damage = False
            return frame_out.replace(b"C0002", b"C0009")
        return frame_out

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        buffer = b""
        with contextlib.closing(conn):
            while True:
                try:
                    data = conn.recv(65536)
                except OSError:
                    return
                if not data:
                    return
                buffer += data
                while b"\r" in buffer:
                    frame, _, buffer = buffer.partition(b"\r")
                    self.received.append(frame)
                    conn.sendall(self.answer_for(frame))

    def stop(self):
        self.sock.close()


def wait_for(condition, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()
