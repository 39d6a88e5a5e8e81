"""Domain refusals, answered the same way by every door.

A service raises a subclass of :class:`DomaeneFejl` when it refuses a use case: a transition whose
conditions fail, a stale version, a step out of order. The class says how the API answers it
(HTTP status, problem type slug, Danish title); the instance carries the Danish message and any
extra members of the problem+json body (``problem_data``) or headers (``problem_headers``).
``infra.api.problems.exception_handler`` maps every subclass in one place; a UI view shows
``str(exc)``. A class that only groups others (``OvergangFejl``) may leave ``status`` out; every
class that is raised has one (``tests/infra/test_fejl.py`` pins them).
"""

from __future__ import annotations

from typing import ClassVar


class DomaeneFejl(Exception):
    """Base of the refusals a service raises for a user or API client to read."""

    #: HTTP status of the problem+json answer.
    status: ClassVar[int]
    #: The problem type: ``https://sagsforloeb.dk/problemer/<slug>``. An instance may narrow it.
    slug: str
    #: Danish title of the problem; ``None`` means the status's standard title.
    titel: ClassVar[str | None] = None
    #: The message when the raiser gives none.
    standard_besked: ClassVar[str] = ""

    def __init__(self, besked: str | None = None):
        super().__init__(besked or self.standard_besked)

    def problem_data(self) -> dict:
        """Extra members of the problem+json body (e.g. ``betingelser``, ``mangler``, ``kode``)."""
        return {}

    def problem_headers(self) -> dict[str, str]:
        """Extra response headers (e.g. ``Retry-After``)."""
        return {}


class ForaeldetVersion(DomaeneFejl):
    """The version the caller saw (an ``If-Match``, a form's hidden version) is no longer the stored one.

    Every service that takes ``expected_version`` raises this, with a message naming what changed.
    """

    status = 412
    slug = "foraeldet"
    standard_besked = "Ressourcen er ændret siden du hentede den. Hent den igen og prøv på ny."


class FindesIkke(DomaeneFejl):
    """Something the request names does not exist, or is outside the caller's reach (same answer)."""

    status = 404
    slug = "findes-ikke"
    standard_besked = "Ressourcen findes ikke, eller du har ikke adgang til den."


class UgyldigIdempotencyKey(DomaeneFejl):
    """The ``Idempotency-Key`` header is empty or too long."""

    status = 400
    slug = "idempotency-key"
    standard_besked = "Idempotency-Key skal være 1-200 tegn."


class IdempotencyKeyGenbrugt(DomaeneFejl):
    """The ``Idempotency-Key`` was used before for a different request."""

    status = 422
    slug = "idempotency-key-genbrugt"
    standard_besked = "Idempotency-Key er allerede brugt til en anden forespørgsel."


class IfMatchMangler(DomaeneFejl):
    """A write to an existing resource came without ``If-Match`` (a lost update would be possible)."""

    status = 428
    slug = "if-match-mangler"
    standard_besked = "Send If-Match med ressourcens ETag (fra GET), så en samtidig ændring ikke går tabt."


class ManglerScope(DomaeneFejl):
    """An API client's token lacks a scope the action needs (``scopes`` lists every one it needs)."""

    status = 403
    slug = "mangler-scope"
    titel = "Ingen adgang"
    standard_besked = "Adgangstokenet mangler den nødvendige rettighed (scope)."

    def __init__(self, scopes: tuple[str, ...] = ()):
        super().__init__()
        self.scopes = list(scopes)

    def problem_data(self) -> dict:
        return {"scopes": self.scopes} if self.scopes else {}
