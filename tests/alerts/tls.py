"""Real TLS for the network tests: a throwaway certificate authority and a TLS-terminating
proxy on loopback (what nginx or Caddy does in front of the network's gunicorn).

The proxy decrypts what the library sends and relays it to the hub's plain-HTTP port;
it keeps the plaintext of each request so a test can replay it byte for byte, as an
attacker who captured one message would.
"""

from __future__ import annotations

import datetime
import ipaddress
import select
import socket
import ssl
import threading
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Certs:
    ca: Path
    cert: Path
    key: Path
    other_ca: Path  # a CA that did not sign the server's certificate


def _ca(name: str):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .sign(key, hashes.SHA256()))
    return key, cert


def make_certs(directory: Path) -> Certs:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    ca_key, ca_cert = _ca("quietdesk test network CA")
    _, other_cert = _ca("some other CA")
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "network.test")]))
            .issuer_name(ca_cert.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    paths = Certs(directory / "ca.pem", directory / "server.pem", directory / "server.key", directory / "other-ca.pem")
    paths.ca.write_bytes(ca_cert.public_bytes(pem))
    paths.other_ca.write_bytes(other_cert.public_bytes(pem))
    paths.cert.write_bytes(cert.public_bytes(pem))
    paths.key.write_bytes(key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    paths.key.chmod(0o600)
    return paths


class TlsProxy:
    """TLS on 127.0.0.1:<port>, relayed in clear to 127.0.0.1:<upstream>."""

    def __init__(self, upstream_port: int, certs: Certs):
        self.upstream_port = upstream_port
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(certs.cert, certs.key)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.requests: list[bytes] = []  # each connection's plaintext from the client
        self.handshake_failures = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._relays: list[threading.Thread] = []

    def url(self, path: str = "/alerts/inbound/") -> str:
        return f"https://127.0.0.1:{self.port}{path}"

    def last_request(self, timeout: float = 10) -> bytes:
        """The plaintext of the newest finished connection (relays finish in their own thread)."""
        import time

        seen = len(self.requests)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and any(t.is_alive() for t in self._relays):
            time.sleep(0.01)
        if not self.requests:
            raise AssertionError(f"no request went through the proxy ({seen} before waiting)")
        return self.requests[-1]

    def start(self) -> TlsProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.listener.close()
        self._thread.join(5)

    def _serve(self) -> None:
        self.listener.settimeout(0.2)
        while not self._stop.is_set():
            try:
                raw, _ = self.listener.accept()
            except (TimeoutError, OSError):
                continue
            relay = threading.Thread(target=self._relay, args=(raw,), daemon=True)
            self._relays.append(relay)
            relay.start()

    def _relay(self, raw: socket.socket) -> None:
        try:
            client = self.context.wrap_socket(raw, server_side=True)
        except (ssl.SSLError, OSError):
            self.handshake_failures += 1
            raw.close()
            return
        upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=30)
        received = bytearray()
        try:
            ends = {client: upstream, upstream: client}
            while True:
                # Bytes TLS already decrypted wait in the SSL object, where select cannot see them.
                ready = [client] if client.pending() else select.select(list(ends), [], [], 30)[0]
                if not ready:
                    break
                done = False
                for side in ready:
                    data = side.recv(65536)
                    if not data:
                        done = True
                        break
                    if side is client:
                        received += data
                    ends[side].sendall(data)
                if done:
                    break
        except (OSError, ssl.SSLError):
            pass
        finally:
            self.requests.append(bytes(received))
            for s in (client, upstream):
                try:
                    s.close()
                except OSError:
                    pass
