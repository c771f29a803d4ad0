"""The one code path that decrypts patron (and network member, and case) data.

Every read here: (1) checks that the reader's role may read this category at all
(``policy.duties``: the system administrator reads no patron record, whatever page
or command asks), (2) asks the policy engine whether this requester may see this
category on this basis, (3) decrypts, and (4) records the read, all in one
transaction, so there is no read without its record and no record for a read that
failed. import-linter keeps every other module away from ``quietdesk.vault.unseal``.

Recording: a view, a search, a change or a disclosure is appended to the access log
naming the subject by a sealed reference (``api.log_ref``); a routine desk step
(``Event.routine``: lending a book, a card scanned at a self-check machine) only adds
to the day's count for the actor (``audit.service.count_routine``): it is not a view
of a record, and a log entry per patron would be a history of their visits.

Models that hold sealed fields declare:
* ``<field>_ct`` binary columns, sealed with (model label, field, row pk);
* ``vault_subject_id`` -> the UUID whose data key seals the row (and, for
  lookups, ``vault_subject_column``, its column, when it is not the row's id);
* ``BLIND_INDEXES = {key: (column, normalizer, sealed fields)}`` for exact lookup.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.query import ModelIterable, QuerySet

from quietdesk import sql
from quietdesk.audit.events import DISCLOSURES, OTHER_BRANCH, Event
from quietdesk.audit.models import AccessEntry
from quietdesk.audit.service import Actor, append, count_routine
from quietdesk.policy import duties
from quietdesk.policy import engine as policy

from . import api, crypto, datakeys, unseal


class AccessDenied(PermissionDenied):
    def __init__(self, decision):
        super().__init__(decision.say)
        self.decision = decision


@dataclass(frozen=True)
class _OutsideDuties:
    """What ``AccessDenied`` carries when the role itself may not read the category."""

    say: str = "Your role does not include reading these records."
    outcome: str = "deny"
    scope: str = "none"
    allows_disclosure: bool = False


def _decide(actor: Actor, requester: str, category: str, document: str, **extra) -> policy.Decision:
    if not duties.permits(actor.role, category):
        raise AccessDenied(_OutsideDuties())
    decision = policy.decide(policy.Request(requester=requester, category=category, document=document, **extra))
    if not decision.allows_disclosure:
        raise AccessDenied(decision)
    return decision


def _open(obj, field: str) -> str:
    return unseal.open_field(
        obj.vault_subject_id, obj._meta.label_lower, field, obj.pk, getattr(obj, f"{field}_ct")
    )


def _checkpoint_after_disclosure() -> None:
    """Once per transaction that discloses: sign where the log then ends (``checkpoints``),
    so that a restore or truncation hiding the disclosure is caught."""
    from django.db import connection

    from . import checkpoints

    if any(entry[1] is checkpoints.checkpoint_now for entry in connection.run_on_commit):
        return
    # robust: a failed signature is logged by Django (no patron data in it) and never undoes the read.
    transaction.on_commit(checkpoints.checkpoint_now, robust=True)


def _record(actor: Actor, event: Event, subjects: Sequence[uuid.UUID], *, category: str, basis: str,
            case_ref: str, restricted: bool, case=None) -> None:
    if event in DISCLOSURES:
        _checkpoint_after_disclosure()
    if event.routine:
        count_routine(actor, event, len(subjects) or 1)
        return
    if case is not None:
        # A case file's rows: named by the case, in plain (a case is not a person), once per read.
        append(actor, event, case_ref=case.pseudonym, categories=[category], basis=basis,
               restricted=restricted or case.nondisclosure)
        return
    named: Sequence[uuid.UUID | None] = subjects or [None]
    for subject_id in named:
        append(actor, event, subject=api.log_ref(subject_id) if subject_id else "", case_ref=case_ref,
               categories=[category], basis=basis, restricted=restricted)


def read(
    actor: Actor,
    obj,
    fields: Sequence[str],
    *,
    category: str,
    purpose: str,
    event: Event = Event.VIEW,
    requester: str = "staff",
    document: str = "none",
    case_ref: str = "",
    restricted: bool = False,
    **policy_extra,
) -> dict[str, str]:
    """Decrypt ``fields`` of one row for ``actor``; recorded; raises AccessDenied."""
    decision = _decide(actor, requester, category, document, **policy_extra)
    basis = f"{purpose} [{decision.scope}]"
    home = getattr(obj, "home_branch_id", None)
    if actor.branch is not None and home is not None and home != actor.branch:
        basis += f" {OTHER_BRANCH}"
    with transaction.atomic():
        values = {f: _open(obj, f) for f in fields}
        _record(actor, event, [obj.vault_subject_id], category=category, basis=basis,
                case_ref=case_ref, restricted=restricted, case=getattr(obj, "vault_case", None))
    return values


def read_many(
    actor: Actor,
    objs: Sequence,
    fields: Sequence[str],
    *,
    category: str,
    purpose: str,
    event: Event = Event.EXPORT,
    requester: str = "staff",
    document: str = "none",
    case_ref: str = "",
    restricted: bool = False,
    **policy_extra,
) -> list[dict[str, str]]:
    """Decrypt many rows (an export or a production): one record per row."""
    decision = _decide(actor, requester, category, document, **policy_extra)
    datakeys.prefetch({o.vault_subject_id for o in objs})
    with transaction.atomic():
        out = [{f: _open(obj, f) for f in fields} for obj in objs]
        if objs:
            _record(actor, event, [o.vault_subject_id for o in objs], category=category,
                    basis=f"{purpose} [{decision.scope}]", case_ref=case_ref, restricted=restricted,
                    case=getattr(objs[0], "vault_case", None))
    return out


def find(
    actor: Actor,
    queryset,
    field: str,
    value: str,
    *,
    purpose: str,
    category: str = "registration",
    event: Event = Event.SEARCH,
    log_empty: bool = True,
    case_ref: str = "",
    restricted: bool = False,
) -> list:
    """Exact lookup through a blind index, false positives removed by decrypting the field.

    Records one search per match (or one with no subject when nothing matched, unless
    ``log_empty`` is off, for internal checks such as "is this card number free"); a
    routine ``event`` (a card scanned to lend a book) is only counted. Non-matching
    candidates are compared in memory and never shown, so they are not disclosures.
    """
    model = queryset.model
    column, normalizer, sources = model.BLIND_INDEXES[field]
    wanted = crypto.NORMALIZERS[normalizer](value or "")
    index = api.blind_index(model._meta.db_table, field, value, normalizer)
    _decide(actor, "staff", category, "none")
    if index is None:
        return []
    label = model._meta.label_lower
    subject_of = getattr(model, "vault_subject_column", "id")
    # Plain SQL for the candidates and their wrapped keys, in one query: this
    # runs on every lookup and registration.
    table, dk = model._meta.db_table, datakeys.TABLE
    cols = ", ".join(["t.id", f"t.{subject_of}", *(f"t.{src}_ct" for src in sources)])
    # A whole table's rows come back with the candidates (no second query to load them).
    whole = _whole_table(queryset)
    rows = sql.fetchall(
        f"SELECT {cols}, dk.dk_version, dk.kek_version, dk.wrapped{', ' + sql.columns_of(model) if whole else ''} "  # noqa: S608
        f"FROM {table} t LEFT JOIN {dk} dk ON dk.subject_id = t.{subject_of} WHERE t.{column} = %s",
        (index,),
    )
    width = 2 + len(sources) + 3
    candidates = []
    for r in rows:
        subject = uuid.UUID(str(r[1]))
        candidates.append((uuid.UUID(str(r[0])), subject, r[2:width - 3], r[width:]))
        if r[width - 1] is not None:
            datakeys.prime(subject, *r[width - 3:width])
    matched_ids, matched_subjects, matched_rows = [], [], []
    for row_id, subject, blobs, whole_row in candidates:
        try:
            plain = " ".join(unseal.open_field(subject, label, src, row_id, blob) for src, blob in zip(sources, blobs, strict=True))
        except crypto.DecryptionError:
            continue  # shredded since: not a match
        if crypto.NORMALIZERS[normalizer](plain) == wanted:
            matched_ids.append(row_id)
            matched_subjects.append(subject)
            matched_rows.append(whole_row)
    if whole:
        matches = sql.instances(model, matched_rows)
    else:
        matches = list(queryset.filter(pk__in=matched_ids)) if matched_ids else []
    if matches or log_empty:
        with transaction.atomic(savepoint=False):
            _record(actor, event, matched_subjects, category=category, basis=f"{purpose}: lookup by {field}",
                    case_ref=case_ref, restricted=restricted)
    return matches


def _whole_table(queryset) -> bool:
    """``queryset`` is every row of its model as plain instances, in no particular order, from the
    default database: no filter, join, deferral, values, ordering, lock, union or distinct. Anything
    else keeps the queryset's own second query, so what the caller asked for is what it gets."""
    q = queryset.query
    model = queryset.model
    return (
        type(queryset) is QuerySet and queryset._iterable_class is ModelIterable
        and queryset.db == DEFAULT_DB_ALIAS and not getattr(queryset, "_prefetch_related_lookups", ())
        and not q.where and not q.select_related and not q.annotations and not q.extra and not q.extra_tables
        and not q.is_sliced and q.deferred_loading == (frozenset(), True) and not q.values_select
        and not q.select_for_update and not q.order_by and not (q.default_ordering and model._meta.ordering)
        and not q.combinator and not q.distinct and not q.distinct_fields
    )


