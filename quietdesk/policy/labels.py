"""Record categories in a few words, as printed pages and summaries show them.

Plain data beside the policy's vocabulary, so that every app (retention's pages as much
as legal's) names a category the same way without importing the app above it.
"""

CATEGORY_SHORT = {
    "registration": "Registration (name, contact, card)",
    "presence": "Presence in the building",
    "circulation": "Loans",
    "holds": "Holds and requests",
    "programs": "Programs and events",
    "computer_use": "Computer use",
    "camera": "Camera recordings",
    "database_search": "Database searches",
    "reference": "Reference questions",
    "ill": "Interlibrary loans",
    "statistics": "Statistics",
    "area:public": "Public areas",
    "area:non_public": "Staff-only areas",
}


def category(key: str) -> str:
    """A record category as a person reads it ("Loans", not ``circulation``)."""
    return CATEGORY_SHORT.get(key) or key.replace("_", " ").capitalize()


def categories(keys) -> str:
    return ", ".join(category(k) for k in keys) or "none"
