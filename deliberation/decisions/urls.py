"""Decisions (决议) and the minutes of decision meetings."""

from django.urls import path

from . import views

urlpatterns = [
    path("committees/<slug:slug>/decisions/", views.decision_list, name="decision_list"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("meetings/<int:pk>/minutes/", views.minutes_edit, name="minutes_edit"),
    path("meetings/<int:pk>/minutes/approve/", views.minutes_approve, name="minutes_approve"),
]
