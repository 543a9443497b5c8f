"""Moderation: report, hide, appeal an opinion or a topic comment; the committee's queue."""

from django.urls import path

from . import views

urlpatterns = [
    path("opinions/<int:pk>/report/", views.opinion_report, name="opinion_report"),
    path("opinions/<int:pk>/hide/", views.opinion_hide, name="opinion_hide"),
    path("opinions/<int:pk>/appeal/", views.opinion_appeal, name="opinion_appeal"),
    path(
        "opinions/<int:pk>/reports/dismiss/",
        views.opinion_reports_dismiss,
        name="opinion_reports_dismiss",
    ),
    path("comments/<int:pk>/report/", views.comment_report, name="comment_report"),
    path("comments/<int:pk>/hide/", views.comment_hide, name="comment_hide"),
    path("comments/<int:pk>/appeal/", views.comment_appeal, name="comment_appeal"),
    path(
        "comments/<int:pk>/reports/dismiss/",
        views.comment_reports_dismiss,
        name="comment_reports_dismiss",
    ),
    path("appeals/<int:pk>/", views.appeal_decide, name="appeal_decide"),
    path("committees/<slug:slug>/moderation/", views.moderation_queue, name="moderation_queue"),
]
