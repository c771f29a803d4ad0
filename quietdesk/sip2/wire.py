"""SIP2 (3M Standard Interchange Protocol 2.00) on the wire: frames, fields,
checksums, sequence numbers. Pure: no sockets, no Django.

A frame is ``<2-digit code><fixed fields><XXvalue|>...[AY<digit>]AZ<4 hex>\\r``.
The checksum is the two's complement of the low 16 bits of the sum of every
byte up to and including ``AZ``; adding it to that sum gives 0 mod 2^16.

Fixed-field widths come from the 2.00 specification; a frame shorter than its
code's fixed part is malformed. Values are UTF-8 on the way out and accepted as
UTF-8 on the way in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

ENCODING = "utf-8"
DELIMITER = "|"

# Fixed part (after the 2-digit code) of each request the ACS can receive.
REQUEST_FIXED = {
    "93": 2,   # UID algorithm, PWD algorithm
    "99": 8,   # status code, max print width, protocol version
    "97": 0,
    "63": 31,  # language, transaction date, summary
    "23": 21,  # language, transaction date
    "11": 38,  # SC renewal policy, no block, transaction date, nb due date
    "09": 37,  # no block, transaction date, return date
    "29": 38,  # third party allowed, no block, transaction date, nb due date
    "17": 18,  # transaction date
    "35": 18,  # transaction date
    "01": 19,  # card retained, transaction date
    "15": 19,  # hold mode, transaction date
    "19": 18,  # transaction date
    "25": 18,  # transaction date
    "37": 25,  # transaction date, fee type, payment type, currency type
    "65": 18,  # transaction date
}

# Fixed part of each response, to find where its fields begin.
RESPONSE_FIXED = {
    "94": 1, "98": 32, "96": 0, "64": 59, "24": 35, "12": 22, "10": 22, "30": 22,
    "18": 24, "36": 19, "16": 20, "20": 19, "26": 35, "38": 19, "66": 27,
}

# The response each request gets (01 Block Patron is answered by a 24).
RESPONSE_TO = {"93": "94", "99": "98", "63": "64", "23": "24", "11": "12", "09": "10", "29": "30",
               "17": "18", "35": "36", "01": "24", "15": "16", "19": "20", "25": "26", "37": "38",
               "65": "66"}

_TRAILER = re.compile(rb"(?:AY([0-9]))?AZ([0-9A-Fa-f]{1,4})$")
_SEQUENCE_ONLY = re.compile(rb"AY([0-9])$")


class FrameError(ValueError):
    """A frame that cannot be read as SIP2 (its text never names a patron)."""


def checksum(prefix: bytes) -> bytes:
    """The four hex digits for a frame whose bytes up to and including ``AZ`` are ``prefix``."""
    return b"%04X" % (-sum(prefix) & 0xFFFF)


@dataclass(frozen=True)
class Trailer:
    sequence: str | None  # the AY digit, if sent
    checksum: str | None  # the AZ hex digits, if sent
    body_end: int  # where the fields stop and the trailer begins

    @property
    def detects_errors(self) -> bool:
        return self.checksum is not None


def split_trailer(frame: bytes) -> Trailer:
    """Find ``AY``/``AZ`` at the end of a frame (without its CR).

    Accepts 1 to 4 checksum digits: some clients (the ``sip2`` package on PyPI)
    do not zero-pad; the value is what is checked."""
    m = _TRAILER.search(frame, 2)
    if m:
        return Trailer(m.group(1).decode() if m.group(1) else None, m.group(2).decode(), m.start())
    m = _SEQUENCE_ONLY.search(frame, 2)
    if m:
        return Trailer(m.group(1).decode(), None, m.start())
    return Trailer(None, None, len(frame))


def checksum_ok(frame: bytes, trailer: Trailer) -> bool:
    if trailer.checksum is None:
        return True
    prefix = frame[: len(frame) - len(trailer.checksum)]  # ends with "AZ"
    return (sum(prefix) + int(trailer.checksum, 16)) & 0xFFFF == 0


def with_trailer(body: bytes, sequence: str | None, detect_errors: bool) -> bytes:
    """Add ``AY``/``AZ`` as the request had them, and the CR."""
    if sequence is not None:
        body += b"AY" + sequence.encode()
    if detect_errors:
        body += b"AZ"
        body += checksum(body)
    return body + b"\r"


@dataclass
class Message:
    """A parsed frame: its code, fixed part and fields (repeatable ones in order)."""

    code: str
    fixed: str
    fields: list[tuple[str, str]] = field(default_factory=list)

    def get(self, field_id: str, default: str = "") -> str:
        for fid, value in self.fields:
            if fid == field_id:
                return value
        return default

    def all(self, field_id: str) -> list[str]:
        return [value for fid, value in self.fields if fid == field_id]


class UnknownCode(FrameError):
    def __init__(self, code: str):
        super().__init__(f"message type {code} is not known")
        self.code = code


def parse(frame: bytes, layouts: dict[str, int], trailer: Trailer | None = None) -> Message:
    """Parse a frame without its CR. Raises FrameError; UnknownCode for a code not in ``layouts``."""
    trailer = trailer or split_trailer(frame)
    if len(frame) < 2 or not frame[:2].isdigit():
        raise FrameError("a SIP2 message starts with a two-digit code")
    code = frame[:2].decode("ascii")
    if code not in layouts:
        raise UnknownCode(code)
    try:
        text = frame[2: trailer.body_end].decode(ENCODING)
    except UnicodeDecodeError:
        raise FrameError("the message is not valid UTF-8") from None
    width = layouts[code]
    if len(text) < width:
        raise FrameError(f"message {code} is shorter than its fixed fields")
    fields = []
    for part in text[width:].split(DELIMITER):
        if part:
            if len(part) < 2:
                raise FrameError(f"message {code} has a field without an identifier")
            fields.append((part[:2], part[2:]))
    return Message(code, text[:width], fields)


def clean(value: str) -> str:
    """A value safe inside a field: no delimiter, no CR or LF, at most 255 bytes."""
    value = value.replace(DELIMITER, "/").replace("\r", " ").replace("\n", " ")
    data = value.encode(ENCODING)[:255]
    return data.decode(ENCODING, errors="ignore")


def encode(code: str, fixed: str, fields: Sequence[tuple[str, str | None]]) -> bytes:
    """A frame body (no trailer, no CR). Fields whose value is None are left out."""
    out = [code, fixed]
    for fid, value in fields:
        if value is not None:
            out.append(f"{fid}{clean(value)}{DELIMITER}")
    return "".join(out).encode(ENCODING)


def date18(moment) -> str:
    """``YYYYMMDDZZZZHHMMSS`` in local time (the four zone characters blank)."""
    return moment.strftime("%Y%m%d    %H%M%S")


NO = "N"


def refusal(request: Message, today: str, screen_message: str) -> bytes:
    """The negative answer to any request type the ACS will not carry out: what
    the protocol offers instead of an error message. Echoes only what the
    machine itself sent (institution, card, item)."""
    ao, aa, ab = request.get("AO"), request.get("AA"), request.get("AB")
    af = ("AF", screen_message)
    patron = " " * 14 + "000" + today
    shapes = {
        "93": ("94", "0", []),
        "99": ("98", "NNNNNN" + "030" + "003" + today + "2.00", [("AO", ao), ("BX", "N" * 16), af]),
        "63": ("64", patron + "0000" * 6, [("AO", ao), ("AA", aa), ("AE", ""), ("BL", NO), af]),
        "23": ("24", patron, [("AO", ao), ("AA", aa), ("AE", ""), ("BL", NO), af]),
        "01": ("24", patron, [("AO", ao), ("AA", aa), ("AE", ""), ("BL", NO), af]),
        "25": ("26", patron, [("AO", ao), ("AA", aa), ("AE", ""), ("BL", NO), af]),
        "11": ("12", "0NUN" + today, [("AO", ao), ("AA", aa), ("AB", ab), ("AJ", ""), ("AH", ""), af]),
        "09": ("10", "0NUN" + today, [("AO", ao), ("AB", ab), ("AQ", ""), af]),
        "29": ("30", "0NUN" + today, [("AO", ao), ("AA", aa), ("AB", ab), ("AJ", ""), ("AH", ""), af]),
        "17": ("18", "010001" + today, [("AB", ab), ("AJ", ""), af]),
        "35": ("36", NO + today, [("AO", ao), ("AA", aa), af]),
        "15": ("16", "0" + NO + today, [("AO", ao), ("AA", aa), af]),
        "19": ("20", "0" + today, [("AB", ab), af]),
        "37": ("38", NO + today, [("AO", ao), ("AA", aa), af]),
        "65": ("66", "0" + "0000" + "0000" + today, [("AO", ao), af]),
    }
    code, fixed, fields = shapes[request.code]
    return encode(code, fixed, fields)


def resend_request(detect_errors: bool) -> bytes:
    """96: ask the machine to send its last message again (never a sequence number)."""
    return with_trailer(b"96", None, detect_errors)


def split_frames(buffer: bytearray) -> list[bytes]:
    """Take every complete frame (CR-terminated) out of ``buffer``; leading LFs of
    CR LF line ends are dropped, empty frames skipped. Linear in the buffer: the
    bytes are removed once, not frame by frame (a read full of tiny frames would
    otherwise cost the square of its length)."""
    end = buffer.rfind(b"\r")
    if end < 0:
        return []
    whole = bytes(buffer[:end])
    del buffer[: end + 1]
    return [frame for part in whole.split(b"\r") if (frame := part.lstrip(b"\n"))]
