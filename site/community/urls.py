from django.urls import path

from . import views

app_name = "community"
urlpatterns = [
    path("claim/", views.claim, name="claim"),
    path("<slug:slug>/", views.committee_detail, name="committee"),
    path("<slug:slug>/verify/", views.verification_queue, name="verify"),
    path("<slug:slug>/verify/<int:pk>/approve/", views.claim_approve, name="approve"),
    path("<slug:slug>/verify/<int:pk>/reject/", views.claim_reject, name="reject"),
    path("<slug:slug>/register/", views.register_on_behalf, name="register"),
]
