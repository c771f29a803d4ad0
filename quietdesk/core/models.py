from django.db import models


class Branch(models.Model):
    """A library building. Multi-branch systems run on PostgreSQL."""

    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(max_length=120)
    # The building's street address, as a warrant would print it: the document reader
    # compares the premises a warrant names with these (documents.addresses).
    address = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "branches"

    def __str__(self) -> str:
        return self.name

    @classmethod
    def street_addresses(cls) -> list[str]:
        """Every branch address on record, for the document reader's premises check."""
        return list(cls.objects.exclude(address="").values_list("address", flat=True))
