from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView, TemplateView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from townhall.accounts.mfa import totp_activate
from townhall.disclosures.views import search as disclosure_search

from .health import healthz

# Both admins sign in through allauth, so two-step verification applies there too:
# their own login forms would take a password alone.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path(
        "privacy/",
        TemplateView.as_view(
            template_name="privacy.html",
            extra_context={"version": settings.PRIVACY_NOTICE_VERSION},
        ),
        name="privacy",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    # Ahead of allauth's own: turning on two-step verification returns to ?next=.
    path("accounts/2fa/totp/activate/", totp_activate, name="mfa_activate_totp"),
    path("accounts/", include("allauth.urls")),
    # Before deliberation's many patterns: the vote POST is the hottest path.
    path("polls/", include("voting.urls")),
    path("", include("deliberation.urls")),
    path("me/", include("townhall.accounts.urls")),
    path("committees/", include("townhall.community.urls")),
    path("audit/", include("townhall.audit.urls")),
    path("audit/", include("townhall.disclosures.urls")),
    path("charters/", include("townhall.charters.urls")),
    path("disclosures/search/", disclosure_search, name="disclosure_search"),
    path("django-admin/", admin.site.urls),
    path("cms/login/", RedirectView.as_view(url="/accounts/login/?next=/cms/")),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
# Wagtail serves the pages (home, later disclosures and charters): keep it last.
urlpatterns += [path("", include(wagtail_urls))]
