import uuid

from axes.backends import AxesStandaloneBackend
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

from infra import context


class RequestContextMiddleware:
    """Binds a request id and the URL path (never the query string) for the audit log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request.headers.get("X-Request-ID", "")[:36] or str(uuid.uuid4())
        with context.bound(
            context.RequestContext(request_id=request_id, kilde=f"{request.method} {request.path}"[:200])
        ):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


# --- Security headers, login throttling ------------------------------------------------------

#: Pages rendered by third-party code with inline <script>/<style> (drf-spectacular's Swagger UI).
#: They show no citizen data; only they get 'unsafe-inline', everything else the strict policy.
CSP_RELAXED_PREFIXES = ("/api/v1/docs/",)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp with the strict policy from settings, relaxed only for ``CSP_RELAXED_PREFIXES``."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(CSP_RELAXED_PREFIXES):
            parts.update = (parts.update or {}) | {
                "script-src": ["'unsafe-inline'"],
                "style-src": ["'unsafe-inline'"],
            }
        return parts


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every login made through an HTTP request.

    Logins without a request (``Client.login`` in tests, ``authenticate()`` in a shell) have no
    client to throttle; they fall through to ``ModelBackend`` instead of raising. Every HTTP login
    path (the login page, the admin) passes the request and is throttled.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request) -> str | None:
    """The client address for login throttling.

    Behind ``settings.TRUSTED_PROXY_COUNT`` reverse proxies (production: one, which terminates TLS
    and appends to X-Forwarded-For) the address is the entry that proxy appended; entries further
    left are client-controlled and ignored. Without proxies it is REMOTE_ADDR.
    """
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR")
