"""OpenAPI post-processing: every operation documents its problem+json error responses.

Services raise ``infra.fejl`` refusals and ``infra.api.problems.exception_handler`` answers them
(and every other error) as problem+json; this hook writes the shape of those answers (RFC 9457)
into the schema once, so integrating systems can rely on them and schemathesis can check that no
undocumented status code comes back.
"""

from __future__ import annotations

from infra.api.problems import CONTENT_TYPE, TITLES

LAESNING = (400, 401, 403, 404, 406, 429, 503)
SKRIVNING = (*LAESNING, 409, 412, 415, 422, 428)
SKRIVE_METODER = {"post", "put", "patch", "delete"}

PROBLEM = {
    "type": "object",
    "description": "Problem Details (RFC 9457). Field errors in `fejl`; unmet conditions in `mangler`.",
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "fejl": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        "mangler": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"kode": {"type": "string"}, "besked": {"type": "string"}, "link": {"type": "string"}},
            },
        },
    },
    "required": ["type", "title", "status", "detail"],
    "additionalProperties": True,
}


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
