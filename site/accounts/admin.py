from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import ConsentRecord, User


class ConsentInline(admin.TabularInline):
    model = ConsentRecord
    extra = 0
    readonly_fields = ["notice_version", "accepted_at"]
    can_delete = False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "real_name", "display_name", "phone", "email", "is_staff"]
    search_fields = ["username", "real_name", "display_name", "phone", "email"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (
            _("Townhall"),
            {
                "fields": [
                    "real_name",
                    "display_name",
                    "gender",
                    "phone",
                    "phone_verified",
                    "is_former",
                ]
            },
        ),
    ]
    inlines = [ConsentInline]
