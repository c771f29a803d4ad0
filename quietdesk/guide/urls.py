from django.urls import path

from .views import drills, languages, pages, printed

app_name = "guide"
urlpatterns = [
    path("", pages.index, name="index"),
    path("officers/", pages.officers, name="officers"),
    path("when-ice-succeeds/", pages.when_ice_succeeds, name="when_ice_succeeds"),
    path("areas/", pages.areas, name="areas"),
    path("areas/signs/", printed.signs, name="signs"),
    path("contacts/", pages.contacts, name="contacts"),
    path("desk-card.pdf", pages.desk_card, name="desk_card"),
    path("talking-points/", pages.talking_points, name="talking_points"),
    path("self-care/", pages.self_care, name="self_care"),
    path("resources/", pages.resources, name="resources"),
    path("red-cards/", printed.red_cards, name="red_cards"),
    path("red-cards/<str:language>/", printed.red_card_sheet, name="red_card_sheet"),
    path("qr/", printed.qr_codes, name="qr"),
    path("languages/", languages.translations, name="translations"),
    path("edit/defaults/", pages.load_defaults, name="load_defaults"),
    path("edit/<str:kind>/add/", pages.edit, name="add"),
    path("edit/<str:kind>/<uuid:pk>/", pages.edit, name="edit"),
    path("edit/<str:kind>/<uuid:pk>/delete/", pages.delete, name="delete"),
    path("drills/", drills.drill_list, name="drills"),
    path("drills/<slug:slug>/", drills.drill_intro, name="drill"),
    path("drills/<slug:slug>/<int:number>/", drills.drill_step, name="drill_step"),
    path("drills/<slug:slug>/done/", drills.drill_done, name="drill_done"),
    path("training/", drills.training, name="training"),
]