def access_history(actor: Actor, obj, *, purpose: str, category: str = "registration") -> list[AccessEntry]:
    """Who viewed, changed or disclosed this subject's records, when and why (ALA Q&A 7).

    Matches every sealed reference in the log against the subject's own key; the
    look is itself recorded. Entries under non-disclosure are the caller's to hide."""
    _decide(actor, "staff", category, "none")
    matches = api.ref_matcher([obj.vault_subject_id])
    found = []
    refs = AccessEntry.objects.filter(subject__startswith=api.LOG_REF_PREFIX).values_list("seq", "subject")
    for seq, ref in refs.iterator(chunk_size=20000):
        if matches(ref):
            found.append(seq)
    with transaction.atomic():
        _record(actor, Event.ACCESS_HISTORY, [obj.vault_subject_id], category=category, basis=purpose,
                case_ref="", restricted=False)
    return list(AccessEntry.objects.filter(seq__in=found).order_by("-seq"))


def find_words(
    actor: Actor,
    queryset,
    words_model,
    value: str,
    *,
    purpose: str,
    show: Sequence[str] = (),
    limit: int = 25,
    category: str = "registration",
) -> tuple[list[tuple[object, dict[str, str]]], int]:
    """Find by any whole words of a name: every word of ``value`` must be a whole word of it.

    ``words_model`` holds one row per word of each subject's name, a truncated blind index
    (``WORD_INDEX = (link column, index column, sealed fields of the name)``). Candidates
    are the rows that have every word's index; their names are decrypted and compared in
    memory, never shown. Returns the matches with their ``show`` fields decrypted, one
    search entry each, and how many matched; when more than ``limit`` match, none is
    decrypted for display and one search entry without a subject says how many."""
    model = queryset.model
    link, column, sources = words_model.WORD_INDEX
    wanted = api.name_words(value)
    _decide(actor, "staff", category, "none")
    if not wanted:
        return [], 0
    words_table = words_model._meta.db_table
    index_of = api.blind_indexer(words_table, "name_word", "name")
    indexes = sorted({i for i in map(index_of, wanted) if i is not None})  # words are never empty
    table, dk = model._meta.db_table, datakeys.TABLE
    subject_of = getattr(model, "vault_subject_column", "id")
    marks = ", ".join(["%s"] * len(indexes))
    cols = ", ".join(["t.id", f"t.{subject_of}", *(f"t.{src}_ct" for src in sources)])
    rows = sql.fetchall(
        f"SELECT {cols}, dk.dk_version, dk.kek_version, dk.wrapped FROM {table} t "  # noqa: S608
        f"JOIN (SELECT {link} AS owner FROM {words_table} WHERE {column} IN ({marks}) "
        f"GROUP BY {link} HAVING COUNT(DISTINCT {column}) = %s) w ON w.owner = t.id "
        f"LEFT JOIN {dk} dk ON dk.subject_id = t.{subject_of}",
        (*indexes, len(indexes)),
    )
    label = model._meta.label_lower
    matched_ids, matched_subjects = [], []
    for r in rows:
        row_id, subject = uuid.UUID(str(r[0])), uuid.UUID(str(r[1]))
        if r[-1] is not None:
            datakeys.prime(subject, *r[-3:])
        try:
            plain = " ".join(unseal.open_field(subject, label, src, row_id, blob) or ""
                             for src, blob in zip(sources, r[2:-3], strict=True))
        except crypto.DecryptionError:
            continue  # shredded since: not a match
        if set(wanted) <= set(api.name_words(plain)):
            matched_ids.append(row_id)
            matched_subjects.append(subject)
    basis = f"{purpose}: lookup by words of the name"
    if len(matched_ids) > limit:
        with transaction.atomic(savepoint=False):
            _record(actor, Event.SEARCH, [], category=category, basis=f"{basis}, {len(matched_ids)} matches, none shown",
                    case_ref="", restricted=False)
        return [], len(matched_ids)
    objs = list(queryset.filter(pk__in=matched_ids)) if matched_ids else []
    with transaction.atomic(savepoint=False):
        out = [(obj, {f: _open(obj, f) for f in show}) for obj in objs]
        _record(actor, Event.SEARCH, [o.vault_subject_id for o in objs], category=category, basis=basis,
                case_ref="", restricted=False)
    return out, len(objs)


def index_words(actor: Actor, objs: Sequence, words_model) -> list[tuple[uuid.UUID, int]]:
    """(row id, word index) for each whole word of each row's name, for rows made before
    the words were indexed (``quietdesk patrons index-names``). The names are decrypted in
    memory and never returned; one entry records the run, naming no one."""
    _link, _column, sources = words_model.WORD_INDEX
    index = api.blind_indexer(words_model._meta.db_table, "name_word", "name")
    if not duties.permits(actor.role, "registration"):
        raise AccessDenied(_OutsideDuties())
    datakeys.prefetch({o.vault_subject_id for o in objs})
    out: list = []
    for obj in objs:
        try:
            plain = " ".join(_open(obj, f) for f in sources)
        except crypto.DecryptionError:
            continue
        out.extend((obj.pk, index(w)) for w in api.name_words(plain))
    with transaction.atomic(savepoint=False):
        append(actor, Event.IMPORT, categories=["registration"],
               basis=f"indexed the words of {len(objs)} names for finding by a word (no name kept)")
    return out
