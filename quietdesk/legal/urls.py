from django.urls import path

from .views import cases, desk, public, third_parties

app_name = "legal"
urlpatterns = [
    # Someone is asking (every member of staff)
    path("", desk.desk, name="desk"),
    path("desk/<uuid:case_id>/", desk.desk_case, name="desk_case"),
    path("desk/<uuid:case_id>/note/", desk.desk_note, name="desk_note"),
    path("desk/<uuid:case_id>/documents/", desk.desk_documents, name="desk_documents"),
    path("desk/<uuid:case_id>/retake/", desk.desk_retake, name="desk_retake"),
    # Cases (director, designee, privacy officer)
    path("cases/", cases.cases, name="cases"),
    path("cases/<uuid:case_id>/", cases.case, name="case"),
    path("cases/<uuid:case_id>/update/", cases.update, name="case_update"),
    path("cases/<uuid:case_id>/move/", cases.move, name="case_move"),
    path("cases/<uuid:case_id>/reopen/", cases.reopen, name="case_reopen"),
    path("cases/<uuid:case_id>/decide/", cases.decide, name="case_decide"),
    path("cases/<uuid:case_id>/close/", cases.close, name="case_close"),
    path("cases/<uuid:case_id>/subpoena/", cases.subpoena_decide, name="subpoena_decide"),
    path("cases/<uuid:case_id>/subpoena/<uuid:decision_id>/confirm/", cases.subpoena_confirm, name="subpoena_confirm"),
    path("cases/<uuid:case_id>/staff-notice/", cases.staff_notice, name="staff_notice"),
    path("cases/<uuid:case_id>/scope/", cases.scope, name="case_scope"),
    path("cases/<uuid:case_id>/productions/<uuid:production_id>/produce/", cases.produce, name="produce"),
    path("cases/<uuid:case_id>/productions/<uuid:production_id>/remove/", cases.remove_scope, name="remove_scope"),
    path("cases/<uuid:case_id>/productions/<uuid:production_id>/package.zip", cases.package, name="package"),
    path("cases/<uuid:case_id>/documents/<uuid:document_id>/", cases.document, name="case_document"),
    path("cases/<uuid:case_id>/incident-report.pdf", cases.incident_report, name="incident_report"),
    # Other requesters
    path("pin/", third_parties.pin_find, name="pin_find"),
    path("pin/<uuid:patron_id>/", third_parties.pin, name="pin"),
    path("pin/<uuid:patron_id>/remove/", third_parties.pin_remove, name="pin_remove"),
    path("pin/<uuid:patron_id>/unlock/", third_parties.pin_unlock, name="pin_unlock"),
    path("parent/", third_parties.parent, name="parent"),
    path("authorizations/", third_parties.authorizations, name="authorizations"),
    path("authorizations/<uuid:auth_id>/", third_parties.authorization, name="authorization"),
    path("authorizations/<uuid:auth_id>/approve/", third_parties.authorization_approve, name="authorization_approve"),
    path("authorizations/<uuid:auth_id>/records.pdf", third_parties.authorization_pdf, name="authorization_pdf"),
    path("authorizations/<uuid:auth_id>/document/", third_parties.authorization_document, name="authorization_document"),
    path("authorizations/<uuid:auth_id>/revoke/", third_parties.authorization_revoke, name="authorization_revoke"),
    # Public: a patron's own records, the transparency report
    path("my-records/", public.my_records, name="my_records"),
    path("my-records/download/", public.my_records_download, name="my_records_download"),
    path("my-records/sign-out/", public.my_records_sign_out, name="my_records_sign_out"),
    path("transparency/", public.transparency_report, name="transparency"),
]
