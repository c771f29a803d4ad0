"""quietdesk settings, read from QUIETDESK_* environment variables and the
installation's configuration file (quietdesk/config.py: var/quietdesk.env for the
demo, /etc/quietdesk/quietdesk.env in production, or QUIETDESK_CONFIG); the
environment wins over the file.

Every secret may also be given as a path in QUIETDESK_<NAME>_FILE (Docker and
systemd credentials style). Three modes:

* ``production`` (the default): every setting that protects patrons must be
  given explicitly; a missing one stops start-up with a message naming it.
* ``demo``: the two-command demo. Secrets are generated into the key directory.
* ``test``: used by the test suite.
"""

import os
import secrets
from pathlib import Path
from typing import overload

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from quietdesk import config, private_files

# Before anything is written: what this process creates is its owner's alone.
private_files.restrict_process()
try:
    CONFIG_FILE = config.load()
except config.ConfigError as exc:
    raise ImproperlyConfigured(str(exc)) from None


@overload
def env(name: str) -> str | None: ...
@overload
def env(name: str, default: str) -> str: ...
def env(name: str, default: str | None = None) -> str | None:
    """Read QUIETDESK_<name>, or the contents of the file named by QUIETDESK_<name>_FILE."""
    value = os.environ.get(f"QUIETDESK_{name}")
    path = os.environ.get(f"QUIETDESK_{name}_FILE")
    if value is not None and path is not None:
        raise ImproperlyConfigured(f"Set QUIETDESK_{name} or QUIETDESK_{name}_FILE, not both.")
    if path is not None:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"QUIETDESK_{name}_FILE={path} cannot be read: {exc}") from exc
    return value if value is not None else default


def env_bool(name: str, default: bool) -> bool:
    raw = env(name)
    if raw is None:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"QUIETDESK_{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = env(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"QUIETDESK_{name} must be a whole number, not {raw!r}.") from None


MODE = env("MODE", "production")
if MODE not in {"production", "demo", "test"}:
    raise ImproperlyConfigured("QUIETDESK_MODE must be production, demo or test.")
PRODUCTION = MODE == "production"


def required(name: str) -> str:
    value = env(name)
    if not value:
        raise ImproperlyConfigured(
            f"QUIETDESK_{name} (or QUIETDESK_{name}_FILE) must be set in production. "
            "See docs/operators-guide.md."
        )
    return value


BASE_DIR = Path(__file__).resolve().parent
if MODE == "test" and env("DATA_DIR") is None:
    import tempfile

    # Each test process gets its own data and key directories.
    os.environ["QUIETDESK_DATA_DIR"] = tempfile.mkdtemp(prefix="quietdesk-test-")
DATA_DIR = Path(env("DATA_DIR", "var")).resolve()
# 0700, and its files 0600, in every mode (docs/operators-guide.md, "File permissions").
private_files.secure_data_dir(DATA_DIR)
# Keys live outside the database; in production put this on separate storage.
KEY_DIR = Path(env("KEY_DIR", str(DATA_DIR / "keys"))).resolve()
BACKUP_DIR = Path(env("BACKUP_DIR", str(DATA_DIR / "backups"))).resolve()


def _generated_secret(filename: str) -> str:
    """Demo and test only: a secret created once, kept in the key directory (mode 0600)."""
    private_files.private_dir(KEY_DIR)
    path = KEY_DIR / filename
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


if PRODUCTION:
    SECRET_KEY = required("SECRET_KEY")
    ALLOWED_HOSTS = [h.strip() for h in required("ALLOWED_HOSTS").split(",") if h.strip()]
else:
    SECRET_KEY = env("SECRET_KEY") or _generated_secret("django-secret-key")
    ALLOWED_HOSTS = [
        h.strip() for h in (env("ALLOWED_HOSTS") or "127.0.0.1,localhost,testserver").split(",")
    ]

DEBUG = env_bool("DEBUG", False)
if DEBUG and PRODUCTION:
    raise ImproperlyConfigured("QUIETDESK_DEBUG cannot be on in production: error pages show data.")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "axes",
    "csp",
    "quietdesk.core",
    "quietdesk.vault",
    "quietdesk.audit",
    "quietdesk.staff",
    "quietdesk.patrons",
    "quietdesk.policy",
    "quietdesk.documents",
    "quietdesk.circulation",
    "quietdesk.records",
    "quietdesk.retention",
    "quietdesk.outbound",
    "quietdesk.legal",
    "quietdesk.alerts",
    "quietdesk.guide",
    "quietdesk.stats",
    "quietdesk.privacy",
    "quietdesk.sip2",
    "quietdesk.ils",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # The web server's access log names routes, never paths (quietdesk/core/serverlog.py).
    "quietdesk.core.middleware.RouteForServerLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "quietdesk.staff.middleware.SessionLifetimeMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Deny by default: every view needs a signed-in user unless marked login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "quietdesk.staff.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "quietdesk.core.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "quietdesk.urls"
