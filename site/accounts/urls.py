from django.urls import path

from . import text_size, views

app_name = "accounts"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("inbox/", views.inbox, name="inbox"),
    path("text-size/", text_size.text_size_set, name="text_size"),
    path("export/", views.data_export, name="export"),
    path("delete/", views.delete_account, name="delete"),
    path("delete/confirm/", views.delete_account_confirm, name="delete_confirm"),
]
