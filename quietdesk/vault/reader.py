"""The one code path that decrypts patron (and network member) data.

Every read here: (1) asks the policy engine whether this requester may see this
category on this basis, (2) appends to the access log, and (3) decrypts, all in
one transaction, so there is no read without its log entry and no log entry for
a read that failed. import-linter keeps every other module away from
``quietdesk.vault.unseal``.

Models that hold sealed fields declare:
* ``<field>_ct`` binary columns, sealed with (model label, field, row pk);
* ``vault_subject_id`` -> the UUID whose data key seals the row (and, for
  lookups, ``vault_subject_column``, its column, when it is not the row's id);
* ``vault_pseudonym`` -> the label that appears in the log;
* ``BLIND_INDEXES = {key: (column, normalizer, sealed fields)}`` for exact lookup.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction

from quietdesk import sql
from quietdesk.audit.service import Actor, append
from quietdesk.policy import engine as policy

from . import api, crypto, datakeys, unseal


class AccessDenied(PermissionDenied):
    def __init__(self, decision):
        super().__init__(decision.say)
        self.decision = decision


def _decide(requester: str, category: str, document: str, **extra) -> policy.Decision:
    decision = policy.decide(policy.Request(requester=requester, category=category, document=document, **extra))
    if not decision.allows_disclosure:
        raise AccessDenied(decision)
    return decision


def _open(obj, field: str) -> str:
    return unseal.open_field(
        obj.vault_subject_id, obj._meta.label_lower, field, obj.pk, getattr(obj, f"{field}_ct")
    )


def read(
    actor: Actor,
    obj,
    fields: Sequence[str],
    *,
    category: str,
    purpose: str,
    requester: str = "staff",
    document: str = "none",
    action: str = "view",
    **policy_extra,
) -> dict[str, str]:
    """Decrypt ``fields`` of one row for ``actor``; logged; raises AccessDenied."""
    decision = _decide(requester, category, document, **policy_extra)
    with transaction.atomic():
        values = {f: _open(obj, f) for f in fields}
        append(
            actor,
            action=action,
            subject=obj.vault_pseudonym,
            categories=[category],
            basis=f"{purpose} [{decision.scope}]",
        )
    return values


def read_many(
    actor: Actor,
    objs: Sequence,
    fields: Sequence[str],
    *,
    category: str,
    purpose: str,
    requester: str = "staff",
    document: str = "none",
    action: str = "export",
    **policy_extra,
) -> list[dict[str, str]]:
    """Decrypt many rows (an export or a production): one log entry per row."""
    decision = _decide(requester, category, document, **policy_extra)
    datakeys.prefetch({o.vault_subject_id for o in objs})
    out = []
    with transaction.atomic():
        for obj in objs:
            out.append({f: _open(obj, f) for f in fields})
            append(actor, action=action, subject=obj.vault_pseudonym, categories=[category],
                   basis=f"{purpose} [{decision.scope}]")
    return out


def find(
    actor: Actor,
    queryset,
    field: str,
    value: str,
    *,
    purpose: str,
    category: str = "registration",
    log_empty: bool = True,
) -> list:
    """Exact lookup through a blind index, false positives removed by decrypting the field.

    Logs one "search" entry per match, and one with no subject when nothing
    matched (unless ``log_empty`` is off, for internal checks such as "is this
    card number free"). Non-matching candidates are compared in memory and
    never shown, so they are not disclosures.
    """
    model = queryset.model
    column, normalizer, sources = model.BLIND_INDEXES[field]
    wanted = crypto.NORMALIZERS[normalizer](value or "")
    index = api.blind_index(model._meta.db_table, field, value, normalizer)
    _decide("staff", category, "none")
    if index is None:
        return []
    label = model._meta.label_lower
    subject_of = getattr(model, "vault_subject_column", "id")
    # Plain SQL for the candidates and their wrapped keys, in one query: this
    # runs on every lookup and registration.
    table, dk = model._meta.db_table, datakeys.TABLE
    cols = ", ".join(["t.id", f"t.{subject_of}", *(f"t.{src}_ct" for src in sources)])
    rows = sql.fetchall(
        f"SELECT {cols}, dk.dk_version, dk.kek_version, dk.wrapped FROM {table} t "  # noqa: S608
        f"LEFT JOIN {dk} dk ON dk.subject_id = t.{subject_of} WHERE t.{column} = %s",
        (index,),
    )
    candidates = []
    for r in rows:
        subject = uuid.UUID(str(r[1]))
        candidates.append((uuid.UUID(str(r[0])), subject, r[2:-3]))
        if r[-1] is not None:
            datakeys.prime(subject, *r[-3:])
    matched_ids = []
    for row_id, subject, blobs in candidates:
        try:
            plain = " ".join(unseal.open_field(subject, label, src, row_id, blob) for src, blob in zip(sources, blobs, strict=True))
        except crypto.DecryptionError:
            continue  # shredded since: not a match
        if crypto.NORMALIZERS[normalizer](plain) == wanted:
            matched_ids.append(row_id)
    matches = list(queryset.filter(pk__in=matched_ids)) if matched_ids else []
    if matches or log_empty:
        with transaction.atomic(savepoint=False):
            for match in matches or [None]:
                append(
                    actor,
                    action="search",
                    subject=match.vault_pseudonym if match else "-",
                    categories=[category],
                    basis=f"{purpose}: lookup by {field}",
                )
    return matches
