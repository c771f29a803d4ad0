"""The kinds added for issue 13 (state warrants and orders, court subpoenas, detainers,
agency summonses, a patron's written permission) and the particulars read off them:
premises, the date of signing, who signed, the issuing state, "names other premises"."""

import pytest

from quietdesk.documents import addresses, document_guidance
from quietdesk.documents import markers as mk
from quietdesk.documents.classify import classify_text
from quietdesk.documents.jurisdiction import issuing_state

from .conftest import CORPUS

pytestmark = pytest.mark.nodb


def text(name: str) -> str:
    return (CORPUS / f"{name}.txt").read_text(encoding="utf-8")


def read(corpus, body: str, **kw):
    kw.setdefault("library_state", corpus["library_state"])
    kw.setdefault("branch_addresses", corpus["branch_addresses"])
    return classify_text(body, today=corpus["today"], **kw)


def test_a_detainer_is_its_own_kind_not_the_warrant_it_cites(corpus):
    for name in ("det_i247a_jail", "det_i247a_with_i200", "det_i247a_es"):
        c = read(corpus, text(name))
        assert c.kind == mk.DETAINER and c.signed_by_judge is False, name
        assert c.form_number == "I-247A" and c.authorizes == ["nothing_immediate"], name
        assert "It asks nothing of a library." in c.guidance
    # The same page without the detainer's own wording is an I-200 again.
    i200_only = "\n".join(
        line for line in text("det_i247a_with_i200").splitlines()
        if "DETAINER" not in line.upper() and "247" not in line and "custody" not in line
    )  # fmt: skip
    assert read(corpus, i200_only).kind != mk.DETAINER


def test_a_court_subpoena_naming_a_judge_is_still_not_judicial(corpus):
    """New York's subpoenas are issued by the district attorney "in the name of" a judge
    (WITNESS, Honorable ..., one of the Judges of said Court)."""
    c = read(corpus, text("cs_ny_ada_teste"))
    assert c.kind == mk.CS and c.signed_by_judge is False
    assert c.signatory_title == "Assistant District Attorney"
    # Even with a judge's title and number printed on it, a clerk's subpoena stays one.
    forged = text("cs_ca_order_to_attend") + "\nJudge of the Superior Court, Judge's No. 1234\n"
    c = read(corpus, forged)
    assert c.kind == mk.CS and not c.judicial and c.signed_by_judge is False
    assert "NOT signed by a judge" in c.guidance[0]


def test_court_subpoena_guidance_names_counsels_options(corpus):
    c = read(corpus, text("cs_ca_order_to_attend"))
    joined = " ".join(c.guidance)
    for words in ("protective order", "quash", "return date", "director"):
        assert words in joined
    assert c.authorizes == ["records", "appearance", "nothing_immediate"]
    assert c.signatory_title == "Deputy Clerk"


def test_agency_summonses_are_administrative(corpus):
    cbp = read(corpus, text("as_cbp_summons_1509"))
    assert cbp.kind == mk.AS and cbp.signed_by_judge is False
    assert "19 U.S.C. 1509" in {f["text"] for f in cbp.findings if f["marker"] == "s1509"}
    assert cbp.nondisclosure is False  # CBP asks for secrecy; it cannot impose it
    irs = read(corpus, text("as_irs_summons"))
    assert irs.kind == mk.AS and irs.signatory_title == "Revenue Agent"


def test_state_warrants_and_orders_name_their_signer(corpus):
    expected = {
        "js_texas_magistrate": "MAGISTRATE",
        "js_texas_district_judge": "District Judge",
        "co_cook_judge_no": "Judge",
        "co_michigan_bar_no": "Judge",
        "co_texas_presiding": "JUDGE PRESIDING",
    }
    for name, title in expected.items():
        c = read(corpus, text(name))
        assert c.judicial and c.signatory_title == title, (name, c.signatory_title)


def test_texas_warrants_run_three_days_from_issue(corpus):
    c = read(corpus, text("js_texas_magistrate"))
    assert c.dates == {"issued": "2025-06-14", "execute_by": "2025-06-17", "return_date": None}
    assert "derived_execute_by" in {f["marker"] for f in c.findings}
    assert read(corpus, text("js_texas_district_judge")).expired is True


def test_the_issue_date_is_the_signature_date_not_the_first_in_the_body(corpus):
    c = read(corpus, text("js_ao93_printed_form"))
    assert c.dates["issued"] == "2025-06-10"  # the affidavit's June 9 comes first
    body = (
        "SUPERIOR COURT OF CALIFORNIA, COUNTY OF RIVERSIDE\nORDER FOR PRODUCTION OF RECORDS\n"
        "This order concerns the records of May 3, 2025 and the hearing of May 30, 2025.\n"
        "IT IS HEREBY ORDERED that the library produce the sign-in sheet of May 3, 2025.\n"
        "SO ORDERED.\nDated: June 4, 2025\nBlair Specimen\nJudge of the Superior Court\n"
    )
    assert read(corpus, body).dates["issued"] == "2025-06-04"
    # A photo of both pages: the return's date of execution is not the date of issue.
    both = text("js_ao93_ndcal") + (
        "\nReturn\nDate and time warrant executed: June 12, 2025 10:00 a.m.\n"
        "Inventory made in the presence of: the library director\n"
    )
    assert read(corpus, both).dates["issued"] == "2025-06-10"


