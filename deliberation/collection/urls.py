"""Opinion collection meetings (意见收集会): list, scheduling, each meeting's page."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "committees/<slug:slug>/collection-meetings/",
        views.collection_list,
        name="collection_list",
    ),
    path(
        "committees/<slug:slug>/collection-meetings/new/",
        views.collection_new,
        name="collection_new",
    ),
    path("collection-meetings/<int:pk>/", views.collection_detail, name="collection_detail"),
    path(
        "collection-meetings/<int:pk>/attendance/",
        views.collection_attendance,
        name="collection_attendance",
    ),
    path(
        "collection-meetings/<int:pk>/opinions/",
        views.collection_opinions,
        name="collection_opinions",
    ),
    path(
        "collection-meetings/<int:pk>/summary/",
        views.collection_summary,
        name="collection_summary",
    ),
]
