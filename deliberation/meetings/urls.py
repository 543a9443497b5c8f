"""Decision meetings: the committee's list, convening, the public page, the chair's screen,
the roster to check people in and the QR code's check-in page."""

from django.urls import path

from . import views

urlpatterns = [
    path("committees/<slug:slug>/meetings/", views.meeting_list, name="meeting_list"),
    path("committees/<slug:slug>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/chair/", views.meeting_chair, name="meeting_chair"),
    path("meetings/<int:pk>/open/", views.meeting_open, name="meeting_open"),
    path("meetings/<int:pk>/close/", views.meeting_close, name="meeting_close"),
    path("meetings/<int:pk>/roster/", views.meeting_roster, name="meeting_roster"),
    path("meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:pk>/quorum.json", views.meeting_quorum_json, name="meeting_quorum_json"),
    path("meetings/<int:pk>/motions/new/", views.motion_add, name="motion_add"),
    path("motions/<int:pk>/count/", views.motion_count, name="motion_count"),
    path(
        "meetings/<int:pk>/check-in/<str:token>/",
        views.meeting_check_in,
        name="meeting_check_in",
    ),
]