def test_a_deadline_decades_ahead_is_a_misread_not_a_valid_date(corpus):
    misread = text("gj_edva_expired").replace("May 19, 2025", "May 19, 2075")
    c = read(corpus, misread)
    assert c.expired is None and "implausible_date" in {f["marker"] for f in c.findings}
    assert read(corpus, text("gj_edva_expired")).expired is True


def test_premises_are_the_address_never_the_printed_instruction(corpus):
    c = read(corpus, text("js_ao93_printed_form"))
    assert c.names["premises"]
    for place in c.names["premises"]:
        assert "41 Imaginary Lane" in place and "describe" not in place.lower()


def test_a_card_number_is_not_a_patrons_signature(corpus):
    for name in ("co_cook_judge_no", "js_ao93_nevada_expired", "gj_ao110", "co_oregon"):
        found = {f["marker"] for f in read(corpus, text(name)).findings}
        assert "patron_signature" not in found, name
    c = read(corpus, text("wa_permission_holds"))
    assert c.kind == mk.WA and "card_number" in {f["marker"] for f in c.findings}


def test_names_other_premises(corpus):
    assert read(corpus, text("js_ao93_ndcal")).names_other_premises is False
    assert read(corpus, text("js_ao93_printed_form")).names_other_premises is True
    # Without the library's addresses, or without an address on the document: cannot tell.
    assert read(corpus, text("js_ao93_ndcal"), branch_addresses=()).names_other_premises is None
    assert read(corpus, text("ice_i200")).names_other_premises is None
    c = read(corpus, text("js_texas_magistrate"))
    assert any("not one of the library's branches" in line for line in c.guidance)


@pytest.mark.parametrize(
    ("premises", "branches", "other"),
    [
        (["100 Example Ave., Riverside"], ["100 Example Avenue, Riverside, CA 92500"], False),
        (["100 EXAMPLE AVENUE"], ["100 Example Avenue, Riverside"], False),
        (["100 Example Avenue, Lakeview"], ["100 Example Avenue, Riverside"], True),
        (["102 Example Avenue, Riverside"], ["100 Example Avenue, Riverside"], True),
        (["100 Example Street, Riverside"], ["100 Example Avenue, Riverside"], True),
        (["45 Calle Ficticia, Ponce"], ["Calle Ficticia 45, Ponce"], False),
        (["the library's computer logs"], ["100 Example Avenue"], None),
        (["41 Imaginary Lane"], [""], None),
        ([], ["100 Example Avenue"], None),
    ],
)
def test_address_comparison(premises, branches, other):
    assert addresses.names_other_premises(premises, branches) is other


@pytest.mark.parametrize(
    ("caption", "state"),
    [
        ("UNITED STATES DISTRICT COURT\nfor the\nNorthern District of Califomia", "CA"),
        ("UNITED STATES DISTRICT COURT for the Northern District of Ca1ifornia", "CA"),
        ("IN THE CIRCUIT COURT OF COOK COUNTY, ILLINOIS", "IL"),
        ("THE STATE OF TEXAS §\nCOUNTY OF EXAMPLE §", "TX"),
        ("SUPERIOR COURT OF CALIFORNIA,\nCOUNTY OF RIVERSIDE", "CA"),
        ("COUNTY COURT OF THE STATE OF NEW YORK", "NY"),
        ("ESTADO LIBRE ASOCIADO DE PUERTO RICO", "PR"),
        ("for the District of West Virginia", "WV"),
        ("FEDERAL BUREAU OF INVESTIGATION", None),
    ],
)
def test_issuing_state_from_the_courts_own_words(caption, state):
    assert issuing_state(mk.normalize(caption).text) == state


def test_out_of_state_does_not_depend_on_line_breaks(corpus):
    """OCR splits and joins lines differently from one photo to the next."""
    for name in ("js_ao93_ndcal", "co_oregon", "js_cook_county", "cs_ny_ada_teste"):
        body = text(name)
        joined = read(corpus, " ".join(body.split()))
        split = read(corpus, body.replace(" ", "\n", 12))
        assert joined.out_of_state == split.out_of_state == read(corpus, body).out_of_state, name


def test_every_kind_has_words_for_the_desk():
    for kind in mk.KINDS:
        assert kind in document_guidance.NAMES and kind in document_guidance.SHORT
