"""The vocabulary of a transition's spec: its input fields, the facts it records, the events it
emits, and :class:`OvergangSpec` itself. The specs of the forløb's transitions are declared in
:mod:`cases.overgange`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .models import Rolle


@dataclass(frozen=True)
class Felt:
    navn: str
    type: str  # dato | tekst | valg | bool | liste
    label: str
    paakraevet: bool = False
    valg: tuple[str, ...] = ()
    fremtid_tilladt: bool = False  # dates are not in the future unless the field is a future appointment

    def as_dict(self) -> dict:
        out = {"navn": self.navn, "type": self.type, "label": self.label, "paakraevet": self.paakraevet}
        if self.valg:
            out["valg"] = list(self.valg)
        return out


@dataclass(frozen=True)
class Input:
    """A fact's value taken from the transition's validated input."""

    navn: str
    valgfri: bool = False  # not given: the fact keeps the value it has


#: The transition's effective date (the validated ``dato``, today when not given).
VIRKNINGSDATO = Input("dato")


@dataclass(frozen=True)
class Udsend:
    """An event a transition emits (in the order declared)."""

    kode: str  # "{felt}" is replaced by that input's value (e.g. "indstilling_{udfald}")
    data: tuple[str, ...] = ()  # inputs copied into the event's data (dates as ISO strings)
    dato_fra_fakta: str = ""  # dated by this fact of the forløb instead of the transition's date
    naar: tuple[str, str] | None = None  # (input, value): emitted only when the input has that value

    def koder(self, felter: Iterable[Felt]) -> set[str]:
        """Every code this event can have (placeholders expanded over the input's choices)."""
        koder = {self.kode}
        for felt in felter:
            pladsholder = "{" + felt.navn + "}"
            if any(pladsholder in k for k in koder):
                koder = {k.replace(pladsholder, v) for k in koder for v in felt.valg}
        return koder


def fakta(**vaerdier: Any) -> tuple[tuple[str, Any], ...]:
    """The facts a transition records: forløb field → ``Input``/``VIRKNINGSDATO`` or a constant."""
    return tuple(vaerdier.items())


#: Roles that run the case (API clients act for the municipality and may take every transition).
SAGSBEHANDLING = frozenset({Rolle.SAGSBEHANDLER, Rolle.TEAMLEDER})


@dataclass(frozen=True)
class OvergangSpec:
    navn: str  # the model method's name, the API's ``{overgang}`` and the rule registry's key
    titel: str
    fra: tuple[str, ...]
    til: tuple[str, ...]  # one target, or the targets ``maal_felt`` chooses among (the first is the default)
    felter: tuple[Felt, ...]
    haendelser: tuple[Udsend, ...] = ()
    fakta: tuple[tuple[str, Any], ...] = ()
    roller: frozenset[str] = SAGSBEHANDLING
    maal_felt: str = ""  # the input that chooses the target state (passed to the model method)
    afgoerelse: str | None = None  # decisions.DokumentType whose issuing performs the transition
    editor: str | None = None  # URL name (args: the forløb's id) of the page with its own full editor
    drastisk: bool = False  # rare and drastic: the UI asks for a confirmation
    # URL name (args: the forløb's id) of the page that is the next step once the transition is
    # done: the caseworker lands there instead of on the citizen page.
    naeste_side: str | None = None

    def fra_tilstand(self, tilstand: str) -> bool:
        return tilstand in self.fra

    def rolle_maa(self, actor) -> bool:
        """May the actor's role take this transition? API clients act for the municipality."""
        if getattr(actor, "er_api_klient", False):
            return True
        return getattr(actor, "rolle", None) in self.roller

    def maal(self, data: dict) -> str:
        """The target state for the (validated) input."""
        if self.maal_felt and data.get(self.maal_felt) in self.til:
            return data[self.maal_felt]
        return self.til[0]

    def kald_argumenter(self, data: dict) -> dict:
        """Keyword arguments of the model method (the chosen target, when the input chooses it)."""
        return {self.maal_felt: self.maal(data)} if self.maal_felt else {}

    def udsend(self, forloeb, data: dict) -> list[tuple[str, dt.date, dict]]:
        """The events the transition emits, in order: (code, date, data)."""
        out = []
        for h in self.haendelser:
            if h.naar is not None and data.get(h.naar[0]) != h.naar[1]:
                continue
            kode = h.kode.format_map({k: v for k, v in data.items() if isinstance(v, str)})
            dato = getattr(forloeb, h.dato_fra_fakta) if h.dato_fra_fakta else data["dato"]
            extra = {n: data[n].isoformat() if isinstance(data[n], dt.date) else data[n] for n in h.data}
            out.append((kode, dato, extra))
        return out

    def anvend_fakta(self, forloeb, data: dict) -> None:
        """Record on the forløb the facts the rules and the UI read later."""
        for navn, kilde in self.fakta:
            if not isinstance(kilde, Input):
                setattr(forloeb, navn, kilde)
            elif data.get(kilde.navn) or not kilde.valgfri:
                setattr(forloeb, navn, data[kilde.navn])

    def haendelseskoder(self) -> set[str]:
        return {k for h in self.haendelser for k in h.koder(self.felter)}
