"""Who drafts disclosures in the CMS: a Wagtail group with add and edit (never publish)
rights on every disclosure board, so that publication goes through the review."""

from django.contrib.auth.models import Group, Permission
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

EDITORS_GROUP = "居务公开编辑 (disclosure editors)"


def editors_group() -> Group:
    group, created = Group.objects.get_or_create(name=EDITORS_GROUP)
    if created:
        group.permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )
        root = Collection.get_first_root_node()
        for codename in ("add_document", "choose_document"):
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=root,
                permission=Permission.objects.get(
                    content_type__app_label="wagtaildocs", codename=codename
                ),
            )
    return group


def board_editors_grant(board) -> None:
    group = editors_group()
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=board,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
