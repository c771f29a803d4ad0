"""Patron pages (no sign-in), mounted under a language prefix by i18n_patterns: /en/, /es/."""

from django.urls import path

from .views import public

app_name = "public"
urlpatterns = [
    path("", public.index, name="index"),
    path("privacy/", public.privacy, name="privacy"),
    path("what-we-keep/", public.keeps, name="keeps"),
    path("your-records/", public.your_records, name="your_records"),
    path("resources/", public.resources_page, name="resources"),
    path("know-your-rights/", public.rights, name="rights"),
    path("transparency/", public.transparency, name="transparency"),
]
