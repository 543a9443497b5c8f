from django.urls import path

from . import mine, views

app_name = "community"
urlpatterns = [
    path("claim/", views.claim, name="claim"),
    # Before "<slug>/": these are the person's own ways in, not a committee's page.
    path("mine/", mine.my_community, name="mine"),
    path("mine/opinion/", mine.my_opinion_new, name="my_opinion"),
    path("mine/registered/", mine.residents_registered, name="registered"),
    path("<slug:slug>/", views.committee_detail, name="committee"),
    path("<slug:slug>/verify/", views.verification_queue, name="verify"),
    path("<slug:slug>/verify/<int:pk>/approve/", views.claim_approve, name="approve"),
    path("<slug:slug>/verify/<int:pk>/reject/", views.claim_reject, name="reject"),
    path("<slug:slug>/register/", views.register_on_behalf, name="register"),
]
