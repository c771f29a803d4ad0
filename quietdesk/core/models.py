from django.db import models


class Branch(models.Model):
    """A library building. Multi-branch systems run on PostgreSQL."""

    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "branches"

    def __str__(self) -> str:
        return self.name
