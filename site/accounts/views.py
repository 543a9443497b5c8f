from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from townhall.cms import wayfinding
from townhall.community import selectors as community_selectors

from . import services
from .forms import AnnouncementsForm, ProfileForm


@login_required
def profile(request):
    # Two forms on one page; the submit button says which one was sent.
    sent = request.POST.get("form", "profile") if request.method == "POST" else None
    form = ProfileForm(request.POST if sent == "profile" else None, instance=request.user)
    announcements = AnnouncementsForm(
        request.POST if sent == "announcements" else None, instance=request.user
    )
    bound = {"profile": form, "announcements": announcements}.get(sent)
    if bound is not None and bound.is_valid():
        bound.save()
        if sent == "profile":
            messages.success(request, _("Your profile was saved."))
        else:
            messages.success(request, _("Saved: how announcements reach you."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "announcements": announcements,
            "residencies": request.user.residencies.select_related("committee", "grid"),
            "roles": community_selectors.roles_of_person(request.user),
            "tools": wayfinding.tools_for(request.user),
        },
    )


@login_required
def inbox(request):
    notes = list(request.user.notifications.all()[:100])
    services.notifications_mark_read(user=request.user)
    return render(request, "accounts/inbox.html", {"notifications": notes})


@login_required
def data_export(request):
    response = HttpResponse(
        services.user_data_export(user=request.user), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="townhall-my-data.json"'
    return response


@login_required
def delete_account(request):
    return render(request, "accounts/delete.html")


@login_required
@require_POST
def delete_account_confirm(request):
    if request.POST.get("confirm") != "DELETE":
        messages.error(request, _("Type DELETE in capitals to confirm."))
        return render(request, "accounts/delete.html", status=400)
    services.user_delete(user=request.user)
    logout(request)
    messages.success(request, _("Your account was deleted."))
    return redirect("/")
