"""Plain-language rendering of a policy Decision, for a person at the desk. Pure."""

from __future__ import annotations

from .engine import Decision, Request

OUTCOME_TEXT = {
    "allow": "ALLOW, within the scope below.",
    "deny": "DENY: no information, and no voluntary access.",
    "refer": "REFER: nothing now; the request goes to the person named below.",
}

SCOPE_TEXT = {
    "all": "all of the requested records",
    "face_of_document": (
        "only what is named on the face of the order or warrant (places and records); "
        "staff find it themselves"
    ),
    "authorized_scope": "only what the patron's written authorization covers",
    "overdue_and_fines": "only whether items are overdue and how much is owed",
    "aggregate_only": "only aggregate counts that identify no one",
    "duty_minimum": "only what the task at hand needs",
    "none": "no patron information",
}

ACTION_TEXT = {
    "notify_director": "Notify the library director (or designee) as soon as possible.",
    "refer_branch_manager": (
        "Refer the request to the branch manager (or person in charge), who explains the policy."
    ),
    "record_credentials": "Ask to see credentials; copy or note the name and badge number.",
    "ask_purpose": "Ask the purpose of the visit and note the answer.",
    "copy_documents": "Copy every document presented.",
    "send_to_director_for_review": (
        "Scan the document and send it to the director for review; "
        "ask to whom a response should be sent."
    ),
    "consult_counsel": "The director consults the library's legal counsel.",
    "legal_hold": (
        "Keep the records the document names (pause routine deletion for them only) "
        "until the director and counsel decide."
    ),
    "inventory_production": "List every record or item produced or taken, and keep copies.",
    "nondisclosure": (
        "Tell no one outside library administration about this document or what was "
        "produced (counsel may be consulted)."
    ),
    "do_not_participate": "Do not help find, serve, hold or detain anyone.",
    "do_not_interfere": (
        "Never physically interfere with an officer, even if they go beyond their "
        "authority; step aside and keep documenting."
    ),
    "incident_report": (
        "Write down what the officer did and said, and send an incident report to the director."
    ),
    "log_access": "Record this access in the access log.",
}


def describe_request(request: Request) -> str:
    parts = [f"{request.requester} asks about {request.category}"]
    if request.document == "emergency_claim":
        parts.append("saying it is an emergency (no document)")
    elif request.document != "none":
        parts.append(f"presenting {request.document}")
    if request.age is not None:
        parts.append(f"patron aged {request.age}")
    if request.child_card:
        parts.append("with the child's card")
    for fact, words in (("expired", "it has expired"), ("out_of_state", "from another state's court"),
                        ("other_premises", "it names another place")):
        if getattr(request, fact) is True:
            parts.append(words)
    if request.authorized_categories:
        parts.append("authorization covers " + ", ".join(sorted(request.authorized_categories)))
    return "; ".join(parts)


def render(decision: Decision, request: Request | None = None) -> str:
    """The decision as a few lines of plain text."""
    lines = []
    if request is not None:
        lines.append(f"Request: {describe_request(request)}.")
    lines.append(f"Decision: {OUTCOME_TEXT[decision.outcome]}")
    lines.append(f"What may be shared: {SCOPE_TEXT[decision.scope]}.")
    lines.append(f'Say: "{decision.say}"')
    if decision.actions:
        lines.append("Do:")
        lines.extend(f"  - {ACTION_TEXT[a]}" for a in decision.actions)
    lines.append("Based on: " + "; ".join(decision.basis) + ".")
    return "\n".join(lines)
