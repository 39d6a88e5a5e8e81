"""RFC 9457 problem+json: the one error shape of the API, produced by one exception handler."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from infra.fejl import DomaeneFejl

logger = logging.getLogger(__name__)

PROBLEM_TYPE_BASE = "https://sagsforloeb.dk/problemer/"
CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: "Ugyldig forespørgsel",
    401: "Ikke logget ind",
    403: "Ingen adgang",
    404: "Findes ikke",
    405: "Metoden er ikke tilladt",
    406: "Formatet kan ikke leveres",
    409: "Konflikt",
    412: "Ressourcen er ændret",
    413: "Forespørgslen er for stor",
    415: "Medietypen understøttes ikke",
    422: "Kan ikke behandles",
    428: "If-Match mangler",
    429: "For mange forespørgsler",
    500: "Intern fejl",
    503: "Midlertidigt utilgængelig",
}


class Problem(exceptions.APIException):
    """An HTTP-level problem raised by the API toolkit itself (e.g. a reused Idempotency-Key).

    Domain refusals are not raised as this: services raise ``infra.fejl.DomaeneFejl`` subclasses,
    which carry their own status and type and are mapped once in :func:`exception_handler`.
    """

    def __init__(self, status_code: int, slug: str, detail: str, *, title: str | None = None, **extra):
        self.status_code = status_code
        self.slug = slug
        self.title = title or TITLES.get(status_code, "Fejl")
        self.extra = extra
        super().__init__(detail=detail)


def problem_response(
    status_code: int, slug: str, detail: str, *, title: str | None = None, headers: dict | None = None, **extra
) -> Response:
    body = {
        "type": PROBLEM_TYPE_BASE + slug,
        "title": title or TITLES.get(status_code, "Fejl"),
        "status": status_code,
        "detail": detail,
        **extra,
    }
    return Response(body, status=status_code, headers=headers, content_type=CONTENT_TYPE)


def _field_errors(detail) -> dict[str, list[str]]:
    """Flatten DRF's nested error detail into ``field → [messages]`` (nested fields dotted)."""
    out: dict[str, list[str]] = {}

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            for key, sub in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), sub)
        elif isinstance(value, list):
            if all(not isinstance(v, dict | list) for v in value):
                out.setdefault(prefix or "non_field_errors", []).extend(str(v) for v in value)
            else:
                for i, sub in enumerate(value):
                    walk(f"{prefix}.{i}" if prefix else str(i), sub)
        else:
            out.setdefault(prefix or "non_field_errors", []).append(str(value))

    walk("", detail)
    return out


def exception_handler(exc, context):
    if isinstance(exc, DomaeneFejl):
        return problem_response(
            exc.status, exc.slug, str(exc), title=exc.titel, headers=exc.problem_headers() or None, **exc.problem_data()
        )
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        # A service's Danish reason (``PermissionDenied("Kun kommunens medarbejdere ...")``) is the detail.
        exc = _TjenesteNaegter(str(exc)) if str(exc) else exceptions.PermissionDenied()

    if isinstance(exc, Problem):
        return problem_response(exc.status_code, exc.slug, str(exc.detail), title=exc.title, **exc.extra)
    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent):
        return problem_response(413, "for-stor", "Forespørgslens indhold er for stort.")
    if isinstance(exc, RecursionError):
        # JSON nested deeper than the parser can follow: bad input, not a server error.
        return problem_response(400, "ugyldig-json", "Forespørgslens JSON er indlejret for dybt.")
    if isinstance(exc, IntegrityError):
        # A uniqueness the service did not check first (a race, or a rule still missing in the
        # service): the data conflicts with what is stored. Nothing was written.
        logger.warning("Integrity error answered 409: %s", type(exc).__name__)
        return problem_response(409, "konflikt", "Data er i konflikt med noget, der allerede er gemt.")

    response = drf_exception_handler(exc, context)
    if response is None:
        if isinstance(exc, OperationalError | InterfaceError):
            # The database is restarting or unreachable: nothing was written; the client may retry
            # (with its Idempotency-Key) once it is back.
            logger.warning("Database unavailable: %s", type(exc).__name__)
            return problem_response(
                503,
                "utilgaengelig",
                "Tjenesten er midlertidigt utilgængelig. Prøv igen om lidt.",
                headers={"Retry-After": "5"},
            )
        logger.exception("Unhandled API error", exc_info=exc)
        return problem_response(500, "intern-fejl", "Der opstod en uventet fejl. Fejlen er logget.")

    headers = {k: v for k, v in response.headers.items() if k in ("Retry-After", "WWW-Authenticate", "Allow")}
    code = response.status_code
    if isinstance(exc, exceptions.ValidationError):
        return problem_response(
            400,
            "validering",
            "Forespørgslen indeholder ugyldige felter.",
            title="Valideringsfejl",
            errors=_field_errors(exc.detail),
            headers=headers,
        )
    slug = {
        401: "ikke-logget-ind",
        403: "ingen-adgang",
        404: "findes-ikke",
        405: "metode",
        406: "format",
        415: "medietype",
        429: "for-mange",
    }.get(code, "fejl")
    detail = _danish_detail(exc, code)
    return problem_response(code, slug, detail, headers=headers)


class _TjenesteNaegter(exceptions.PermissionDenied):
    """403 whose detail is the refusing service's own Danish message."""


def _danish_detail(exc, code: int) -> str:
    if isinstance(exc, _TjenesteNaegter):
        return str(exc.detail)
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        return "Log ind eller send et gyldigt adgangstoken."
    if isinstance(exc, exceptions.NotFound):
        return "Ressourcen findes ikke, eller du har ikke adgang til den."
    if isinstance(exc, exceptions.PermissionDenied):
        return "Du har ikke adgang til at udføre denne handling."
    if isinstance(exc, exceptions.MethodNotAllowed):
        return "Metoden er ikke tilladt på denne ressource."
    if isinstance(exc, exceptions.Throttled):
        return "For mange forespørgsler. Prøv igen senere."
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return "Send data som application/json."
    if isinstance(exc, exceptions.ParseError):
        return "Forespørgslens indhold er ikke gyldig JSON."
    return str(getattr(exc, "detail", "")) or TITLES.get(code, "Fejl")


@csrf_exempt  # it changes nothing; without this a PATCH to an unknown path got the HTML CSRF page
def api_not_found(request, *args, **kwargs):
    """Any path under /api/ that matches no endpoint: problem+json, not the HTML 404 page."""

    body = {
        "type": PROBLEM_TYPE_BASE + "findes-ikke",
        "title": TITLES[404],
        "status": 404,
        "detail": "Ressourcen findes ikke, eller du har ikke adgang til den.",
    }
    return JsonResponse(body, status=404, content_type=CONTENT_TYPE)
