"""The engine's answers at its edges: an unknown kind of word, a `compelled` flag that is not
True or False, a subpoena compelled after the two-person decision, and a decision explained
without the request that produced it."""

import pytest

from quietdesk.policy import explain, vocab
from quietdesk.policy.engine import InvalidRequest, Request, UnknownTerm, decide, validate

pytestmark = pytest.mark.nodb

SUBPOENA = sorted(vocab.SUBPOENA_DOCUMENTS)[0]


def test_an_unknown_kind_of_word_lists_the_kinds():
    with pytest.raises(UnknownTerm, match="Valid kinds: " + ", ".join(vocab.KINDS)):
        validate("colour", "red")


@pytest.mark.parametrize("flag", [1, "yes", None])
def test_compelled_must_be_true_or_false(flag):
    with pytest.raises(InvalidRequest, match="compelled must be True or False"):
        decide(Request(requester="law_enforcement", category="circulation", document=SUBPOENA, compelled=flag))


def test_a_compelled_subpoena_gets_what_it_names_with_counsel():
    compelled = decide(Request(requester="law_enforcement", category="circulation", document=SUBPOENA,
                               compelled=True))
    assert (compelled.outcome, compelled.scope) == ("allow", "face_of_document")
    assert "consult_counsel" in compelled.actions
    at_the_desk = decide(Request(requester="law_enforcement", category="circulation", document=SUBPOENA))
    assert not at_the_desk.allows_disclosure


def test_a_decision_is_explained_without_its_request():
    decision = decide(Request(requester="law_enforcement", category="circulation", document="none"))
    text = explain.render(decision)
    assert not text.startswith("Request:")
    assert text.startswith("Decision: ")
    assert f'Say: "{decision.say}"' in text
