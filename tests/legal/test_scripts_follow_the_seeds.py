"""Issue 13, section 1: the words staff see follow the seeds. Each test reads the text a
member of staff reads: the desk's guidance page, the document reader's guidance, the staff
guide, the drills.

* A judge's warrant: ask the officers to wait for the director or counsel (Sonoma
  III.C.2.d.i; roundtable scenario 1); if they refuse, step aside and note what is taken.
  Never "Do not delay the search".
* Decline, never deceive (18 U.S.C. 1001).
* An I-200 / I-205 goes to the director for review; ask to whom the response is sent
  (Sonoma III.C.2.d.ii).
* Every officer script says both parts of Sonoma III.C.2.c.
"""

import datetime
import html
from pathlib import Path

import pytest

from quietdesk.documents.pipeline import read_document
from quietdesk.guide import drills, procedure
from quietdesk.legal import scripts
from tests.legal.helpers import png_file
from tests.legal.test_order_relabel import I200, Reads, reader_says
from tests.personas import PersonaTestCase

CORPUS = Path(__file__).resolve().parents[1] / "documents" / "corpus"
TODAY = datetime.date(2025, 7, 1)
JUDGE = Reads("judicial_search_warrant", True, ["ao93_title"])


def says_both_parts(text: str) -> bool:
    """Sonoma III.C.2.c: no voluntary consent to non-public areas AND to confidential information."""
    text = " ".join(text.split())
    return ("non-public area" in text and "consent" in text and "confidential information" in text)


class DeskPageTests(PersonaTestCase):
    def setUp(self):
        self.login(self.desk)

    def ask(self, **data):
        payload = {"requester": "immigration_officer", "category": "registration", **data}
        with self.captureOnCommitCallbacks(execute=True):
            r = self.client.post("/requests/", payload)
        return html.unescape(self.client.get(r["Location"]).content.decode())

    def say(self, page: str) -> str:
        return page.split('id="say"><p>')[1].split("</p>")[0]

    def test_no_document_script_says_both_parts_of_non_consent(self):
        page = self.ask(document="")
        self.assertTrue(says_both_parts(self.say(page)), self.say(page))

    def test_every_officer_script_at_the_desk_says_both_parts(self):
        for category in ("registration", "presence", "circulation", "camera"):
            for document in ("", "administrative_subpoena", "notice_to_appear", "unknown", "national_security_letter"):
                for requester in ("immigration_officer", "law_enforcement", ""):
                    page = self.ask(requester=requester, category=category, document=document)
                    self.assertTrue(says_both_parts(self.say(page)), (requester, category, document))

    def test_judges_warrant_asks_them_to_wait_and_says_what_to_do_if_they_refuse(self):
        with reader_says(JUDGE):
            page = self.ask(requester="law_enforcement", category="computer_use", document="judicial_search_warrant",
                            files=[png_file("warrant.png")])
        say = self.say(page)
        self.assertIn("please wait until our director or the library's counsel is here", say)
        self.assertTrue(says_both_parts(say))
        after = page.split('id="after-say">')[1].split("</ul>")[0]
        self.assertIn("step aside and do not obstruct them", after)
        self.assertIn("write down what they search and what they take", after)
        self.assertNotIn("Do not delay", page)
        self.assertIn("Roundtable scenario 1", page)

    def test_i200_goes_to_the_director_for_review_and_asks_where_to_send_the_response(self):
        with reader_says(I200):
            page = self.ask(document="read", files=[png_file("i200.png")])
        self.assertIn("No. Give no information.", page)
        say = self.say(page)
        self.assertIn("I will send this warrant to the library director for review", say)
        self.assertIn("To whom should the response be sent?", say)
        self.assertIn("take part", say)  # III.C.2.e: no participation in seizing a person
        self.assertIn("The director reviews the document", page.split('id="next">')[1])
        self.assertIn("Sonoma policy III.C.2.d.ii", page)

    def test_never_deceive_is_on_the_desk_page(self):
        page = self.ask(document="")
        dont = page.split('id="dont">')[1].split("</ul>")[0]
        self.assertIn("Do not say anything false", dont)
        self.assertIn("18 U.S.C. 1001", dont)
        self.assertIn(scripts.NEVER_DECEIVE, page)

    def test_the_guide_states_the_rule_and_why_there_is_no_stalling_line(self):
        page = html.unescape(self.client.get("/guide/officers/").content.decode())
        rule = page.split('id="never-deceive"')[1].split("</section>")[0]
        self.assertIn("Never say anything false to an officer", rule)
        self.assertIn("I'm not sure if I've seen them", rule)  # named, and explained
        self.assertIn("18 U.S.C. 1001", rule)
        self.assertIn("please wait until our director or the library's counsel is here", page)
        self.assertIn("step aside and do not obstruct them", page)
        self.assertNotIn("Do not delay", page)

    def test_the_areas_step_never_says_let_them_through_without_a_judges_warrant(self):
        """Sonoma III.C.2.c, f, g: no consent without a judge's warrant; access only on one; never block."""
        page = " ".join(html.unescape(self.client.get("/guide/officers/").content.decode()).split())
        self.assertNotIn("let them through", page)
        self.assertIn("Never block the way or touch an officer. If there is no judge's warrant, say once more, "
                      "calmly, that the library does not consent, and write down where they go. If there is a "
                      "judge's warrant and they will not wait, give the access it requires. Keep calling the "
                      "director.", page)


