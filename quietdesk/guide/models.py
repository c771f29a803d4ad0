"""What the library configures for its guide: contacts, areas, resources, notes.

None of it is patron data. Drill completions name a member of staff and nothing
else: which drill, when, and the score (kept once per staff member and drill).
"""

import uuid

from django.conf import settings
from django.db import models


class Contact(models.Model):
    """Who staff call when officers arrive (printed on the desk card)."""

    class Kind(models.TextChoices):
        DIRECTOR = "director", "Library director"
        DESIGNEE = "designee", "Director's designee"
        COUNSEL = "counsel", "Legal counsel"
        HOTLINE = "hotline", "Rapid-response hotline"
        LEGAL_AID = "legal_aid", "Legal aid"
        # For a member of staff a request is about (ICE protocol, Collective bargaining): their
        # own lawyer and their union, never the library's counsel, who acts for the library.
        STAFF_COUNSEL = "staff_counsel", "Staff's own counsel (not the library's lawyer)"
        UNION = "union", "Union"
        OTHER = "other", "Other"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=120)
    phone = models.CharField(max_length=40, blank=True)
    after_hours = models.CharField("after-hours phone", max_length=40, blank=True)
    email = models.EmailField(blank=True)
    note = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=50)

    class Meta:
        ordering = ["order", "kind", "name"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"


class Zone(models.Model):
    """One area of a library building, public or not (Sonoma III.C.2.f)."""

    class Kind(models.TextChoices):
        PUBLIC = "public", "Public area"
        NON_PUBLIC = "non_public", "Non-public area (staff only)"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    branch = models.ForeignKey("core.Branch", null=True, blank=True, on_delete=models.CASCADE)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    note = models.CharField(max_length=200, blank=True, help_text="For example: which door, or when it is locked.")
    order = models.PositiveSmallIntegerField(default=50)

    class Meta:
        ordering = ["branch__name", "order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        return self.kind == self.Kind.PUBLIC


class Resource(models.Model):
    """An entry in the resources directory the library curates."""

    class Kind(models.TextChoices):
        HOTLINE = "hotline", "Hotline"
        LEGAL = "legal", "Legal services"
        IMMIGRATION = "immigration", "Immigration help"
        PRIVACY = "privacy", "Privacy and digital security"
        SUPPORT = "support", "Crisis and community support"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=160)
    phone = models.CharField(max_length=60, blank=True)
    url = models.URLField("web address", blank=True)
    email = models.EmailField(blank=True)
    # {"en": "...", "es": "..."}: one description per language the library serves.
    description = models.JSONField(default=dict, blank=True)
    # Language codes (en, es, vi...) in which the service helps people.
    languages = models.JSONField(default=list, blank=True)
    public = models.BooleanField("show on the patron pages", default=True)
    order = models.PositiveSmallIntegerField(default=50)

    class Meta:
        ordering = ["kind", "order", "name"]

    def __str__(self) -> str:
        return self.name

    def description_in(self, language: str) -> str:
        """The description in ``language``, else in English, else in any language given."""
        text = self.description or {}
        return text.get(language) or text.get("en") or next(iter(text.values()), "")


class Note(models.Model):
    """Talking points and self-care: short texts the library edits."""

    class Section(models.TextChoices):
        TALKING_POINTS = "talking_points", "Talking points"
        SELF_CARE = "self_care", "Self-care and mental health"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    section = models.CharField(max_length=16, choices=Section.choices)
    title = models.CharField(max_length=160)
    body = models.TextField(max_length=4000)
    order = models.PositiveSmallIntegerField(default=50)

    class Meta:
        ordering = ["section", "order", "title"]

    def __str__(self) -> str:
        return self.title


class PageReview(models.Model):
    """When a public page was last reviewed, and by whom: the library fills it in (the
    director, after counsel has read the page). The page shows it, or says no review is
    recorded; it is never filled in by quietdesk itself."""

    class Page(models.TextChoices):
        RIGHTS = "rights", "Know your rights"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    page = models.CharField(max_length=32, choices=Page.choices, unique=True)
    reviewed_on = models.DateField("last reviewed on")
    reviewed_by = models.CharField(
        "reviewed by", max_length=160,
        help_text="Who reviewed the page, as the public should read it: for example "
                  "\u201cthe library's counsel\u201d or a name and role.")

    class Meta:
        ordering = ["page"]

    def __str__(self) -> str:
        return f"{self.get_page_display()}: reviewed {self.reviewed_on}"

    @classmethod
    def of(cls, page: str) -> "PageReview | None":
        return cls.objects.filter(page=page).first()


class DrillCompletion(models.Model):
    """The latest completion of a drill by a member of staff: minimal on purpose."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drill_completions")
    drill = models.SlugField(max_length=80)
    completed_at = models.DateTimeField()
    score = models.PositiveSmallIntegerField()
    out_of = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["-completed_at"]
        constraints = [models.UniqueConstraint(fields=["staff", "drill"], name="guide_one_completion_per_drill")]

    def __str__(self) -> str:
        return f"{self.drill} ({self.score}/{self.out_of})"


class TranslationReview(models.Model):
    """Whether a person has reviewed the patron pages in one language (set by the director).

    A language with no row, or ``reviewed=False``, shows a "not yet reviewed by a
    person" notice on every patron page (quietdesk.guide.languages). Who changed it
    and when is in the access log (Event.GUIDE_CHANGE), not here.
    """

    language = models.CharField(max_length=16, primary_key=True)
    reviewed = models.BooleanField(default=False)
    changed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.language}: {'reviewed' if self.reviewed else 'not reviewed'}"


class DeskPrompt(models.Model):
    """One of "what happens next at the desk" (ICE protocol, "ICE in the library"): the
    library words it, and the desk shows it only once counsel's approval is recorded."""

    class Key(models.TextChoices):
        CALL_DIRECTOR = "call_director", "Call the director"
        CALL_COUNSEL = "call_counsel", "Call the library's counsel"
        CALL_HOTLINE = "call_hotline", "Call the legal-aid or rapid-response hotline"
        SALUTE = "salute", "File a SALUTE report"
        SECOND_STAFF = "second_staff", "Bring a second member of staff"
        MOVE_AWAY = "move_away", "Move officers away from patrons"
        PATRON_RIGHTS = "patron_rights", "A patron already confronted: the right to remain silent and to a lawyer"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    key = models.CharField(max_length=16, choices=Key.choices, unique=True)
    text = models.TextField(max_length=600)
    enabled = models.BooleanField("show at the desk", default=True)
    approved_by = models.CharField("approved by (counsel)", max_length=120, blank=True)
    approved_on = models.DateField("approved on", null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=50)

    class Meta:
        ordering = ["order", "key"]

    def __str__(self) -> str:
        return self.get_key_display()

    @property
    def approved(self) -> bool:
        return bool(self.approved_by.strip() and self.approved_on)
