"""The SIP2 codec, the field policy and the settings, without sockets."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from pysip2 import decode_message, verify_checksum

from quietdesk.sip2 import conf, filtering, wire

pytestmark = pytest.mark.nodb


def test_checksum_matches_a_published_example():
    # The example in the sip2 package's documentation of its checksum.
    prefix = b"09N20160419    12200820160419    122008APReading Room 1|AO830|AB830$28170815|AC|AY2AZ"
    assert wire.checksum(prefix) == b"EB80"
    frame = prefix + b"EB80"
    assert wire.checksum_ok(frame, wire.split_trailer(frame))
    assert not wire.checksum_ok(frame.replace(b"830$", b"831$"), wire.split_trailer(frame))


def test_trailers_with_and_without_error_detection():
    t = wire.split_trailer(b"9900302.00AY3AZFA1B")
    assert (t.sequence, t.checksum, t.body_end) == ("3", "FA1B", 10)
    assert wire.split_trailer(b"9900302.00AZ0A1B").sequence is None
    assert wire.split_trailer(b"9900302.00AY3") == wire.Trailer("3", None, 10)
    assert wire.split_trailer(b"9900302.00") == wire.Trailer(None, None, 10)
    # sip2 1.1 does not zero-pad its checksum: the value is what counts.
    body = b"9300CNa|COb|AY0AZ"
    short = body + format(-sum(body) & 0xFFFF, "X").lstrip("0").encode()
    assert wire.checksum_ok(short, wire.split_trailer(short))


def test_parse_and_its_errors():
    m = wire.parse(b"63001" + b"20261201    120000" + b"  Y       AOX|AA123|AD|BP1|", wire.REQUEST_FIXED)
    assert (m.code, m.get("AA"), m.get("AD"), m.get("BQ", "none")) == ("63", "123", "", "none")
    assert m.fixed[21:31] == "  Y       "
    with pytest.raises(wire.UnknownCode):
        wire.parse(b"42abc", wire.REQUEST_FIXED)
    for bad in (b"X9", b"63001", b"17" + b"2" * 18 + b"A|", b"17" + b"2" * 18 + b"AB\xff|"):
        with pytest.raises(wire.FrameError):
            wire.parse(bad, wire.REQUEST_FIXED)


def test_values_cannot_break_a_frame():
    body = wire.encode("18", "03" + "00" + "01" + "20261201    120000", [("AB", "B1"), ("AJ", "A|B\r\nC" + "é" * 200)])
    assert body.count(b"|") == 2 and b"\r" not in body and b"\n" not in body
    assert len(body.split(b"|")[1]) <= 257


@pytest.mark.parametrize("code", sorted(wire.RESPONSE_TO))
def test_every_refusal_is_a_well_formed_answer(code):
    request = wire.Message(code, " " * wire.REQUEST_FIXED[code], [("AO", "LIB"), ("AA", "123"), ("AB", "B1")])
    frame = wire.with_trailer(wire.refusal(request, "20261201    120000", "No."), "4", True)
    assert frame[:2].decode() == wire.RESPONSE_TO[code]
    assert verify_checksum(frame[:-1])
    decode_message(frame)  # pysip2 reads it as a valid response of its type


def test_frames_split_on_cr_with_or_without_lf():
    buffer = bytearray(b"9900302.00\r\n9300CNa|\r\r\n63")
    assert wire.split_frames(buffer) == [b"9900302.00", b"9300CNa|"]
    assert buffer == b"\n63"
    many = bytearray(b"97\r" * 5000 + b"\n\n\r99")  # a read full of tiny frames, at once
    assert wire.split_frames(many) == [b"97"] * 5000 and many == b"99"


def test_policy_parsing():
    p = filtering.parse_policy("BD:drop, AE:mask ,AU:pass,PB:drop", "25, 01", "initials")
    assert p.fields == {"BD": "drop", "AE": "mask", "PB": "drop"} and p.refuse == {"25", "01"}
    for fields, refuse, form in (("BD:hide", "", "first"), ("bd:drop", "", "first"), ("AZ:drop", "", "first"),
                                 ("", "93", "first"), ("", "42", "first"), ("", "", "full")):
        with pytest.raises(ValueError):
            filtering.parse_policy(fields, refuse, form)


@pytest.mark.parametrize(("full", "form", "shown"), [
    ("María José Ortega", "first", "María"), ("Ortega, María José", "first", "María"),
    ("María José Ortega", "initials", "M. J. O."), ("Ortega, María", "initials", "M. O."),
    ("María José Ortega", "none", ""), ("", "first", ""),
])
def test_name_masks(full, form, shown):
    assert filtering.mask_name(full, form) == shown


def test_rewrite_changes_nothing_else():
    policy = filtering.parse_policy(filtering.DEFAULT_FIELDS)
    untouched = b"24" + b" " * 14 + b"001" + b"20261201    120000" + b"AOX|AA1|BLY|AFBDnot a field|AY1AZ"
    untouched += wire.checksum(untouched)
    assert filtering.rewrite(untouched, policy) is untouched
    tricky = b"24" + b"BD" + b" " * 12 + b"001" + b"20261201    120000" + b"AOX|AA1|AEAna Ruiz|BDHome|BLY"
    out = filtering.rewrite(tricky, policy)
    assert out == b"24" + b"BD" + b" " * 12 + b"001" + b"20261201    120000" + b"AOX|AA1|AEAna|BLY"
    latin = b"24" + b" " * 14 + b"001" + b"20261201    120000" + "AEJosé Núñez|".encode("latin-1")
    assert filtering.rewrite(latin, policy).endswith("AEJosé|".encode("latin-1"))
    with pytest.raises(wire.FrameError):
        filtering.rewrite(b"64short", policy)
    with pytest.raises(wire.FrameError):
        filtering.rewrite(b"77whatever|", policy)


def test_settings(settings):
    settings.QUIETDESK_SIP2_LISTEN = "[::1]:6002"
    settings.QUIETDESK_SIP2_NAME_FORM = "initials"
    c = conf.from_settings()
    assert c.listen == ("::1", 6002) and c.name_form == "initials" and c.policy.name_form == "initials"
    assert c.server_tls() is None
    for name, value in (("LISTEN", "6001"), ("NAME_FORM", "full"), ("TLS_CERT", "/nonexistent.pem"),
                        ("MAX_FRAME_BYTES", 10), ("FILTER_FIELDS", "BD:hide"), ("FILTER_REFUSE", "93")):
        original = getattr(settings, f"QUIETDESK_SIP2_{name}")
        setattr(settings, f"QUIETDESK_SIP2_{name}", value)
        with pytest.raises(ImproperlyConfigured, match="QUIETDESK_SIP2_"):
            conf.from_settings()
        setattr(settings, f"QUIETDESK_SIP2_{name}", original)
