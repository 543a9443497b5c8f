"""Pages for carrying out a decision, written in full: the app's URLs are included at
the site root."""

from django.urls import path

from . import execution_views as views

urlpatterns = [
    path("decisions/<int:pk>/assign/", views.decision_assign, name="decision_assign"),
    path("decisions/<int:pk>/progress/", views.decision_progress, name="decision_progress"),
    path("decisions/<int:pk>/supervision/", views.decision_supervise, name="decision_supervise"),
    path("decisions/<int:pk>/sign-off/", views.decision_sign_off, name="decision_sign_off"),
]