WSGI_APPLICATION = "quietdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "quietdesk.core.context.library",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    # Made here, 0600, before SQLite opens it: its -wal and -shm files copy its mode.
    private_files.create_private_file(DATA_DIR / "quietdesk.sqlite3")
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "quietdesk.sqlite3"),
            # One connection per server thread, kept: opening one for each request and running
            # the pragmas below each time cost ~1 ms of CPU a page (bench/RESULTS.md, "pages").
            "CONN_MAX_AGE": None,
            "OPTIONS": {
                # WAL for concurrent readers; secure_delete so freed pages are zeroed.
                # Checkpoints every ~40 MB of WAL rather than SQLite's 4 MB: each one
                # syncs twice, and a registration dirties a dozen pages (bench/RESULTS.md);
                # the file is cut back to 64 MB after a checkpoint.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA wal_autocheckpoint=10000; PRAGMA journal_size_limit=67108864; "
                    "PRAGMA secure_delete=ON; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------
AUTH_USER_MODEL = "staff.StaffUser"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if MODE == "test":
    # Argon2 stays first in production; the suite signs in thousands of times.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "staff:login"

# Lockout keeps a keyed hash of (username, network), a count and a minute, nothing else
# (quietdesk/staff/lockout.py): axes's own tables would keep the typed username (a card
# number typed by mistake), the IP address, user agent and POST data in clear.
AXES_HANDLER = "quietdesk.staff.lockout.HashedLockoutHandler"
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_LOCKOUT_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "staff/locked_out.html"
# The IP is needed for lockout only; axes keeps no access log of successful sign-ins.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 0)
AXES_VERBOSE = False

# Shared desk computers: an idle session ends quickly, and no session outlives a shift.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 15)
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 10)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
# Roles that must use a second factor (a library may add more).
OTP_REQUIRED_ROLES = {"director", "privacy_officer", "sysadmin"}
# Staff account changes (quietdesk/staff/approval.py): how long a one-time enrollment code
# works, and how long a change may wait for the director's approval.
QUIETDESK_STAFF_ENROLLMENT_HOURS = env_int("STAFF_ENROLLMENT_HOURS", 24)
QUIETDESK_STAFF_REQUEST_DAYS = env_int("STAFF_REQUEST_DAYS", 7)
OTP_TOTP_ISSUER: str = env("LIBRARY_NAME", "quietdesk demo library")

SECURE_CONTENT_TYPE_NOSNIFF = True
# same-origin: other sites get no referrer, yet browsers still send the Origin
# header that CSRF protection checks ("no-referrer" makes it "null").
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 63072000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
    if env_int("PROXY_COUNT", 0) > 0:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# --- Internationalization -------------------------------------------------
LANGUAGE_CODE = "en"
# Patron pages: English (the original) and languages common among immigrant communities
# served by U.S. libraries (ICE response protocol, "Know the demographics of your community"),
# each named in its own language. Arabic is written right to left
# (Django's LANGUAGES_BIDI): the pages set dir="rtl". A translation shows a "not yet reviewed
# by a person" notice until the director marks it reviewed (quietdesk.guide.languages).
LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
    ("zh-hans", "简体中文"),
    ("vi", "Tiếng Việt"),
    ("ht", "Kreyòl ayisyen"),
    ("ar", "العربية"),
]
TIME_ZONE = env("TIME_ZONE", "America/Los_Angeles")
USE_I18N = True
USE_TZ = True
# Patron pages: the language is the URL prefix (/en/..., /es/...) and nothing else
# (no language cookie, no Accept-Language, no session). Catalog: quietdesk/locale;
# `quietdesk i18n_check` lists what is missing. Staff pages stay in LANGUAGE_CODE.
LOCALE_PATHS = [BASE_DIR / "locale"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.common.CommonMiddleware"),
    "quietdesk.guide.middleware.PathLanguageMiddleware",
)
# Training drills: the shipped scenarios plus the library's own YAML files here.
DRILLS_DIR = Path(env("DRILLS_DIR", str(DATA_DIR / "drills"))).resolve()

