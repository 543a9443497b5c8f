from django.urls import path

from . import views

app_name = "disclosures"
urlpatterns = [
    path("reviews/", views.review_queue, name="review_queue"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
]
