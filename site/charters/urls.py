from django.urls import path

from . import views

app_name = "charters"
urlpatterns = [
    path("<int:page_id>/versions/new/", views.version_new, name="version_new"),
    path("<int:page_id>/compare/", views.compare, name="compare"),
]