# --- Static files ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    private_files.private_dir(STATIC_ROOT)
# Files Django's storages write (collectstatic, uploads kept on disk) are owner-only too.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Messages live in a signed cookie, never in the database; they never name a patron.
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"

# --- Email ----------------------------------------------------------------
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env("EMAIL_FROM", "quietdesk@localhost")

# --- quietdesk ------------------------------------------------------------
LIBRARY_NAME = env("LIBRARY_NAME", "Riverside Public Library (demo)")
LIBRARY_STATE = env("LIBRARY_STATE", "CA")
# Minimization: a postal address is collected only when the library turns it on.
COLLECT_ADDRESS = env_bool("COLLECT_ADDRESS", False)
# Blind-index truncation (bits). Fewer bits: more harmless collisions, so a stolen
# database cannot confirm who is a patron. See docs/architecture.md.
BLIND_INDEX_BITS = env_int("BLIND_INDEX_BITS", 16)
if not 8 <= BLIND_INDEX_BITS <= 32:
    raise ImproperlyConfigured("QUIETDESK_BLIND_INDEX_BITS must be between 8 and 32.")
# Lending (quietdesk/circulation/services.py): loan period, renewals, fines (cents a day, capped).
QUIETDESK_LOAN_DAYS = env_int("LOAN_DAYS", 21)
QUIETDESK_MAX_RENEWALS = env_int("MAX_RENEWALS", 2)
QUIETDESK_FINE_CENTS_PER_DAY = env_int("FINE_CENTS_PER_DAY", 25)
QUIETDESK_FINE_CAP_CENTS = env_int("FINE_CAP_CENTS", 1000)
# The retention schedule (quietdesk/retention/schedule.py): the library's own TOML file over the
# defaults (empty: the defaults), and where camera footage is (empty: the file's [camera]
# footage_dir, else DATA_DIR/footage).
QUIETDESK_RETENTION_SCHEDULE = env("RETENTION_SCHEDULE", "")
QUIETDESK_FOOTAGE_DIR = env("FOOTAGE_DIR", "")
# Legal documents read at the desk: files larger than this are refused before decoding.
DOCUMENT_MAX_BYTES = env_int("DOCUMENT_MAX_MB", 25) * 1024 * 1024
AUDIT_LOG_ORIGIN = env("AUDIT_LOG_ORIGIN", "quietdesk.invalid/access-log")
CHECKPOINT_DIR = Path(env("CHECKPOINT_DIR", str(DATA_DIR / "checkpoints"))).resolve()

# --- Logging: no personal information, ever ------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {
        # The request logger would print request bodies in tracebacks on 500s.
        "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        "axes": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        # fpdf2 warns about missing glyphs by quoting them: characters of names and titles.
        "fpdf": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        # SIP2 server and filter: one line of counts per period, never a patron field.
        "quietdesk.sip2": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}
ADMINS: list[tuple[str, str]] = []

# --- Alerts (rapid response) and the background worker ---------------------
# Every outbound message (director notices, alerts, forwards) is sent by `quietdesk outbound_worker`
# (django-tasks with its database backend; `alerts_worker` is the same command under its earlier name).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# signal-cli daemon (`signal-cli -a ACCOUNT daemon --http 127.0.0.1:8080`): JSON-RPC, loopback only.
QUIETDESK_SIGNAL_RPC_URL = env("SIGNAL_RPC_URL", "")  # e.g. http://127.0.0.1:8080/api/v1/rpc; empty: Signal off
QUIETDESK_SIGNAL_ACCOUNT = env("SIGNAL_ACCOUNT", "")  # the library's number, for multi-account daemons
QUIETDESK_ALERT_WEBHOOK_SECRET = env("ALERT_WEBHOOK_SECRET", "")  # or QUIETDESK_ALERT_WEBHOOK_SECRET_FILE
QUIETDESK_ALERT_BASE_URL: str = env("ALERT_BASE_URL", "http://127.0.0.1:8000")  # for one-time acknowledgement links
QUIETDESK_ALERT_ACK_WINDOW_MINUTES = env_int("ALERT_ACK_WINDOW_MINUTES", 10)  # then the next tier is alerted
QUIETDESK_ALERT_MIN_ACKS = env_int("ALERT_MIN_ACKS", 1)  # acknowledgements that stop escalation
QUIETDESK_ALERT_REPORT_EXPIRY_HOURS = env_int("ALERT_REPORT_EXPIRY_HOURS", 4)
QUIETDESK_ALERT_CODE_WORDS = env_bool("ALERT_CODE_WORDS", True)  # code words on email and webhooks
QUIETDESK_ALERT_CODEBOOK_FILE = env("ALERT_CODEBOOK_FILE", "")  # JSON {"confirmed": "RED OAK", ...}
QUIETDESK_ALERT_RECORD_REPORTER = env_bool("ALERT_RECORD_REPORTER", False)  # reporter's name in the access log
QUIETDESK_ALERT_ZONES = [
    z.strip()
    for z in (
        env("ALERT_ZONES")
        or "Main entrance,Parking lot,Children's area,Teen area,Reference desk,Computer area,"
        "Meeting rooms,Stacks,Restrooms,Loading dock,Sidewalk outside,Bus stop"
    ).split(",")
    if z.strip()
]

