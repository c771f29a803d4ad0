from django.urls import path

from . import views

app_name = "staff"
urlpatterns = [
    path("sign-in/", views.sign_in, name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("sign-in/code/", views.otp_verify, name="otp_verify"),
    path("sign-in/authenticator/", views.otp_enroll, name="otp_enroll"),
]