def reader_guidance(name: str) -> str:
    c = read_document((CORPUS / name).read_bytes(), today=TODAY, library_state="CA")
    return " ".join(" ".join(c.guidance).split())


@pytest.mark.nodb
def test_reader_guidance_for_a_judges_warrant_asks_to_wait_and_never_says_do_not_delay():
    text = reader_guidance("js_ao93_ndcal.txt")
    assert "Do not delay" not in text
    assert "would you please wait until our director or the library's counsel is here" in text
    assert "step aside and do not obstruct them" in text
    assert "write down what they search and everything they take" in text


@pytest.mark.nodb
def test_reader_guidance_sends_an_i200_to_the_director_for_review():
    for name in ("ice_i200.txt", "ice_i205.txt"):
        text = reader_guidance(name)
        assert "I will send it to our director for review" in text, name
        assert "To whom should the library's response be sent?" in text, name
        assert says_both_parts(text), name


@pytest.mark.nodb
def test_every_reader_script_says_both_parts_and_never_deceive():
    for path in sorted(CORPUS.glob("*.txt")):
        c = read_document(path.read_bytes(), today=TODAY, library_state="CA")
        if c.kind == "written_authorization":
            continue
        say = next((line for line in c.guidance if line.startswith("Say:")), None)
        if say is not None:
            assert says_both_parts(say), (path.name, say)
        assert any("18 U.S.C. 1001" in line for line in c.guidance), path.name


@pytest.mark.nodb
def test_drills_teach_the_corrected_scripts():
    loaded = drills.load_all(None)
    assert loaded.errors == []
    every_text = " ".join(c.text + " " + c.feedback for d in loaded.drills.values() for s in d.steps
                          for c in s.choices)
    assert "Do not delay" not in every_text
    # Drill 10: the best answer asks them to wait; if they refuse, step aside.
    warrant = loaded.drills["search-warrant-computer-records"]
    assert "please wait until our director or the library's counsel is here" in warrant.steps[0].best.text
    refusal = warrant.steps[1]
    assert "Step aside and do not obstruct them" in refusal.best.text
    assert "Roundtable scenario 1" in refusal.best.cite
    # Drill 09: sending the I-200 to the director for review is the best answer's own words.
    i200 = loaded.drills["i200-asking-for-address"].steps[1]
    assert "send this warrant to the library director for review" in i200.best.text
    assert "To whom should the response be sent?" in i200.best.text
    promise = next(c for c in i200.choices if c.text.startswith('"I\'ll send it to the director'))
    assert "Sending it to the director for review is right" in promise.feedback
    # Drill 08: the stalling line is a wrong answer, and why; declining is the best one.
    public = loaded.drills["officer-in-public-area"]
    stall_step = next(s for s in public.steps if any("I'm not sure if I've seen her" in c.text for c in s.choices))
    stall = next(c for c in stall_step.choices if "I'm not sure" in c.text)
    assert not stall.best and "18 U.S.C. 1001" in stall.feedback
    assert "18 U.S.C. 1001" in stall_step.best.cite
    # Every officer script a drill quotes from the engine says both parts of III.C.2.c.
    for d in loaded.drills.values():
        for s in d.steps:
            for c in s.choices:
                if c.from_policy and ("officer" in s.situation.lower() or "agent" in s.situation.lower()):
                    assert says_both_parts(c.text), (d.slug, c.text)