# Where the rapid-response network (members, consent, broadcasts) lives (docs/operators-guide.md,
# "Where the network lives"): local (here, the default), remote (at the organizing group's own
# quietdesk: this instance keeps no member list and forwards verified reports to it over a
# signed webhook), or hub (this instance is that group's: it also accepts the libraries' reports).
QUIETDESK_NETWORK_MODE = (env("NETWORK_MODE") or "local").strip().lower()
if QUIETDESK_NETWORK_MODE not in {"local", "remote", "hub"}:
    raise ImproperlyConfigured("QUIETDESK_NETWORK_MODE must be local, remote or hub.")
QUIETDESK_NETWORK_HUB_URL = env("NETWORK_HUB_URL", "")  # remote: the hub's https://.../alerts/inbound/
QUIETDESK_NETWORK_SENDER = env("NETWORK_SENDER", "library")  # remote: this library's name at the hub
QUIETDESK_NETWORK_SECRET = env("NETWORK_SECRET", "")  # remote: the key shared with the hub (or _FILE)
QUIETDESK_NETWORK_CA_FILE = env("NETWORK_CA_FILE", "")  # remote: CA bundle the hub's certificate is checked against
# hub: JSON {"sender name": "shared key", ...}, one per library (or QUIETDESK_NETWORK_SENDERS_FILE)
QUIETDESK_NETWORK_SENDERS = env("NETWORK_SENDERS", "")
QUIETDESK_NETWORK_MAX_SKEW_SECONDS = env_int("NETWORK_MAX_SKEW_SECONDS", 300)  # hub: a message's age limit

# --- Requests for patron information (quietdesk.legal) ----------------------
# Who is emailed at once when someone asks at the desk (comma-separated), in addition
# to every active director or designee account with an email address. The email says
# only that a request was made and links to the case.
QUIETDESK_DIRECTOR_EMAIL = [a.strip() for a in (env("DIRECTOR_EMAIL") or "").split(",") if a.strip()]
# Also alerted over Signal (through the signal-cli daemon of the alerts app): numbers or u:usernames.
QUIETDESK_DIRECTOR_SIGNAL = [a.strip() for a in (env("DIRECTOR_SIGNAL") or "").split(",") if a.strip()]
QUIETDESK_DIRECTOR_PHONE = env("DIRECTOR_PHONE", "")  # shown on the desk page: "call the director"
QUIETDESK_BASE_URL: str = env("BASE_URL", "http://127.0.0.1:8000")  # for the link in that email
QUIETDESK_REQUEST_UPLOAD_MAX_BYTES = env_int("REQUEST_UPLOAD_MAX_MB", 10) * 1024 * 1024  # per file
QUIETDESK_REQUEST_UPLOAD_MAX_FILES = env_int("REQUEST_UPLOAD_MAX_FILES", 8)
QUIETDESK_PATRON_PIN_FAILURE_LIMIT = env_int("PATRON_PIN_FAILURE_LIMIT", 5)  # per card blind index
QUIETDESK_PATRON_PIN_LOCKOUT_MINUTES = env_int("PATRON_PIN_LOCKOUT_MINUTES", 15)
QUIETDESK_PATRON_SESSION_MINUTES = env_int("PATRON_SESSION_MINUTES", 10)
# Online sign-in limits (quietdesk/legal/signin.py): failures for one card in 24 hours before it
# is held until the desk unlocks it; failures from one client, and from everyone, per window.
QUIETDESK_PATRON_PIN_DAILY_FAILURE_LIMIT = env_int("PATRON_PIN_DAILY_FAILURE_LIMIT", 10)
QUIETDESK_PATRON_SIGNIN_CLIENT_LIMIT = env_int("PATRON_SIGNIN_CLIENT_LIMIT", 10)
QUIETDESK_PATRON_SIGNIN_CLIENT_MINUTES = env_int("PATRON_SIGNIN_CLIENT_MINUTES", 60)
QUIETDESK_PATRON_SIGNIN_GLOBAL_LIMIT = env_int("PATRON_SIGNIN_GLOBAL_LIMIT", 50)
QUIETDESK_PATRON_SIGNIN_GLOBAL_MINUTES = env_int("PATRON_SIGNIN_GLOBAL_MINUTES", 60)


