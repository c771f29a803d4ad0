from django.urls import path

from . import admin_views, views

app_name = "staff"
urlpatterns = [
    path("sign-in/", views.sign_in, name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("sign-in/code/", views.otp_verify, name="otp_verify"),
    path("sign-in/authenticator/", views.otp_enroll, name="otp_enroll"),
    path("accounts/", admin_views.staff_list, name="admin_list"),
    path("accounts/<int:user_id>/", admin_views.staff_detail, name="admin_detail"),
]