@pytest.mark.nodb
def test_every_officer_situation_in_the_guide_says_both_parts():
    for s in procedure.all_situations():
        if s.request.requester in ("immigration_officer", "law_enforcement"):
            assert says_both_parts(s.say), s.slug


def desk(requester: str, category: str, document: str, **facts):
    """The guidance the desk page shows for this request."""
    from quietdesk.legal import desk_guidance
    from quietdesk.policy import engine

    decision = engine.decide(engine.Request(requester=requester, category=category, document=document, **facts))
    return desk_guidance.build(decision, requester=requester, category=category, document=document)


@pytest.mark.nodb
def test_a_doubtful_judges_document_asks_them_to_wait():
    """Roundtable scenario 1; matches the document reader's DOUBTFUL_SAY."""
    g = desk("law_enforcement", "computer_use", "judicial_search_warrant", expired=True)
    assert "Would you please wait until our director or the library's counsel is here?" in g.say
    assert scripts.IF_THEY_REFUSE in g.after_say
    assert not any("answers later, in writing" in step for step in g.next)


@pytest.mark.nodb
def test_a_judges_document_in_a_public_area_is_never_answered_later_nor_waited_for():
    """Sonoma III.C.2.d.i, f: no 'answers later, in writing', no 'if they will not wait' when no wait was asked."""
    g = desk("law_enforcement", "area:public", "judicial_search_warrant")
    shown = " ".join([g.say, *g.do, *g.next, *g.after_say])
    assert "answers later, in writing" not in shown
    assert "ask to whom a response should be sent" not in shown
    assert "wait" not in g.say.lower()
    assert scripts.IF_THEY_REFUSE not in g.after_say
    # A subpoena handed over in a public area still goes to the director, to be answered later.
    sub = desk("law_enforcement", "area:public", "administrative_subpoena")
    assert any("answers later, in writing" in step for step in sub.next)


@pytest.mark.nodb
def test_a_court_order_is_searched_by_staff_after_the_director_has_seen_it():
    g = desk("law_enforcement", "circulation", "judicial_search_warrant")
    assert ("Once the director has seen it, the library will find and give you only the records it names; "
            "library staff do the searching.") in g.say
    assert "before anything is searched or produced?" in g.say
    assert "before the search begins" not in g.say


@pytest.mark.nodb
def test_custody_in_a_staff_only_area_says_staff_will_not_stand_in_the_way():
    """Sonoma III.C.2.e, g: no help, no consent, and never obstruct."""
    g = desk("immigration_officer", "area:non_public", "ice_administrative_warrant")
    assert "I will not stand in your way." in g.say
    assert scripts.STEP_ASIDE in g.after_say


@pytest.mark.nodb
def test_a_fisc_order_has_words_to_say_with_non_consent_before_secrecy():
    from quietdesk.documents import document_guidance
    from quietdesk.documents import markers as mk

    say = document_guidance._TEXT[mk.FI][3]
    assert say.startswith('Say: "')
    assert says_both_parts(say)
    assert say.index("does not voluntarily consent") < say.index("Do not discuss it")
