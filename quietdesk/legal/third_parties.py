"""Parents and guardians at the desk, and people with a patron's written authorization.

Both go through the same engine and reader as everyone else: the engine decides per
category (the minors' rules, the authorization's scope) and the reader logs each record.

A written authorization is asked, each time, who is presenting it, and the engine
decides as that requester. An officer holding a patron's signed release (perhaps
signed under pressure) is never served on this page: policy III.B.3 is the rule for
officers, so a case is opened (the officer, the written authorization, a copy of it)
and the director decides. A recorded authorization shows nothing until a second
member of staff with the person in charge's authority approves it.
"""

from __future__ import annotations

import base64
import uuid

from django.db import transaction
from django.utils import timezone

from quietdesk.audit.events import Event
from quietdesk.audit.service import Actor, append
from quietdesk.patrons.models import AgeBand, Patron
from quietdesk.policy import vocab
from quietdesk.staff.roles import Cap, has_cap
from quietdesk.vault import api as vault
from quietdesk.vault import reader

from . import document_uploads, registry, selfaccess, services
from .models import Case, ThirdPartyAuthorization

AUTH_MODEL = "legal.thirdpartyauthorization"
# Approving an authorization is the person in charge's (and the director's) to do.
APPROVER_CAP = Cap.APPROVE_AUTHORIZATION


class AuthorizationError(ValueError):
    """Something the authorization's state does not allow; the message says why."""
# An age inside each band: the engine's rules change at 13 and 18, nowhere else.
BAND_AGE: dict[str, int] = {AgeBand.CHILD: 12, AgeBand.TEEN: 15, AgeBand.ADULT: 18}
_NEXT_BAND: dict[str, str] = {AgeBand.CHILD: AgeBand.TEEN, AgeBand.TEEN: AgeBand.ADULT}


def current_band(patron: Patron, today=None) -> str:
    """The age band today: once the recorded change date has passed, the next band (cautious)."""
    today = today or timezone.localdate()
    band = patron.age_band
    if band in _NEXT_BAND and patron.age_band_changes_on and patron.age_band_changes_on <= today:
        band = _NEXT_BAND[band]
    return band


def parent_view(actor: Actor, patron: Patron | None, category: str, *, child_card: bool) -> dict:
    """What a parent or guardian may be told about one category, as the engine decides."""
    age = BAND_AGE[current_band(patron)] if patron is not None else None
    access = registry.Access(actor=actor, requester="parent_guardian", purpose="parent or guardian at the desk",
                             event=Event.PARENT_VIEW, extra={"age": age, "child_card": child_card})
    decision = access.decide(category)
    result = {"decision": decision, "sections": [], "age_band": current_band(patron) if patron else None}
    if patron is not None and decision.allows_disclosure and registry.get(category) is not None:
        result["sections"] = selfaccess.collect(access, patron, [category])
    return result


# --- written authorizations ---------------------------------------------------------


def do_record_authorization(actor: Actor, patron: Patron, *, categories, expires_on, upload,
                            holder_name: str = "", presented_by: str = "authorized_third_party",
                            ) -> ThirdPartyAuthorization:
    """Record an authorization; nothing is shown under it until it is approved."""
    if presented_by in vocab.OFFICERS:
        raise AuthorizationError("An officer's request is not answered on this page: open a case.")
    categories = [c for c in vocab.ASKABLE if c in set(categories)]
    with transaction.atomic():
        auth = ThirdPartyAuthorization(id=uuid.uuid4(), patron=patron, categories=categories,
                                       expires_on=expires_on, recorded_by=actor.name,
                                       content_type=upload.content_type, presented_by=presented_by or "")
        sealer = vault.sealer_for(patron.id)
        auth.holder_name_ct = sealer.seal(AUTH_MODEL, "holder_name", auth.id, holder_name.strip() or None)
        auth.content_ct = sealer.seal(AUTH_MODEL, "content", auth.id, base64.b64encode(upload.data).decode("ascii"))
        auth.save(force_insert=True)
        append(actor, Event.AUTHORIZATION, subject=vault.log_ref(patron.pk), categories=categories,
               basis=f"written authorization recorded, expires {expires_on.isoformat()}; awaiting approval")
    return auth


def can_approve(user, auth: ThirdPartyAuthorization) -> bool:
    """The person in charge (or the director), and not the one who recorded it."""
    return (has_cap(user, APPROVER_CAP) and getattr(user, "get_username", lambda: None)() != auth.recorded_by
            and auth.approved_at is None and is_current(auth))


