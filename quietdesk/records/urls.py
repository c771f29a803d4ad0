from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("programs/", views.programs, name="programs"),
    path("programs/<uuid:program_id>/", views.program, name="program"),
    path("programs/<uuid:program_id>/register/", views.program_register, name="program_register"),
    path("programs/<uuid:program_id>/attendance/", views.program_attendance, name="program_attendance"),
    path("registrations/<uuid:registration_id>/remove/", views.registration_remove, name="registration_remove"),
    path("computers/", views.computers, name="computers"),
    path("computers/<uuid:session_id>/end/", views.computer_end, name="computer_end"),
    path("notes/", views.notes, name="notes"),
    path("notes/<uuid:note_id>/", views.note, name="note"),
    path("cameras/", views.cameras, name="cameras"),
    path("cameras/<int:camera_id>/retention/", views.camera_retention, name="camera_retention"),
]
