"""Patron pages (no sign-in), mounted under a language prefix by i18n_patterns: /en/, /es/."""

from django.urls import path

from . import views_public as v

app_name = "public"
urlpatterns = [
    path("", v.index, name="index"),
    path("privacy/", v.privacy, name="privacy"),
    path("what-we-keep/", v.keeps, name="keeps"),
    path("your-records/", v.your_records, name="your_records"),
    path("resources/", v.resources_page, name="resources"),
    path("know-your-rights/", v.rights, name="rights"),
    path("transparency/", v.transparency, name="transparency"),
]
