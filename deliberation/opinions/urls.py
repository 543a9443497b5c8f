"""Opinion pages, written in full: the app's URLs are included at the site root."""

from django.urls import path

from . import views

urlpatterns = [
    path("committees/<slug:slug>/opinions/", views.opinion_list, name="opinion_list"),
    path("committees/<slug:slug>/opinions/new/", views.opinion_submit, name="opinion_submit"),
    path(
        "committees/<slug:slug>/opinions/record/",
        views.opinion_record_on_behalf,
        name="opinion_record_on_behalf",
    ),
    path("opinions/<int:pk>/", views.opinion_detail, name="opinion_detail"),
    path("opinions/<int:pk>/second/", views.opinion_second, name="opinion_second"),
    path("opinions/<int:pk>/status/", views.opinion_status, name="opinion_status"),
]