def env_days(name: str, default: str) -> list[int]:
    raw = env(name) or default
    try:
        days = sorted({int(d) for d in raw.split(",") if d.strip()}, reverse=True)
    except ValueError:
        raise ImproperlyConfigured(f"QUIETDESK_{name} must be whole numbers of days, comma-separated, not {raw!r}.") from None
    if not days or min(days) < 1:
        raise ImproperlyConfigured(f"QUIETDESK_{name} must list days of 1 or more before the deadline.")
    return days


# Deadline reminders to the director (`quietdesk legal_reminders`, run from cron or a systemd
# timer): days before a subpoena's return date, and before the third day a staff member
# concerned by a request must have their copy (ICE protocol, Collective bargaining).
QUIETDESK_RETURN_DATE_REMINDER_DAYS = env_days("RETURN_DATE_REMINDER_DAYS", "7,2")
QUIETDESK_STAFF_COPY_REMINDER_DAYS = env_days("STAFF_COPY_REMINDER_DAYS", "2,1")

# --- Statistics (quietdesk.stats) and the privacy audit (quietdesk.privacy) --
def env_float(name: str, default: float) -> float:
    raw = env(name)
    try:
        return float(raw) if raw is not None else default
    except ValueError:
        raise ImproperlyConfigured(f"QUIETDESK_{name} must be a number, not {raw!r}.") from None


# Differential privacy (docs/operators-guide.md, "Statistics": why these defaults). The unit
# protected is one patron's records in one calendar month; each month of data has this much
# epsilon to spend. At the defaults a count is within +/-15 (loans, sessions) or +/-6
# (programs) of the true count 95 times in 100.
QUIETDESK_DP_EPSILON_BUDGET = env_float("DP_EPSILON_BUDGET", 4.0)  # per month of data, all queries together
QUIETDESK_DP_EPSILON_PER_QUERY = env_float("DP_EPSILON_PER_QUERY", 1.0)  # the default a query spends
# Contribution bounds (per patron per month): the noise is scaled to these.
QUIETDESK_DP_MAX_LOANS = env_int("DP_MAX_LOANS", 5)  # loans completed, and items out at once
QUIETDESK_DP_MAX_PROGRAMS = env_int("DP_MAX_PROGRAMS", 2)  # programs attended
QUIETDESK_DP_MAX_SESSIONS = env_int("DP_MAX_SESSIONS", 5)  # computer sessions
# A release whose 95% error would exceed this is refused before anything is spent.
QUIETDESK_DP_MAX_ERROR = env_float("DP_MAX_ERROR", 50.0)
# Collections (public keys): names, and the item barcode prefixes that put an item in one
# ("children=J,media=M"): an item matching no prefix is in the first collection listed.
QUIETDESK_DP_COLLECTIONS = [c.strip() for c in (env("DP_COLLECTIONS") or "general").split(",") if c.strip()]
QUIETDESK_DP_COLLECTION_PREFIXES = env("DP_COLLECTION_PREFIXES", "")
if QUIETDESK_DP_EPSILON_BUDGET <= 0 or not 0 < QUIETDESK_DP_EPSILON_PER_QUERY <= QUIETDESK_DP_EPSILON_BUDGET:
    raise ImproperlyConfigured("QUIETDESK_DP_EPSILON_PER_QUERY must be above 0 and at most QUIETDESK_DP_EPSILON_BUDGET.")
