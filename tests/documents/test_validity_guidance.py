"""What the desk reads for a judge-signed document that may not apply here (issue 13,
section 2): expired, from another state's court, or naming another place is not "comply
now" but "call the director; do not produce" (Sonoma III.C.2.d.i; roundtable scenario 1),
and never an instruction to obstruct (Sonoma III.C.2.g)."""

import pytest

from quietdesk.documents import document_guidance
from quietdesk.documents import markers as mk

from .test_kinds_and_fields import read, text

pytestmark = pytest.mark.nodb


@pytest.mark.parametrize("name, fact", [
    ("js_ao93_nevada_expired", "expired"),
    ("js_ca_superior_expired", "expired"),
    ("js_cook_county", "out_of_state"),
    ("js_ao93_printed_form", "names_other_premises"),
])  # fmt: skip
def test_a_doubtful_judges_warrant_is_call_the_director_do_not_produce(corpus, name, fact):
    c = read(corpus, text(name))
    assert c.kind == mk.JS and getattr(c, fact) is True, name
    assert document_guidance.doubtful(c)
    lines = c.guidance
    assert document_guidance.DOUBTFUL_SAY in lines
    assert "Do not produce any records or open staff-only areas on the strength of it." in document_guidance.DOUBTFUL_SAY
    assert "step aside and do not obstruct them" in document_guidance.DOUBTFUL_SAY
    assert not any("Do not delay the search" in line for line in lines), lines
    assert lines[-1] == document_guidance.CALL_DIRECTOR


def test_a_warrant_with_nothing_in_doubt_keeps_its_own_script(corpus):
    c = read(corpus, text("js_ao93_ndcal"))
    assert c.kind == mk.JS and not document_guidance.doubtful(c)
    assert document_guidance.DOUBTFUL_SAY not in c.guidance


def test_only_judge_signed_documents_get_the_doubtful_script(corpus):
    """An expired grand jury subpoena keeps the subpoena's script (it is never produced at the desk)."""
    c = read(corpus, text("gj_edva_expired"))
    assert c.kind == mk.GJ and c.expired is True
    assert not document_guidance.doubtful(c) and document_guidance.DOUBTFUL_SAY not in c.guidance
