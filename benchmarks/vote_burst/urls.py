"""The project's URLs, with the two reference views in front of Wagtail's catch-all."""

from django.urls import path

from townhall.urls import urlpatterns as project_urlpatterns

from . import views

urlpatterns = [
    path("bench/empty/", views.empty, name="bench_empty"),
    path("bench/polls/<int:pk>/bare-vote/", views.bare_vote, name="bench_bare_vote"),
    *project_urlpatterns,
]
