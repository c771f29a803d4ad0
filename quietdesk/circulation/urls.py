from django.urls import path

from . import json_api, views

app_name = "circulation"
urlpatterns = [
    path("checkout/", views.checkout, name="checkout"),
    path("checkout/<uuid:patron_id>/", views.checkout_to, name="checkout_to"),
    path("checkin/", views.checkin, name="checkin"),
    path("holds/", views.holds_shelf, name="holds_shelf"),
    path("holds/place/", views.place_hold, name="place_hold"),
    path("holds/<uuid:hold_id>/cancel/", views.hold_cancel, name="hold_cancel"),
    path("account/", views.account, name="account"),
    path("account/<uuid:patron_id>/", views.account_of, name="account_of"),
    path("account/<uuid:patron_id>/preferences/", views.preferences, name="preferences"),
    path("account/<uuid:patron_id>/erase-history/", views.erase_history, name="erase_history"),
    path("account/<uuid:patron_id>/ill/", views.ill_request, name="ill_request"),
    path("loans/<uuid:loan_id>/renew/", views.renew, name="renew"),
    path("loans/<uuid:loan_id>/pay/", views.pay_fine, name="pay_fine"),
    path("ill/<uuid:ill_id>/", views.ill_action, name="ill_action"),
    # JSON API for self-check machines (OpenAPI document at api/v1/openapi.json)
    path("api/v1/openapi.json", json_api.openapi_document, name="api_openapi"),
    path("api/v1/checkout/", json_api.checkout, name="api_checkout"),
    path("api/v1/checkin/", json_api.checkin, name="api_checkin"),
    path("api/v1/renew/", json_api.renew, name="api_renew"),
    path("api/v1/holds/", json_api.place_hold, name="api_place_hold"),
    path("api/v1/holds/cancel/", json_api.cancel_hold, name="api_cancel_hold"),
    path("api/v1/fines/pay/", json_api.pay_fine, name="api_pay_fine"),
]
