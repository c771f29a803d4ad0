"""Fixtures for SIP2: quietdesk's server in a thread on a random loopback port, with
the test database; machines and their tokens; raw sockets and the `sip2` client
from PyPI (Sip2 1.1, written by others)."""

from __future__ import annotations

import contextlib
import logging
import threading

import pytest
from django.db import connections

from quietdesk.circulation.json_api import new_token
from quietdesk.circulation.models import SelfCheckMachine
from quietdesk.sip2.conf import Conf
from quietdesk.sip2.listener import Server
from quietdesk.sip2.session import DatabaseAccess
from tests.sip2.helpers import Raw


class SharedTestDatabase(DatabaseAccess):
    """On the suite's in-memory SQLite, session threads use the test's own
    connection (as Django's LiveServerThread does), one thread at a time. On
    PostgreSQL each thread opens its own connection to the test database, as in
    production."""

    def __init__(self):
        self.shared = {c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()}
        for conn in self.shared.values():
            conn.inc_thread_sharing()
        self.lock = threading.RLock()

    @contextlib.contextmanager
    def guard(self):
        for alias, conn in self.shared.items():
            connections[alias] = conn
        with self.lock:
            yield

    def thread_done(self):
        if not self.shared:
            super().thread_done()

    def after_error(self):
        if not self.shared:
            super().after_error()

    def release(self):
        for conn in self.shared.values():
            conn.dec_thread_sharing()


@pytest.fixture
def serve(transactional_db):
    """serve(**conf changes) -> a running Server; stopped at the end of the test."""
    running = []

    def start(**changes) -> Server:
        conf = Conf(listen=("127.0.0.1", 0), log_minutes=1).with_changes(**changes)
        db = SharedTestDatabase()
        server = Server(conf, db=db)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        running.append((server, thread, db))
        return server

    yield start
    for server, thread, db in running:
        server.stop()
        thread.join(10)
        assert not thread.is_alive(), "the server did not stop"
        db.release()


@pytest.fixture
def machine(transactional_db):
    """(label, token) of an active self-check machine."""
    token, digest = new_token()
    SelfCheckMachine.objects.create(label="front-door", token_digest=digest)
    return "front-door", token


@pytest.fixture
def sip2_client(tmp_path):
    """connect(port) -> a connected Sip2 client (the PyPI package), closed at the end."""
    from Sip2.sip2 import Sip2

    clients = []

    def connect(port: int, *, host: str = "127.0.0.1", tls: bool = False) -> Sip2:
        client = Sip2()
        client.hostName, client.hostPort = host, port
        client.tlsEnable = tls
        client.socketTimeout = 10
        client.logfile_path = str(tmp_path)  # the client logs every message it sends, to a file of its own
        client.institutionId = "RPL"
        client.connect()
        clients.append(client)
        return client

    yield connect
    for client in clients:
        with contextlib.suppress(Exception):
            client.disconnect()
    log = logging.getLogger("Sip2")
    for handler in list(log.handlers):
        log.removeHandler(handler)
        handler.close()


@pytest.fixture
def raw():
    opened = []

    def connect(port: int, timeout: float = 5.0) -> Raw:
        conn = Raw(port, timeout)
        opened.append(conn)
        return conn

    yield connect
    for conn in opened:
        conn.close()


@pytest.fixture
def tls_files(tmp_path) -> dict[str, str]:
    """A self-signed certificate for localhost and 127.0.0.1, and its key: ``serve(**tls_files)``."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .sign(key, hashes.SHA256()))
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                         serialization.NoEncryption()))
    return {"tls_cert": str(tmp_path / "cert.pem"), "tls_key": str(tmp_path / "key.pem")}
