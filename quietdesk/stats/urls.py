from django.urls import path

from . import views

# The privacy audit and the vendor register keep their addresses under /stats/ but live
# in quietdesk.privacy (its urls are included under the same prefix, quietdesk/urls.py).
app_name = "stats"
urlpatterns = [
    path("", views.index, name="index"),
    path("releases/<int:pk>/", views.release, name="release"),
    path("releases/<int:pk>/statistics.csv", views.release_csv, name="release_csv"),
]
