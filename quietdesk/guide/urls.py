from django.urls import path

from . import views, views_drills, views_languages, views_print

app_name = "guide"
urlpatterns = [
    path("", views.index, name="index"),
    path("officers/", views.officers, name="officers"),
    path("when-ice-succeeds/", views.when_ice_succeeds, name="when_ice_succeeds"),
    path("areas/", views.areas, name="areas"),
    path("areas/signs/", views_print.signs, name="signs"),
    path("contacts/", views.contacts, name="contacts"),
    path("desk-card.pdf", views.desk_card, name="desk_card"),
    path("talking-points/", views.talking_points, name="talking_points"),
    path("self-care/", views.self_care, name="self_care"),
    path("resources/", views.resources, name="resources"),
    path("red-cards/", views_print.red_cards, name="red_cards"),
    path("red-cards/<str:language>/", views_print.red_card_sheet, name="red_card_sheet"),
    path("qr/", views_print.qr_codes, name="qr"),
    path("languages/", views_languages.translations, name="translations"),
    path("edit/defaults/", views.load_defaults, name="load_defaults"),
    path("edit/<str:kind>/add/", views.edit, name="add"),
    path("edit/<str:kind>/<uuid:pk>/", views.edit, name="edit"),
    path("edit/<str:kind>/<uuid:pk>/delete/", views.delete, name="delete"),
    path("drills/", views_drills.drill_list, name="drills"),
    path("drills/<slug:slug>/", views_drills.drill_intro, name="drill"),
    path("drills/<slug:slug>/<int:number>/", views_drills.drill_step, name="drill_step"),
    path("drills/<slug:slug>/done/", views_drills.drill_done, name="drill_done"),
    path("training/", views_drills.training, name="training"),
]
