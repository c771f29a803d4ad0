"""What a library lets SIP2 answers carry: the field policy and the rewrite. Pure.

The policy names fields by their SIP2 identifier and says ``drop`` (the field
is removed), ``mask`` (kept, its value emptied; a name keeps only the form the
library configured) or ``pass``. The rewrite touches nothing else: every byte
of every other field arrives as the ILS sent it, and the checksum is computed
again when the frame carried one.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from . import wire

NAME_FORMS = ("first", "initials", "none")
ACTIONS = ("drop", "mask", "pass")
# Never rewritten: login, status and resend carry no patron.
UNTOUCHED = frozenset({"94", "96", "98"})
DEFAULT_FIELDS = "BD:drop,BE:drop,BF:drop,PB:drop,AE:mask"
_FIELD_ID = re.compile(r"^[A-Z]{2}$")


def display_name(given: str, family: str, form: str) -> str:
    """The patron's name as the library wants machines to show it."""
    if form == "first":
        return given.strip()
    if form == "initials":
        return " ".join(f"{word[0]}." for word in f"{given} {family}".split() if word)
    return ""


def mask_name(full: str, form: str) -> str:
    """A name as an ILS sends it ("Given Family", or "Family, Given"), in ``form``."""
    family, comma, given = full.partition(",")
    if not comma:
        given, _, family = full.strip().partition(" ")
    return display_name(given.strip().split(" ")[0] if form == "first" else given, family, form)


@dataclass(frozen=True)
class Policy:
    fields: dict[str, str]  # field id -> "drop" | "mask"
    refuse: frozenset[str]  # request codes answered with a refusal, never forwarded
    name_form: str = "first"


def parse_policy(fields: str, refuse: str = "", name_form: str = "first") -> Policy:
    """``"BD:drop,AE:mask"`` and ``"25,01"``; raises ValueError naming what is wrong."""
    if name_form not in NAME_FORMS:
        raise ValueError(f"the name form must be one of {', '.join(NAME_FORMS)}, not {name_form!r}")
    actions: dict[str, str] = {}
    for item in (part.strip() for part in fields.split(",")):
        if not item:
            continue
        fid, _, action = (x.strip() for x in item.partition(":"))
        if not _FIELD_ID.match(fid) or fid in {"AY", "AZ"}:
            raise ValueError(f"{fid!r} is not a SIP2 field identifier that can be filtered (two capital letters)")
        if action not in ACTIONS:
            raise ValueError(f"the action for {fid} must be drop, mask or pass, not {action!r}")
        if action != "pass":
            actions[fid] = action
    codes = {c.strip() for c in refuse.split(",") if c.strip()}
    for code in codes:
        if code not in wire.REQUEST_FIXED or code in {"93", "97"}:
            raise ValueError(f"{code!r} is not a SIP2 request that can be refused (login and resend cannot be)")
    return Policy(actions, frozenset(codes), name_form)


def _text(value: bytes) -> tuple[str, str]:
    try:
        return value.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return value.decode("latin-1"), "latin-1"  # older ILSs send Latin-1 or cp850


def rewrite(frame: bytes, policy: Policy, counts: Counter | None = None) -> bytes:
    """A response frame (without its CR) with the policy applied. Returns the
    frame itself when nothing is to change. Raises FrameError for a response
    that cannot be read safely (it is then not forwarded)."""
    code = frame[:2].decode("ascii", "replace")
    if code in UNTOUCHED or not policy.fields:
        return frame
    if code not in wire.RESPONSE_FIXED:
        raise wire.FrameError(f"response type {code} is not known")
    trailer = wire.split_trailer(frame)
    body = frame[: trailer.body_end]
    start = 2 + wire.RESPONSE_FIXED[code]
    if len(body) < start:
        raise wire.FrameError(f"response {code} is shorter than its fixed fields")
    kept, changed = [], False
    for part in body[start:].split(b"|"):
        action = policy.fields.get(part[:2].decode("ascii", "replace")) if len(part) >= 2 else None
        if action is None:
            kept.append(part)
            continue
        changed = True
        if counts is not None:
            counts[f"{action} {part[:2].decode('ascii')}"] += 1
        if action == "mask":
            value = b""
            if part[:2] == b"AE":
                text, codec = _text(part[2:])
                value = mask_name(text, policy.name_form).encode(codec, errors="replace")
            kept.append(part[:2] + value)
    if not changed:
        return frame
    rebuilt = body[:start] + b"|".join(kept)
    return wire.with_trailer(rebuilt, trailer.sequence, trailer.detects_errors)[:-1]
