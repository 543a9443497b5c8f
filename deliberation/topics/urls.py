"""Topics: the committee's list, joint proposals, a topic's page and the committee's steps."""

from django.urls import path

from . import views

urlpatterns = [
    path("committees/<slug:slug>/topics/", views.topic_list, name="topic_list"),
    path("committees/<slug:slug>/topics/new/", views.topic_create, name="topic_create"),
    path("committees/<slug:slug>/topics/propose/", views.topic_propose, name="topic_propose"),
    path("topics/<int:pk>/", views.topic_detail, name="topic_detail"),
    path("topics/<int:pk>/sign/", views.topic_sign, name="topic_sign"),
    path("topics/<int:pk>/comments/", views.topic_comment, name="topic_comment"),
    path("topics/<int:pk>/merge/", views.topic_merge, name="topic_merge"),
    path(
        "topics/<int:pk>/stakeholders/new/",
        views.topic_stakeholder_add,
        name="topic_stakeholder_add",
    ),
    path("topics/<int:pk>/documents/new/", views.topic_document_add, name="topic_document_add"),
    path(
        "topics/<int:pk>/meetings/new/", views.topic_meeting_schedule, name="topic_meeting_schedule"
    ),
    path(
        "topics/<int:pk>/meetings/<int:meeting_pk>/",
        views.topic_meeting_record,
        name="topic_meeting_record",
    ),
    path("topics/<int:pk>/consultation/", views.topic_consultation, name="topic_consultation"),
    path("topics/<int:pk>/party-review/", views.topic_party_review, name="topic_party_review"),
    path("topics/<int:pk>/outcome/", views.topic_outcome, name="topic_outcome"),
]
