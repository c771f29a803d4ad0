from django.urls import path

from . import admin_views, views

app_name = "staff"
urlpatterns = [
    path("sign-in/", views.sign_in, name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("sign-in/code/", views.otp_verify, name="otp_verify"),
    path("sign-in/no-authenticator/", views.no_authenticator, name="no_authenticator"),
    path("enroll/", views.enroll, name="enroll"),
    path("accounts/", admin_views.staff_list, name="admin_list"),
    path("accounts/<int:user_id>/", admin_views.staff_detail, name="admin_detail"),
    path("changes/<uuid:change_id>/", admin_views.change_detail, name="change"),
    path("changes/<uuid:change_id>/decide/", admin_views.change_decide, name="change_decide"),
]
