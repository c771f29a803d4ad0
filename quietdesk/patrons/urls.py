from django.urls import path

from . import views

app_name = "patrons"
urlpatterns = [
    path("find/", views.find, name="find"),
    path("register/", views.register, name="register"),
    path("<uuid:patron_id>/", views.detail, name="detail"),
    path("<uuid:patron_id>/edit/", views.edit, name="edit"),
    path("<uuid:patron_id>/access/", views.access_history, name="access_history"),
    path("<uuid:patron_id>/delete/", views.delete, name="delete"),
]
