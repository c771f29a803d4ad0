from django.urls import path

from . import views

app_name = "retention"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("legal-holds/", views.legal_holds, name="legal_holds"),
    path("legal-holds/new/", views.legal_hold_new, name="legal_hold_new"),
    path("legal-holds/<uuid:hold_id>/release/", views.legal_hold_release, name="legal_hold_release"),
]