def do_approve_authorization(actor: Actor, auth: ThirdPartyAuthorization, *, user) -> ThirdPartyAuthorization:
    with transaction.atomic():
        auth = ThirdPartyAuthorization.objects.select_for_update().select_related("patron").get(pk=auth.pk)
        if auth.approved_at is not None:
            raise AuthorizationError("This authorization is already approved.")
        if not is_current(auth):
            raise AuthorizationError("This authorization has expired or was revoked: it cannot be approved.")
        if not has_cap(user, APPROVER_CAP):
            raise AuthorizationError("Only the person in charge or the director can approve an authorization.")
        if user.get_username() == auth.recorded_by:
            raise AuthorizationError("A second member of staff approves: not the one who recorded it.")
        auth.approved_by, auth.approved_at = actor.name, timezone.now()
        auth.save(update_fields=["approved_by", "approved_at"])
        append(actor, Event.AUTHORIZATION, subject=vault.log_ref(auth.patron_id), categories=auth.categories,
               basis="written authorization checked and approved for use")
    return auth


def do_revoke_authorization(actor: Actor, auth: ThirdPartyAuthorization) -> None:
    with transaction.atomic():
        ThirdPartyAuthorization.objects.filter(pk=auth.pk).update(revoked_at=timezone.now())
        append(actor, Event.AUTHORIZATION, subject=vault.log_ref(auth.patron_id), basis="authorization revoked")


def is_current(auth: ThirdPartyAuthorization, today=None) -> bool:
    today = today or timezone.localdate()
    return auth.revoked_at is None and auth.expires_on >= today


def is_approved(auth: ThirdPartyAuthorization) -> bool:
    return auth.approved_at is not None


def authorized_view(actor: Actor, auth: ThirdPartyAuthorization, *, requester: str) -> list[dict]:
    """The records the authorization covers, as the engine decides for who is presenting it;
    nothing before approval or once it has expired or been revoked. Never for an officer."""
    if requester in vocab.OFFICERS:
        raise AuthorizationError("An officer's request is not answered on this page: open a case.")
    if not is_current(auth) or not is_approved(auth):
        return []
    access = registry.Access(
        actor=actor, requester=requester, document="written_authorization",
        purpose="person with the patron's written authorization", event=Event.THIRD_PARTY_VIEW,
        extra={"authorized_categories": frozenset(auth.categories)},
    )
    return selfaccess.collect(access, auth.patron, [c for c in auth.categories if registry.get(c)])


def do_refer_officer(actor: Actor, *, patron: Patron, requester: str, categories, upload=None,
                     holder_name: str = "", user=None) -> Case:
    """An officer presented a patron's written authorization: open a case (the director
    decides, policy III.B.3), with a copy of the authorization. Nothing is shown."""
    if requester not in vocab.OFFICERS:
        raise AuthorizationError("Only an officer's request is referred this way.")
    named = [c for c in vocab.ASKABLE if c in set(categories or ())]
    statement = (f"Presented the written authorization of patron {patron.pseudonym} at the written-authorization "
                 f"page, asking for: {', '.join(named) or 'not said'}.")
    if holder_name.strip():
        statement += f" Name given as authorized: {holder_name.strip()}."
    data = {"requester": requester, "category": named[0] if named else "registration",
            "document": "written_authorization", "statement": statement}
    return services.do_open_case(actor, data, user=user, uploads=[upload] if upload else [],
                                 document_source="hand")


def refer_officer(actor: Actor, auth: ThirdPartyAuthorization, requester: str, *, user=None) -> Case:
    """An officer presented an authorization already on record: a case, with a copy of it."""
    data, _ = read_authorization(actor, auth)
    kind = document_uploads.sniff(data[:16])
    copy = document_uploads.Upload(data, kind, "authorization") if kind else None
    return do_refer_officer(actor, patron=auth.patron, requester=requester, categories=auth.categories,
                            upload=copy, user=user)


def read_authorization(actor: Actor, auth: ThirdPartyAuthorization) -> tuple[bytes, str]:
    values = reader.read(actor, auth, ("content",), category="registration",
                         purpose="view the patron's written authorization", event=Event.VIEW)
    return base64.b64decode(values["content"]), auth.content_type


def read_holder(actor: Actor, auth: ThirdPartyAuthorization) -> str:
    return reader.read(actor, auth, ("holder_name",), category="registration",
                       purpose="who holds the written authorization", event=Event.VIEW)["holder_name"]
