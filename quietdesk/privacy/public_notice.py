"""The public privacy notice, generated from the configuration in force.

Registered into the guide's notice (``guide.notice.register``) from
``PrivacyConfig.ready()``. Every sentence is built from what the software does: the
retention schedule and the camera register (how long), the policy engine (who can
see what, how law-enforcement requests are handled, through ``guide.facts``), the
vendor register (what other companies hold), the statistics settings (epsilon), the
collect-address setting. Change a setting and the notice changes with it; there is
no hand-written copy to drift. Every string goes through Django's translation
framework (English and Spanish catalogs in ``quietdesk/locale``).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

from quietdesk.guide import facts
from quietdesk.guide.privacy_notice import Section, register

WHY = {
    "registration": _("to lend you items and to reach you about them"),
    "circulation": _("to know who has an item until it comes back"),
    "holds": _("to set an item aside for you"),
    "programs": _("to plan seats and let you in"),
    "computer_use": _("to share the computers fairly"),
    "camera": _("for the safety of people and the building"),
    "database_search": _("nothing: searches are not recorded"),
    "reference": _("only to follow up on your question"),
    "ill": _("to borrow an item for you from another library"),
}


def periods() -> dict[str, str]:
    """How long each category is kept, in the active language (the retention app owns the wording)."""
    from quietdesk.retention import public_schedule

    return public_schedule()


def _who(category: str) -> str:
    from quietdesk.policy.engine import Request, decide

    staff = decide(Request(requester="staff", category=category))
    own = decide(Request(requester="patron_self", category=category))
    if category == "database_search":
        return gettext("No one: there is nothing to see.")
    if own.outcome == "allow" and staff.outcome == "allow":
        return gettext("You, and staff who need it for the task at hand.")
    if staff.outcome == "allow":
        return gettext("Staff who need it for the task at hand; you may ask the director to see it.")
    return gettext("Only the library director, on review.")


def _keeps(language: str) -> Section:
    with override(language):
        times = periods()
        items = [
            gettext("%(what)s. Why: %(why)s. How long: %(period)s Who can see it: %(who)s") % {
                "what": facts.CATEGORY_LABELS[c], "why": WHY[c], "period": times[c], "who": _who(c)}
            for c in facts.HELD if c in times
        ]
    section = Section("keeps", _("What the library keeps, why, and for how long"),
                      [_("The library keeps only what it needs to lend and to run its services, and deletes it on a "
                         "schedule. This list is produced from the library's own settings.")],
                      items=items, link=("public:keeps", _("More about what the library keeps")))
    return section


def _summary(language: str) -> Section:
    with override(language):
        times = periods()
        items = [
            (gettext("We keep your name, card number, address and one way to reach you while you are a member.")
             if settings.COLLECT_ADDRESS else
             gettext("We keep your name, card number and one way to reach you while you are a member.")),
            gettext("What you borrow is forgotten when you bring it back, unless you ask us to keep a reading history."),
            times["computer_use"],
            gettext("We never ask about immigration status, citizenship or Social Security numbers."),
            gettext("You can see your own records."),
        ]
        officer = next(f for f in facts.WHO_CAN_SEE if f.key == "officer")
        if officer.holds():
            items.insert(4, str(officer.text))  # Sonoma policy III.B.3, III.C.2.i; ALA Q&A 26
    return Section("summary", _("In short"), [], items=items)


def _requests(language: str) -> Section:
    paragraphs: list[object] = [
        _("Staff at the desk hand over nothing on their own: the director is called first. Every request goes "
          "to the library director, is written down, and is checked against the library's policy and the law.")]
    officer = next(f for f in facts.WHO_CAN_SEE if f.key == "officer")
    if officer.holds():
        paragraphs.append(officer.text)
        paragraphs.append(_("The records given are preserved with a copy of the document."))
    paragraphs.append(_("Every six months the library publishes how many requests it received and how they ended."))
    return Section("requests", _("If police or immigration officers ask"), paragraphs,
                   link=("public:transparency", _("How many requests the library has received")))


# The contract clauses of the vendor register (``vendor_register.CLAUSES``), as a patron reads them:
# "Its contract requires it to ...". Only clauses confirmed in the register are claimed.
PUBLIC_CLAUSES = {
    "purpose": _("use your information only to provide the library's service"),
    "no_sale": _("not sell, share or rent your information"),
    "no_aggregation": _("not build profiles of you or use your information for advertising"),
    "minors": _("protect children's information at least as well as adults'"),
    "security": _("encrypt your information"),
    "breach": _("tell the library promptly if your information is exposed"),
    "deletion": _("return or destroy your information when the contract ends, and keep it no longer than needed"),
    "legal_requests": _("send any request for your information, from police or anyone else, to the library"),
    "subcontractors": _("hold its own subcontractors to the same terms"),
    "public_policy": _("publish a privacy policy that follows the NISO Consensus Principles"),
}


def vendor_statement(vendor) -> str:
    """One company, in the active language: what it holds, the privacy clauses the library has
    confirmed in its contract (ALA Q&A 22), and plainly, the ones it has not."""
    from .vendor_register import CLAUSES

    held = [str(facts.CATEGORY_LABELS[c]) for c in vendor.category_list if c in facts.CATEGORY_LABELS]
    clauses = vendor.clauses or {}
    confirmed = [str(PUBLIC_CLAUSES[key]) for key, _label in CLAUSES if clauses.get(key) is True]
    missing = [str(PUBLIC_CLAUSES[key]) for key, _label in CLAUSES if clauses.get(key) is not True]
    parts = [gettext("%(vendor)s holds: %(held)s.") % {
        "vendor": vendor.name, "held": "; ".join(held) or gettext("see the library for details")}]
    if confirmed:
        parts.append(gettext("The library has confirmed that its contract requires it to: %(clauses)s.")
                     % {"clauses": "; ".join(confirmed)})
    else:
        parts.append(gettext("The library has not confirmed any privacy clause in its contract."))
    if confirmed and missing:
        parts.append(gettext("The library has not confirmed that the contract requires it to: %(clauses)s.")
                     % {"clauses": "; ".join(missing)})
    return " ".join(parts)


def _vendors(language: str) -> Section:
    from .models import Vendor

    with override(language):
        items = [vendor_statement(v) for v in Vendor.objects.exclude(name="").order_by("name")]
    paragraphs = [_("Everything above is about the library's own systems. Some services are run by other companies, "
                    "which keep their own records under their own privacy policies. For each company, the library "
                    "says which privacy promises it has confirmed in the contract, and which it has not.")]
    if not items:
        paragraphs.append(_("The library's register lists no outside company that holds information about patrons."))
    else:
        paragraphs.append(_("These companies hold information about patrons for the library:"))
    return Section("vendors", _("The library's systems and other companies' systems"), paragraphs, items=items)


def _statistics(language: str) -> Section:
    with override(language):
        budget = gettext("The privacy setting (epsilon) is %(eps)s per month of records.") % {
            "eps": f"{settings.QUIETDESK_DP_EPSILON_BUDGET:g}"}
    return Section("statistics", _("Statistics"), [
        _("The library counts loans, program attendance and computer use to plan its services. Published counts "
          "have random noise added (differential privacy), so they cannot reveal what any one person did."),
        budget,
    ])


def _questions(language: str) -> Section | None:
    if not settings.QUIETDESK_PRIVACY_CONTACT:
        return None
    return Section("questions", _("Questions about your privacy"), [
        _("Write or speak to the library's privacy officer:"), settings.QUIETDESK_PRIVACY_CONTACT])


def install() -> None:
    register("summary", _summary, 5)
    register("keeps", _keeps, 10)
    register("requests", _requests, 45)
    register("vendors", _vendors, 60)
    register("statistics", _statistics, 70)
    register("questions", _questions, 80)
