"""Settings for the commissioning hub: one module, driven by the environment.

Every setting a deployment may change is read from an environment variable and
documented in the README. The defaults are safe for a laptop: SQLite under
``var/``, e-mail to files under ``var/mail``, DEBUG off.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

SRC_DIR = Path(__file__).resolve().parents[2]
BASE_DIR = SRC_DIR.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable ("1", "true", "yes", "on" mean yes)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable into a list without blanks."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("COMMISSIONING_TESTING", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING or env_bool("COMMISSIONING_DEMO", False):
        SECRET_KEY = "insecure-development-key-never-use-in-production"
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set (or run with DEBUG=1 or COMMISSIONING_DEMO=1 for a try-out)."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SERVICE_NAME = os.environ.get("SERVICE_NAME", "Leeds Commissioning Hub")


def site_url(environ) -> str:
    """The public address e-mailed links start with.

    An explicit ``SITE_URL`` wins. Otherwise it is this machine on ``PORT``,
    the port ``make demo`` and ``bin/serve`` serve on (8000 unless told), so a
    demo on another port e-mails links that work.
    """
    explicit = environ.get("SITE_URL", "").strip()
    if explicit:
        return explicit.rstrip("/")
    port = environ.get("PORT", "").strip() or "8000"
    if not port.isascii() or not port.isdigit() or not 0 < int(port) < 65536:
        raise ImproperlyConfigured(f"PORT must be a port number from 1 to 65535, not {port!r}.")
    return f"http://127.0.0.1:{int(port)}"


SITE_URL = site_url(os.environ)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "commissioning.core",
    "commissioning.audit",
    "commissioning.accounts",
    "commissioning.practice",
    "commissioning.records",
    "commissioning.needs",
    "commissioning.planning",
    "commissioning.opportunities",
    "commissioning.evidence",
    "commissioning.submissions",
    "commissioning.evaluation",
    "commissioning.feedback",
    "commissioning.contracts",
    "commissioning.review",
    "commissioning.frontend",
    # The settings' own app, for the commands that reach every stage (the demo data).
    "commissioning.config",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "commissioning.core.middleware.RequestIdMiddleware",
    "commissioning.core.middleware.RefuseNullCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "commissioning.core.middleware.PrivateResponsesNotStoredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "commissioning.config.urls"
WSGI_APPLICATION = "commissioning.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "commissioning.frontend.jinja.environment",
            "autoescape": True,
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
                "commissioning.frontend.context.service",
            ],
        },
    },
    {
        # The Django admin keeps its own templates.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SQLite under var/ by default; DATABASE_URL for PostgreSQL.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'commissioning.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; IMMEDIATE takes the
        # write lock at the start of a transaction so two writers queue
        # instead of failing half-way.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Hashing costs nothing a test cares about; argon2 stays the production hasher.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]

AUTH_PASSWORD_VALIDATORS = [
    {
        # People have an e-mail address and a full name (no username, first or last name).
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "full_name")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "accounts:my-account"
LOGOUT_REDIRECT_URL = "frontend:home"

# Repeated failed sign-ins lock signing in out for a while (commissioning.accounts.lockout).
# Failures are counted on the normalised e-mail address that signing in matches on, so a change
# of case or an added space is the same name. From one network address within the cool-off:
# AXES_FAILURE_LIMIT failures for one name, or SIGN_IN_ADDRESS_FAILURE_LIMIT across all names.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
SIGN_IN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("SIGN_IN_ADDRESS_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "commissioning.accounts.lockout.sign_in_name"
AXES_HANDLER = "commissioning.accounts.lockout.SignInLockoutHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "commissioning.accounts.views.signing_in.locked_out"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0")) or None

# Unknown or revoked API tokens: after API_TOKEN_FAILURE_LIMIT from one network address, each
# within API_TOKEN_COOLOFF_MINUTES of the last, every token from there gets 429 with Retry-After
# until that time has passed since the last.
API_TOKEN_FAILURE_LIMIT = int(os.environ.get("API_TOKEN_FAILURE_LIMIT", "10"))
API_TOKEN_COOLOFF_MINUTES = float(os.environ.get("API_TOKEN_COOLOFF_MINUTES", "15"))

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "build" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
WHITENOISE_USE_FINDERS = TESTING or DEBUG

# E-mail: SMTP when EMAIL_HOST is set, otherwise files under var/mail.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Leeds Commissioning Hub <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_FILE_PATH = Path(os.environ.get("EMAIL_FILE_PATH", VAR_DIR / "mail"))
if os.environ.get("EMAIL_BACKEND"):
    EMAIL_BACKEND = os.environ["EMAIL_BACKEND"]
elif os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 20

# Background work: django-tasks with its database backend and worker.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend" if TESTING else "django_tasks_db.DatabaseBackend",
        )
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}

NINJA_PAGINATION_PER_PAGE = 50
# How many rows a list page shows at a time: the finder's opportunities, the commissioner's dashboard.
FINDER_PAGE_SIZE = int(os.environ.get("FINDER_PAGE_SIZE", "20"))
DASHBOARD_PAGE_SIZE = int(os.environ.get("DASHBOARD_PAGE_SIZE", "20"))
CSRF_FAILURE_VIEW = "commissioning.frontend.views.csrf_failure"

# Evidence store: how many days before an item runs out its organisation is reminded.
EVIDENCE_REMINDER_DAYS = int(os.environ.get("EVIDENCE_REMINDER_DAYS", "30"))

# Typed dates (deadlines, award and start dates, closure days) must fall in this horizon, on pages and
# through the API: from 1 January of the earliest year to the end of the year this many years ahead.
INPUT_EARLIEST_YEAR = int(os.environ.get("INPUT_EARLIEST_YEAR", "2000"))
INPUT_YEARS_AHEAD = int(os.environ.get("INPUT_YEARS_AHEAD", "10"))

# Contract management (see the facts on contracts): the Procurement Act 2023 s68 implies payment of a valid
# invoice within 30 days; s75 asks for a contract change notice before a change of value over 10% (goods and
# services; 15% for works) or of term over 10% of the maximum term.
CONTRACTS = {
    "payment_terms_days": int(os.environ.get("CONTRACT_PAYMENT_TERMS_DAYS", "30")),
    "change_notice": {"value_percent": 10, "works_value_percent": 15, "term_percent": 10},
    # The most an inflation uplift may add, in per cent of what is left to pay; the range a CPI 12-month rate
    # typed by an administrator must fall in (per cent).
    "uplift_most_percent": 50,
    "cpi_rate_range": (-20, 50),
    # Counts of people from 1 to this less one are shown as "fewer than N" outside the provider and the
    # agreement's commissioners (published, or read by another funder); see contracts.suppression.
    "suppress_below": int(os.environ.get("CONTRACT_SUPPRESS_BELOW", "5")),
    # The payments compliance notice's bands of days to pay: within 30, 31 to 60, and 61 or more (reg 38).
    "compliance_bands": (30, 60),
    # A payments compliance notice is published within this many days of its six-month period's end (s69).
    "compliance_publish_days": 30,
    # Beneficiaries' feedback route: a form sent sooner than this after it was shown is refused, as are more
    # than these a hour (per agreement, per sender) and more links than this in the words.
    "feedback_min_seconds": int(os.environ.get("CONTRACT_FEEDBACK_MIN_SECONDS", "3")),
    "feedback_per_agreement_per_hour": 30,
    "feedback_per_sender_per_hour": 5,
    "feedback_max_links": 1,
    # Performance assessments (Procurement Act 2023 s71): one at least every this many months, from the start
    # or the last assessment's end, and on termination; a KPI whose result is below its target by no more
    # than this share of it is suggested as "Approaching target"; the worklist asks for one this many days ahead.
    "assessment_every_months": int(os.environ.get("CONTRACT_ASSESSMENT_EVERY_MONTHS", "12")),
    "assessment_approaching_percent": 10,
    "assessment_due_ahead_days": 30,
}

# Open reviews (NA-2): a comment made without signing in waits for its e-mail address to be confirmed by a
# link that works once, for this many hours; more links than this in a comment are refused; at most these
# many comments an hour from one e-mail address (or account) and from one network address.
NEEDS_REVIEWS = {
    "confirmation_hours": int(os.environ.get("REVIEW_CONFIRMATION_HOURS", "48")),
    "max_links": int(os.environ.get("REVIEW_MAX_LINKS", "2")),
    "per_address_per_hour": int(os.environ.get("REVIEW_COMMENTS_PER_ADDRESS_PER_HOUR", "5")),
    "per_sender_per_hour": int(os.environ.get("REVIEW_COMMENTS_PER_SENDER_PER_HOUR", "10")),
    "closing_soon_days": 7,
    "page_size": int(os.environ.get("REVIEWS_PAGE_SIZE", "20")),
}
