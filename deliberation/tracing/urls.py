from django.urls import path

from . import views

urlpatterns = [
    path("me/opinions/", views.my_opinions, name="my_opinions"),
    path("me/opinions/recorded/", views.opinions_recorded, name="opinions_recorded"),
]
