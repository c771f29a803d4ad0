"""The staff navigation, built from what each app registers in its AppConfig.ready().

Apps add themselves here instead of editing base.html: ``register("Find patron",
"patrons:find", Cap.FIND_PATRON, order=10)``. Each link belongs to a group, a task
("Desk", "Officers and cases"...): by default the group its app's namespace maps to
(``NAMESPACE_GROUPS``), or the one named with ``group=``. Each signed-in user sees only
the links their role's capabilities allow, grouped, with the current page marked.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

# The tasks staff come to quietdesk for, in the order the menu shows them.
GROUPS: dict[str, str] = {
    "desk": "Desk",
    "cases": "Officers and cases",
    "rapid": "Rapid response",
    "records": "Records and retention",
    "privacy": "Privacy and audit",
    "guide": "Guide and training",
    "admin": "Administration",
}
# An app's links go to its task unless it says otherwise.
NAMESPACE_GROUPS = {
    "patrons": "desk", "circulation": "desk", "legal": "cases", "alerts": "rapid", "records": "records",
    "retention": "records", "audit": "privacy", "stats": "privacy", "privacy": "privacy", "guide": "guide",
    "staff": "admin",
}


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    cap: str
    order: int = 50
    group: str = "admin"


ITEMS: list[NavItem] = []


def group_of(url_name: str) -> str | None:
    return NAMESPACE_GROUPS.get(url_name.split(":", 1)[0])


def register(label: str, url_name: str, cap, order: int = 50, group: str | None = None) -> None:
    group = group or group_of(url_name) or "admin"
    if group not in GROUPS:
        raise ValueError(f"Unknown navigation group {group!r}: one of {', '.join(GROUPS)}.")
    if not any(item.url_name == url_name for item in ITEMS):
        ITEMS.append(NavItem(label, url_name, str(cap), order, group))
        ITEMS.sort(key=lambda item: (item.order, item.label))


def items_for(can: dict[str, bool]) -> list[dict[str, str]]:
    """The links a role may use, flat (in menu order)."""
    return [{"label": i.label, "url": reverse(i.url_name), "url_name": i.url_name, "group": i.group}
            for i in ITEMS if can.get(i.cap)]


def menu_for(can: dict[str, bool], current: str = "") -> dict:
    """The grouped menu: ``groups`` (each with its links, only those the role may use),
    the link of the page being shown and its group (``current_group``), marked.

    ``current`` is the view name being shown (``patrons:detail``): a page that is not
    itself in the menu marks the group of its app."""
    groups: list[dict] = []
    current_group = None
    exact = any(i.url_name == current for i in ITEMS if can.get(i.cap))
    for key, label in GROUPS.items():
        links = []
        for item in ITEMS:
            if item.group != key or not can.get(item.cap):
                continue
            here = item.url_name == current
            links.append({"label": item.label, "url": reverse(item.url_name), "current": here})
            if here:
                current_group = key
        if links:
            groups.append({"key": key, "label": label, "links": links})
    if current_group is None and current and not exact:
        fallback = group_of(current)
        if any(g["key"] == fallback for g in groups):
            current_group = fallback
    for group in groups:
        group["current"] = group["key"] == current_group
    return {"groups": groups, "current_group": current_group}
