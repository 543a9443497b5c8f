from django.urls import path

from . import views

app_name = "disclosures"
urlpatterns = [
    path("reviews/", views.review_queue, name="review_queue"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("disclosures/<int:page_id>/queries/", views.query_new, name="query_new"),
    path("queries/<int:pk>/answer/", views.query_answer_view, name="query_answer"),
]
