"""Petitions to convene a deciding body, and the committee's dashboard."""

from django.urls import path

from . import dashboard_views, petition_views

urlpatterns = [
    path("committees/<slug:slug>/petitions/", petition_views.petition_list, name="petition_list"),
    path("committees/<slug:slug>/petitions/new/", petition_views.petition_new, name="petition_new"),
    path("petitions/<int:pk>/", petition_views.petition_detail, name="petition_detail"),
    path("petitions/<int:pk>/sign/", petition_views.petition_sign, name="petition_sign"),
    path(
        "committees/<slug:slug>/dashboard/",
        dashboard_views.committee_dashboard,
        name="committee_dashboard",
    ),
]