# The privacy audit (`quietdesk audit report`): what the access review flags, and where reports go.
QUIETDESK_AUDIT_DIR = Path(env("AUDIT_DIR", str(DATA_DIR / "audit"))).resolve()
QUIETDESK_AUDIT_REVIEW_DAYS = env_int("AUDIT_REVIEW_DAYS", 90)  # the access review covers this many days
QUIETDESK_AUDIT_STAFF_HOURS = env("AUDIT_STAFF_HOURS", "07:00-21:00")  # local time; reads outside are flagged
QUIETDESK_AUDIT_FLAG_OUTSIDE_HOURS = env_int("AUDIT_FLAG_OUTSIDE_HOURS", 10)  # reads outside hours before a flag
QUIETDESK_AUDIT_FLAG_OUTSIDE_BRANCH = env_int("AUDIT_FLAG_OUTSIDE_BRANCH", 20)  # other branches' patrons read
QUIETDESK_AUDIT_FLAG_BULK = env_int("AUDIT_FLAG_BULK", 50)  # records exported (or read) by one person in one hour
# Shown on the public privacy notice: who answers privacy questions (an office, not a person's email).
QUIETDESK_PRIVACY_CONTACT = env("PRIVACY_CONTACT", "")

# --- Self-check machines over SIP2 (quietdesk.sip2; docs/operators-guide.md) -----
# `quietdesk sip2 serve` and `quietdesk sip2 filter --upstream HOST:PORT` listen here.
QUIETDESK_SIP2_LISTEN = env("SIP2_LISTEN", "127.0.0.1:6001")
# TLS for the machines' side: a PEM certificate (chain) and its key; neither means plain TCP.
QUIETDESK_SIP2_TLS_CERT = env("SIP2_TLS_CERT", "")
QUIETDESK_SIP2_TLS_KEY = env("SIP2_TLS_KEY", "")
# How a patron's name (AE) reaches a machine: first (given name), initials, or none.
QUIETDESK_SIP2_NAME_FORM = env("SIP2_NAME_FORM", "first")
QUIETDESK_SIP2_MAX_CONNECTIONS = env_int("SIP2_MAX_CONNECTIONS", 64)  # more are closed at once
QUIETDESK_SIP2_MAX_FRAME_BYTES = env_int("SIP2_MAX_FRAME_BYTES", 4096)  # a longer request closes the connection
QUIETDESK_SIP2_IDLE_SECONDS = env_int("SIP2_IDLE_SECONDS", 600)  # silence before a connection is closed
QUIETDESK_SIP2_FRAME_SECONDS = env_int("SIP2_FRAME_SECONDS", 30)  # a message must arrive whole (an answer be read) within this
QUIETDESK_SIP2_LOG_MINUTES = env_int("SIP2_LOG_MINUTES", 60)  # one line of counts per period
# The filter: FIELD:drop|mask|pass for the ILS's answers, and request types answered with a refusal.
QUIETDESK_SIP2_FILTER_FIELDS = env("SIP2_FILTER_FIELDS", "BD:drop,BE:drop,BF:drop,PB:drop,AE:mask")
QUIETDESK_SIP2_FILTER_REFUSE = env("SIP2_FILTER_REFUSE", "")  # e.g. "25,01"
QUIETDESK_SIP2_UPSTREAM_SECONDS = env_int("SIP2_UPSTREAM_SECONDS", 30)  # the ILS must answer within this
QUIETDESK_SIP2_UPSTREAM_MAX_FRAME_BYTES = env_int("SIP2_UPSTREAM_MAX_FRAME_BYTES", 65536)
QUIETDESK_SIP2_UPSTREAM_TLS_CA = env("SIP2_UPSTREAM_TLS_CA", "")  # set: the ILS is reached over TLS, checked against this CA

# --- The library's ILS (quietdesk.ils): Koha --------------------------------
# Koha's database, read-only unless `quietdesk koha enforce --apply` (docs/operators-guide.md,
# "Using quietdesk with Koha"): mysql://USER:PASSWORD@HOST:PORT/DATABASE. Empty: no Koha.
QUIETDESK_KOHA_DATABASE_URL = env("KOHA_DATABASE_URL", "")  # or QUIETDESK_KOHA_DATABASE_URL_FILE
# Koha's REST API, for read-only checks where a hosted Koha allows no database access
# (OAuth2 client credentials, created in Koha for a staff user with only the permissions it needs).
QUIETDESK_KOHA_API_URL = env("KOHA_API_URL", "")  # e.g. https://staff.library.example.org (…/api/v1 is added)
QUIETDESK_KOHA_API_CLIENT_ID = env("KOHA_API_CLIENT_ID", "")
QUIETDESK_KOHA_API_CLIENT_SECRET = env("KOHA_API_CLIENT_SECRET", "")  # or QUIETDESK_KOHA_API_CLIENT_SECRET_FILE
# REST only: Koha's AnonymousPatron value (the API cannot read preferences), so anonymised loans are not counted.
QUIETDESK_KOHA_ANONYMOUS_PATRON = env("KOHA_ANONYMOUS_PATRON", "")
