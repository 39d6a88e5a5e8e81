"""OpenAPI generation: the headers every write takes, and the problem+json error responses.

:class:`AutoSchema` (the API's schema class) documents ``If-Match`` (required) on every write to an
existing resource and ``Idempotency-Key`` on every POST whose handler is ``@idempotent``, read from
the same places the toolkit enforces them, so the schema cannot drift from the behaviour.

Services raise ``infra.fejl`` refusals and ``infra.api.problems.exception_handler`` answers them
(and every other error) as problem+json; :func:`tilfoej_fejlsvar` writes the shape of those answers
(RFC 9457) into the schema once, with exactly the members the server sends
(``tests/security/test_problem_skema.py`` validates the answers against it), so integrating systems
can rely on them and schemathesis can check that no undocumented status code comes back.
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema as _AutoSchema
from drf_spectacular.utils import OpenApiParameter

from infra.api.etag import IF_MATCH
from infra.api.idempotency import IDEMPOTENCY_KEY, er_idempotent
from infra.api.problems import CONTENT_TYPE, TITLES

LAESNING = (400, 401, 403, 404, 406, 429, 503)
SKRIVNING = (*LAESNING, 409, 412, 413, 415, 422, 428)
SKRIVE_METODER = {"post", "put", "patch", "delete"}


def kraever_if_match(view, method: str) -> bool:
    """A write to an existing resource (a detail route) that is not declared a read."""
    return (
        method.lower() in SKRIVE_METODER
        and bool(getattr(view, "detail", False))
        and getattr(view, "action", None) not in getattr(view, "uden_if_match", ())
    )


def handler_for(view, method: str):
    action = getattr(view, "action", None) or getattr(view, "action_map", {}).get(method.lower())
    return getattr(view, action, None) if action else None


class AutoSchema(_AutoSchema):
    def get_override_parameters(self):
        params = list(super().get_override_parameters())
        navne = {p.name for p in params if isinstance(p, OpenApiParameter)}
        if kraever_if_match(self.view, self.method):
            params = [p for p in params if not (isinstance(p, OpenApiParameter) and p.name == "If-Match")]
            params.append(IF_MATCH)
        idempotent = self.method.lower() == "post" and er_idempotent(handler_for(self.view, self.method))
        if idempotent and "Idempotency-Key" not in navne:
            params.append(IDEMPOTENCY_KEY)
        return params


BETINGELSE = {
    "type": "object",
    "description": "En uopfyldt betingelse for en overgang.",
    "properties": {"kode": {"type": "string"}, "besked": {"type": "string"}, "link": {"type": "string"}},
    "required": ["kode", "besked", "link"],
    "additionalProperties": False,
}
MANGEL = {
    "type": "object",
    "description": "Noget et dokument mangler for at kunne udstedes (`felt`: det felt, der skal rettes).",
    "properties": {"kode": {"type": "string"}, "besked": {"type": "string"}, "felt": {"type": "string"}},
    "required": ["kode", "besked", "felt"],
    "additionalProperties": False,
}

PROBLEM = {
    "type": "object",
    "description": (
        "Problem Details (RFC 9457): præcis de felter, serveren sender. `errors`: feltfejl (felt → beskeder, "
        "alle på én gang; `non_field_errors` for fejl uden felt). `betingelser`: en overgangs uopfyldte "
        "betingelser (alle). `mangler`: alt, et dokument mangler for at kunne udstedes. `kode` og `grunde`: "
        "en aftales afvisning. `scopes`: de rettigheder, adgangstokenet mangler mindst én af."
    ),
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        "betingelser": {"type": "array", "items": BETINGELSE},
        "mangler": {"type": "array", "items": MANGEL},
        "kode": {"type": "string"},
        "grunde": {"type": "array", "items": {"type": "string"}},
        "scopes": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["type", "title", "status", "detail"],
    "additionalProperties": False,
}


def tilfoej_links(result, generator, request, public):
    """OpenAPI links from what a POST creates (``201`` with the new resource's ``id``) to every
    operation on that resource (``{id}/`` and its actions), with ``If-Match: *``: documentation for
    integrators, and the paths a stateful fuzzer follows (tests/security/test_api_schema_fuzz.py)."""
    stier = result.get("paths", {})
    for sti, operationer in stier.items():
        svar = operationer.get("post", {}).get("responses", {}).get("201")
        if svar is None or "{" in sti:
            continue
        links = {}
        for maal, maal_ops in stier.items():
            if not maal.startswith(sti + "{id}/"):
                continue
            for metode, op in maal_ops.items():
                if not isinstance(op, dict) or "operationId" not in op:
                    continue
                parametre = {"path.id": "$response.body#/id"}
                if metode in SKRIVE_METODER:
                    parametre["header.If-Match"] = "*"
                links[op["operationId"]] = {"operationId": op["operationId"], "parameters": parametre}
        if links:
            svar["links"] = links
    return result


def tilfoej_fejlsvar(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    ref = {"$ref": "#/components/schemas/Problem"}
    for operationer in result.get("paths", {}).values():
        for metode, operation in operationer.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            koder = SKRIVNING if metode in SKRIVE_METODER else LAESNING
            for kode in koder:
                operation["responses"].setdefault(
                    str(kode),
                    {"content": {CONTENT_TYPE: {"schema": ref}}, "description": TITLES.get(kode, "Fejl")},
                )
    return result
