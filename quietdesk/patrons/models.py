"""Patrons, minimized.

What lending needs and nothing more: a name, one way to reach the patron, a
card number; a postal address only where the library turns it on. There is no
field for immigration status, citizenship, national origin, SSN or date of
birth: an age band (and the date it next changes) is all the minors' rules need.
Every personal field is sealed by the vault; lookups use truncated blind indexes.

Dates on the row are months, not days: the month of registration and the month the
patron was last active are all that registration expiry needs (an account unused for
the period the retention schedule sets is destroyed, after a notice), and a day would
be a visit (docs/threat-model.md).
"""

import datetime
import uuid

from django.db import models
from django.utils import timezone

from quietdesk.vault import api as vault
from quietdesk.vault.models import OwnSubject


class AgeBand(models.TextChoices):
    CHILD = "child", "Under 13"
    TEEN = "teen", "13 to 17"
    ADULT = "adult", "Adult (18 or older)"


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def this_month() -> datetime.date:
    """The first day of the current month (local time)."""
    return month_of(timezone.localdate())


class Patron(OwnSubject, models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pseudonym = models.CharField(max_length=16, unique=True, editable=False)
    home_branch = models.ForeignKey("core.Branch", null=True, blank=True, on_delete=models.SET_NULL)
    age_band = models.CharField(max_length=8, choices=AgeBand.choices, default=AgeBand.ADULT)
    # When a minor's band next changes (13th or 18th birthday), to the month: no birth date kept.
    age_band_changes_on = models.DateField(null=True, blank=True)
    registered_on = models.DateField(default=this_month)  # the month (its first day): no visit day

    given_name_ct = models.BinaryField()
    family_name_ct = models.BinaryField(null=True)
    email_ct = models.BinaryField(null=True)
    phone_ct = models.BinaryField(null=True)
    address_ct = models.BinaryField(null=True)
    card_number_ct = models.BinaryField()
    notes_ct = models.BinaryField(null=True)

    card_bidx = models.BigIntegerField(db_index=True)
    email_bidx = models.BigIntegerField(null=True, db_index=True)
    name_bidx = models.BigIntegerField(db_index=True)

    # The month of the patron's last checkout, return, renewal, hold, sign-in or desk visit
    # (``services.touch_active``), for registration expiry; the day the expiry notice went.
    # Last in the row: the bulk paths' tuples keep their earlier columns' places.
    active_month = models.DateField(default=this_month, db_index=True)
    expiry_notice_on = models.DateField(null=True, blank=True)

    SEALED_FIELDS = ("given_name", "family_name", "email", "phone", "address", "card_number", "notes")
    # lookup key -> (index column, normalizer, sealed fields joined to form the value)
    BLIND_INDEXES = {
        "card_number": ("card_bidx", "exact", ("card_number",)),
        "email": ("email_bidx", "email", ("email",)),
        "full_name": ("name_bidx", "name", ("given_name", "family_name")),
    }

    def __str__(self) -> str:
        return self.pseudonym  # never a name: __str__ ends up in logs and error reports


    @staticmethod
    def make_pseudonym(patron_id: uuid.UUID) -> str:
        return vault.pseudonym(patron_id, "P")


class PatronNameWord(models.Model):
    """One whole word of a patron's name (given and family), as a truncated blind index, so
    the desk can find a patron by any word of the name (``vault.reader.find_words``).

    A row of its own per word, not a column on the patron: a name has any number of words.
    The index is keyed and truncated like the other blind indexes (16 bits by default: many
    words share each value), the row has no id of its own (its key is the patron and the
    word), and the rows go with the patron (cascade, and crypto-shredding deletes the
    patron). What a stolen copy learns from them is in docs/threat-model.md ("Finding a
    patron by a word of the name").

    Why no id: a registration writes these rows, and every index is another page written at
    random. The key's first column, the patron, also serves the lookups by patron, so the
    foreign key needs no index of its own (bench/RESULTS.md, vault)."""

    pk = models.CompositePrimaryKey("patron", "word_bidx")
    patron = models.ForeignKey(Patron, on_delete=models.CASCADE, related_name="+", db_index=False)
    word_bidx = models.BigIntegerField()

    # (link column, index column, the sealed fields of the patron that make the name)
    WORD_INDEX = ("patron_id", "word_bidx", ("given_name", "family_name"))

    class Meta:
        indexes = [models.Index(fields=["word_bidx"], name="patron_name_word_bidx")]

    def __str__(self) -> str:
        return f"name word {self.pk}"
