"""Townhall's one settings module: laptop defaults, production by environment variables.

Embedded by default (SQLite, in-memory channel layer, local-memory cache) so that a
fresh machine needs nothing else; DATABASE_URL and REDIS_URL switch to PostgreSQL and
Redis for the multi-process set-up described in README.md.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent


def env_flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_flag("DEBUG")


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    if not DEBUG:
        # Empty: the serving entry points (wsgi.py, asgi.py) refuse to start without a
        # key, while commands that sign nothing (migrate, makemigrations) still run.
        return ""
    # Local runs: one random key, kept in a git-ignored file so sessions survive restarts.
    path = BASE_DIR / ".secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "daphne",
    "townhall.accounts",
    "townhall.community",
    "townhall.cms",
    "townhall.ledger",
    "townhall.disclosures",
    "townhall.charters",
    "townhall.audit",
    "deliberation",
    "voting",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "channels",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "townhall.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "townhall.middleware.RateLimitedMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "townhall.urls"
WSGI_APPLICATION = "townhall.wsgi.application"
ASGI_APPLICATION = "townhall.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "townhall.accounts.context_processors.inbox",
                "townhall.accounts.text_size.text_size",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {
                # WAL lets readers run beside the single writer; IMMEDIATE takes the
                # write lock at BEGIN, so concurrent writers wait (busy timeout)
                # instead of failing with "database is locked" mid-transaction.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # redis-py 8 times sockets out after 5 s by default, while channels_redis
                # blocks 5 s waiting for messages: idle websockets would drop. No timeout.
                "hosts": [{"address": REDIS_URL, "socket_timeout": None}],
                "prefix": "townhall",
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Background work ----------------------------------------------------------------
# Wagtail's own tasks (search and reference index updates) run in the request, as
# before. Work for thousands of people (telling a poll's electorate) goes to the
# "background" queue: a row in the database, run by `manage.py db_worker --backend
# background`, which `make run` starts beside the web server.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}

# --- Accounts ---------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

ACCOUNT_ADAPTER = "townhall.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "signup": "townhall.accounts.forms.SignupForm",
    "reset_password": "townhall.accounts.forms.ResetPasswordForm",
    "request_login_code": "townhall.accounts.forms.RequestLoginCodeForm",
    "confirm_login_code": "townhall.accounts.forms.ConfirmLoginCodeForm",
    "confirm_password_reset_code": "townhall.accounts.forms.ConfirmPasswordResetCodeForm",
    "verify_phone": "townhall.accounts.forms.VerifyPhoneForm",
}
ACCOUNT_LOGIN_METHODS = {"phone", "email"}
# Either a mobile number or an email is enough; SignupForm insists on one of them.
ACCOUNT_SIGNUP_FIELDS = ["phone", "email", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_RESEND = True
# Six digits, as every Chinese SMS code is; allauth allows 3 tries within 15 minutes.
ACCOUNT_PHONE_VERIFICATION_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# Sign-in and password reset by a one-time code (SMS for a mobile number, mail for an
# email): the way in for residents a grid worker registered, who have no password.
# Every code is six digits and lives 15 minutes, as the SMS says.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_SUPPORTS_RESEND = True
ACCOUNT_LOGIN_BY_CODE_FORMAT = ACCOUNT_PHONE_VERIFICATION_CODE_FORMAT
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 15 * 60
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = True
# (allauth spells this setting with CODE twice.)
ACCOUNT_PASSWORD_RESET_BY_CODE_CODE_FORMAT = ACCOUNT_PHONE_VERIFICATION_CODE_FORMAT
ACCOUNT_PASSWORD_RESET_BY_CODE_TIMEOUT = 15 * 60
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# allauth's rate limits (login failures, sign-ups, SMS codes) stay on at their defaults.
ACCOUNT_USER_DISPLAY = "townhall.accounts.models.public_name"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "议事厅 Townhall"
MFA_FORMS = {
    "activate_totp": "townhall.accounts.mfa.ActivateTOTPForm",
    "authenticate": "townhall.accounts.mfa.AuthenticateForm",
}
SILENCED_SYSTEM_CHECKS = [
    # Phone and email are both optional in allauth's eyes; our SignupForm requires one.
    "account.W001",
    # X_FRAME_OPTIONS is SAMEORIGIN, not DENY: Wagtail's live preview shows the page
    # being edited in a same-origin frame.
    "security.W019",
]

# Where SMS go: the console backend logs them, like Django's console email backend.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "townhall.accounts.sms.ConsoleBackend")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@townhall.invalid")

# The privacy notice residents consent to; bump the version when its text changes.
PRIVACY_NOTICE_VERSION = "2026-11"

# --- Language ---------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# Ours first (makemessages writes there); then Chinese for Wagtail admin strings that
# Wagtail's own zh_Hans catalogue lacks (see that file's header).
LOCALE_PATHS = [PACKAGE_DIR / "locale", PACKAGE_DIR / "locale_wagtail"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Wagtail ----------------------------------------------------------------------
WAGTAIL_SITE_NAME = "议事厅 Townhall"
# The admin speaks the site's languages, with Wagtail's own zh-hans catalogue: the
# person's choice in the admin's account settings first, else the language the site's
# switcher chose (Chinese by default), never one of Wagtail's thirty others.
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
WAGTAILADMIN_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Disclosures are published when the supervision committee approves them.
WAGTAIL_FINISH_WORKFLOW_ACTION = "townhall.disclosures.workflow_finish.publish_after_review"
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "pdf", "xlsx", "jpg", "png"]

# --- Production hardening ---------------------------------------------------------
# HTTPS=1 says the site is served over TLS (usually terminated by the reverse proxy):
# redirect plain HTTP, mark cookies Secure, send HSTS. Production sets it; local runs
# and the test servers speak plain HTTP on 127.0.0.1.
HTTPS = env_flag("HTTPS")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "townhall": {"handlers": ["console"], "level": "INFO"},
        "django": {"handlers": ["console"], "level": "WARNING"},
    },
}

# --- Local policy (documented defaults) --------------------------------------------
# Roles whose holders must turn on TOTP two-step verification before acting in them.
TOWNHALL_MFA_REQUIRED_ROLES = env_list(
    "TOWNHALL_MFA_REQUIRED_ROLES", "member,chair,supervisor,staff"
)
# Residents' queries on disclosures left unanswered this many days are flagged to the
# supervision committee.
TOWNHALL_QUERY_FLAG_DAYS = int(os.environ.get("TOWNHALL_QUERY_FLAG_DAYS", "7"))
# An opinion is flagged to the committee once seconded (附议) by this many residents, or
# by this share of its grid's households, whichever is lower.
TOWNHALL_SECONDS_THRESHOLD = int(os.environ.get("TOWNHALL_SECONDS_THRESHOLD", "30"))
TOWNHALL_SECONDS_HOUSEHOLD_SHARE = os.environ.get("TOWNHALL_SECONDS_HOUSEHOLD_SHARE", "1/10")
# Photos residents attach to an opinion.
TOWNHALL_OPINION_PHOTOS_MAX = 3
TOWNHALL_OPINION_PHOTO_MAX_BYTES = 8 * 1024 * 1024
TOWNHALL_BRAND = _("Townhall")
