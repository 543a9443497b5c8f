from django.urls import path, re_path

from . import views

app_name = "disclosures"
urlpatterns = [
    path("reviews/", views.review_queue, name="review_queue"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("disclosures/<int:page_id>/queries/", views.query_new, name="query_new"),
    path("queries/<int:pk>/answer/", views.query_answer_view, name="query_answer"),
    path("disclosures/<int:page_id>/notice/", views.disclosure_notice, name="notice"),
    re_path(
        r"^disclosures/(?P<page_id>[0-9]+)/figures\.(?P<fmt>csv|xlsx)$",
        views.disclosure_figures_export,
        name="figures_export",
    ),
    re_path(
        r"^committees/(?P<committee_slug>[-\w]+)/disclosures\.(?P<fmt>csv|xlsx)$",
        views.board_disclosures_export,
        name="board_export",
    ),
]
