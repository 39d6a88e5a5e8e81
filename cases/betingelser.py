"""The machinery of the forløb's guard rules: a rule, the context it is judged in, and the registry
of rules per transition that django-fsm evaluates as the transitions' ``conditions``.

It imports no model, so the model (``cases.models.forloeb``) can attach it; the rules themselves
live in ``cases.rules`` (the core's) and in the apps that register theirs at start-up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import partial
from typing import Any


@dataclass
class Kontekst:
    actor: Any
    data: dict = field(default_factory=dict)
    dato: dt.date | None = None  # the date the transition takes effect
    idag: dt.date | None = None
    # Values several rules read, fetched once per evaluation (e.g. the current forberedende del).
    memo: dict = field(default_factory=dict)

    def husk(self, noegle: Hashable, hent: Callable[[], Any]) -> Any:
        if noegle not in self.memo:
            self.memo[noegle] = hent()
        return self.memo[noegle]


@dataclass(frozen=True)
class Regel:
    kode: str
    besked: str
    check: Callable[[Any, Kontekst], bool]
    link: str = ""  # where in the UI the caseworker fixes it (a named section of the citizen page)
    kraever_input: bool = False  # judged only when the transition's input is given (shown as form fields)

    def opfyldt(self, forloeb, ktx: Kontekst) -> bool:
        return bool(self.check(forloeb, ktx))


@dataclass(frozen=True)
class UopfyldtBetingelse:
    kode: str
    besked: str
    link: str = ""

    def as_dict(self) -> dict:
        return {"kode": self.kode, "besked": self.besked, "link": self.link}


#: Guard rules per transition. The model creates a transition's (empty) list when it declares the
#: transition (:func:`regler_for`); the core and other apps fill the lists. The start-up check
#: (``cases.overgange.kontroller``) holds the keys to the transitions' specs.
GUARDS: dict[str, list[Regel]] = {}


def regler_for(transition: str) -> list[Regel]:
    """The (mutable) rule list of a transition, created when the model declares the transition."""
    return GUARDS.setdefault(transition, [])


def register(transition: str, *regler: Regel) -> None:
    """Add rules to a transition (used by ``cases.rules`` and by other apps' AppConfig.ready)."""
    if transition not in GUARDS:
        raise KeyError(f"No transition named {transition!r}: rules can only be added to a declared transition.")
    liste = GUARDS[transition]
    for regel in regler:
        if all(r.kode != regel.kode for r in liste):
            liste.append(regel)


def fsm_conditions(regler: list[Regel]) -> list[Callable]:
    """One django-fsm condition that evaluates the (mutable) rule list against the bound context.

    Without a context (a transition method called outside the service) nothing is allowed.
    """

    def alle_regler_opfyldt(instance) -> bool:
        ktx = getattr(instance, "_overgang_kontekst", None)
        if ktx is None:
            return False
        return all(r.opfyldt(instance, ktx) for r in regler)

    return [alle_regler_opfyldt]


def uopfyldte(
    transition: str, forloeb, ktx: Kontekst, *, uden_input: bool = False, husk: bool = False
) -> list[UopfyldtBetingelse]:
    """Every unmet rule of a transition, not just the first.

    ``uden_input`` skips the rules that judge the transition's own input (for listing what the
    case still lacks before the caseworker fills in the form). ``husk`` remembers each rule's answer
    in ``ktx`` for the next transition judged with the same context: a rule several transitions
    share (the partshøring before every decision) then asks the database once. Only for reading
    (listing what can be done now), where nothing changes between the transitions judged.
    """
    ud = []
    for r in GUARDS[transition]:
        if uden_input and r.kraever_input:
            continue
        opfyldt = ktx.husk(("regel", id(r)), partial(r.opfyldt, forloeb, ktx)) if husk else r.opfyldt(forloeb, ktx)
        if not opfyldt:
            ud.append(UopfyldtBetingelse(r.kode, r.besked, r.link))
    return ud
