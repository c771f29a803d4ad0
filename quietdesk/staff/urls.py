from django.urls import path

from .views import accounts, sign_in

app_name = "staff"
urlpatterns = [
    path("sign-in/", sign_in.sign_in, name="login"),
    path("sign-out/", sign_in.sign_out, name="logout"),
    path("sign-in/code/", sign_in.otp_verify, name="otp_verify"),
    path("sign-in/no-authenticator/", sign_in.no_authenticator, name="no_authenticator"),
    path("enroll/", sign_in.enroll, name="enroll"),
    path("accounts/", accounts.staff_list, name="admin_list"),
    path("accounts/<int:user_id>/", accounts.staff_detail, name="admin_detail"),
    path("changes/<uuid:change_id>/", accounts.change_detail, name="change"),
    path("changes/<uuid:change_id>/decide/", accounts.change_decide, name="change_decide"),
]
