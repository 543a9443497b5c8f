from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("committees/<slug:slug>/", views.committee_records, name="committee"),
    path("ledger/", views.ledger_status, name="ledger"),
    path("ledger/export.jsonl", views.ledger_export, name="ledger_export"),
    path("findings/new/", views.finding_new, name="finding_new"),
    path("findings/<int:pk>/", views.finding_detail, name="finding"),
    path("findings/<int:pk>/respond/", views.finding_respond, name="finding_respond"),
    path("findings/<int:pk>/close/", views.finding_close, name="finding_close"),
]
