"""Poll pages: voting, receipts, the public ballot board, chair and audit views."""

from django.urls import path

from . import views

app_name = "voting"

urlpatterns = [
    path("", views.poll_list, name="poll_list"),
    path("<int:pk>/", views.poll_detail, name="poll_detail"),
    path("<int:pk>/vote/", views.ballot_cast, name="ballot_cast"),
    path("<int:pk>/board/", views.ballot_board, name="ballot_board"),
    path("<int:pk>/board.json", views.board_export, name="board_export"),
    path("<int:pk>/board.csv", views.board_csv, name="board_csv"),
    path("<int:pk>/audit/", views.poll_audit, name="poll_audit"),
    path("<int:pk>/audit.csv", views.poll_audit_csv, name="poll_audit_csv"),
    path("new/<int:committee_pk>/", views.poll_new, name="poll_new"),
    path("<int:pk>/open/", views.poll_open, name="poll_open"),
    path("<int:pk>/close/", views.poll_close, name="poll_close"),
    path("<int:pk>/paper/", views.paper_new, name="paper_new"),
    path("<int:pk>/paper/<int:entry_pk>/confirm/", views.paper_confirm, name="paper_confirm"),
    path("<int:pk>/proxy/", views.proxy_new, name="proxy_new"),
    path("offline_recount.py", views.offline_recount_script, name="offline_recount"),
]
