from django.urls import path, re_path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("committees/<slug:slug>/", views.committee_records, name="committee"),
    re_path(
        r"^committees/(?P<slug>[-\w]+)/(?P<table>reviews|schedule|queries|findings)\.(?P<fmt>csv|xlsx)$",
        views.records_export,
        name="export",
    ),
    re_path(
        r"^committees/(?P<slug>[-\w]+)/(?P<table>all)\.(?P<fmt>xlsx)$",
        views.records_export,
        name="export_all",
    ),
    path("ledger/", views.ledger_status, name="ledger"),
    path("ledger/export.jsonl", views.ledger_export, name="ledger_export"),
    path("findings/new/", views.finding_new, name="finding_new"),
    path("findings/<int:pk>/", views.finding_detail, name="finding"),
    path("findings/<int:pk>/respond/", views.finding_respond, name="finding_respond"),
    path("findings/<int:pk>/close/", views.finding_close, name="finding_close"),
]
