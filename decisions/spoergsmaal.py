"""Prompts: what good practice recommends a decision of a type takes a position on, answered by the
caseworker (yes / no / not relevant, always with a reason), stored with who and when
(``Spoergsmaalssvar``), shown in the editor and the API, and printed in the PDF.

An app registers the prompts of a document type at start-up (flexjob: the arbejdsevnevurdering's
"Recommended" and "Good practice" rows of Ankestyrelsen's practice study). A prompt that applies
and is unanswered blocks issuing like any missing element (the lint's ``Mangel``, with the field
to answer it in); ``kontrol`` checks that an answer agrees with the document's content (e.g. "yes,
there is a progression plan" needs the plan).

    registrer("arbejdsevnevurdering_fleksjob", Spoergsmaal("progression", "Er progression mulig ...?"))
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

from infra import audit

from .models import Dokument, Spoergsmaalssvar, SvarValg

#: Attribute of an unsaved draft copy holding the editor's typed answers (see ``lint.lint_udkast``).
UDKAST_ATTR = "_udkast_svar"


@dataclass(frozen=True)
class Spoergsmaal:
    """One prompt of a document type.

    - ``gaelder(dokument)``: whether it applies to this document now (None: always).
    - ``kontrol(dokument, svar)``: ``[(kode, besked, felt)]`` where the answer ``svar`` ("ja", "nej",
      "ikke_relevant") disagrees with the content (None: nothing to check).
    - ``kilde``: the source's grading (e.g. "Anbefalet" or "God praksis" in the practice study).
    """

    kode: str
    tekst: str
    hjaelp: str = ""
    gaelder: Callable | None = None
    kontrol: Callable | None = None
    kilde: str = ""

    def gaelder_for(self, dokument) -> bool:
        return self.gaelder is None or bool(self.gaelder(dokument))


_REGISTER: dict[str, list[Spoergsmaal]] = {}
_FORBEREDELSE: dict[str, Callable[[list], None]] = {}


def registrer(dokument_type: str, *spoergsmaal: Spoergsmaal) -> None:
    liste = _REGISTER.setdefault(dokument_type, [])
    for s in spoergsmaal:
        if all(e.kode != s.kode for e in liste):
            liste.append(s)


def registrer_forberedelse(dokument_type: str, forbered: Callable[[list], None]) -> None:
    """``forbered(dokumenter)`` loads, for a whole list page at once, what the type's ``gaelder``
    callables read of each document (so a list costs the same queries whatever its size)."""
    _FORBEREDELSE[dokument_type] = forbered


def alle(dokument_type: str) -> list[Spoergsmaal]:
    """Every prompt of the type, in registration order."""
    return list(_REGISTER.get(dokument_type, []))


def gaeldende(dokument) -> list[Spoergsmaal]:
    """The prompts that apply to this document now."""
    return [s for s in alle(dokument.type) if s.gaelder_for(dokument)]


def svar(dokument) -> dict[str, dict]:
    """The answers by prompt code, ``{svar, begrundelse, besvaret_af, besvaret}``: the editor's typed
    answers for an unsaved draft copy (:data:`UDKAST_ATTR`), else the stored ones."""
    udkast = getattr(dokument, UDKAST_ATTR, None)
    if udkast is not None:
        return udkast
    if not dokument.pk:
        return {}
    return {
        s.kode: {"svar": s.svar, "begrundelse": s.begrundelse, "besvaret_af": s.besvaret_af, "besvaret": s.besvaret}
        for s in dokument.svar.all()
    }


def feltnavn(kode: str) -> str:
    return f"svar.{kode}"


def mangler(dokument) -> list[tuple[str, str, str]]:
    """``(kode, besked, felt)`` for each applicable prompt without a complete answer, and for each
    answer its ``kontrol`` finds at odds with the content."""
    ud: list[tuple[str, str, str]] = []
    besvaret = svar(dokument)
    for s in gaeldende(dokument):
        a = besvaret.get(s.kode) or {}
        if a.get("svar") not in SvarValg.values:
            ud.append((f"spoergsmaal.ubesvaret.{s.kode}", f"Besvar: {s.tekst}", feltnavn(s.kode)))
            continue
        if not str(a.get("begrundelse") or "").strip():
            ud.append(
                (
                    f"spoergsmaal.begrundelse_mangler.{s.kode}",
                    f"Begrund svaret på: {s.tekst}",
                    f"{feltnavn(s.kode)}.begrundelse",
                )
            )
        if s.kontrol is not None:
            ud.extend(s.kontrol(dokument, a["svar"]))
    return ud


def visning(dokument, *, kun_gaeldende: bool = True) -> list[dict]:
    """The prompts with their answers, for the editor, the API and the PDF."""
    return _visning(alle(dokument.type), dokument, svar(dokument), kun_gaeldende)


def _visning(prompts: list[Spoergsmaal], dokument, besvaret: dict, kun_gaeldende: bool) -> list[dict]:
    ud = []
    for s in prompts:
        gaelder = s.gaelder_for(dokument)
        if kun_gaeldende and not gaelder:
            continue
        a = besvaret.get(s.kode) or {}
        ud.append(
            {
                "kode": s.kode,
                "tekst": s.tekst,
                "hjaelp": s.hjaelp,
                "kilde": s.kilde,
                "gaelder": gaelder,
                "svar": a.get("svar", ""),
                "svar_tekst": SvarValg(a["svar"]).label if a.get("svar") in SvarValg.values else "",
                "begrundelse": a.get("begrundelse", ""),
                "besvaret_af": a.get("besvaret_af", ""),
                "besvaret": a.get("besvaret"),
            }
        )
    return ud


def visning_side(raekker: list[dict]) -> dict:
    """``visning(dokument, kun_gaeldende=False)`` for each document of a list page, by document id.
    ``raekker`` are the documents' rows as dicts (``id``, ``type``, ``version``, ...). The prompts are
    looked up once per type, the answers read in one query, and what the prompts need to know whether
    they apply is loaded once per type (:func:`registrer_forberedelse`)."""
    ud: dict = {r["id"]: [] for r in raekker}
    pr_type: dict[str, list[dict]] = defaultdict(list)
    for r in raekker:
        pr_type[r["type"]].append(r)
    prompts = {t: alle(t) for t in pr_type}
    ids = [r["id"] for t, rs in pr_type.items() if prompts[t] for r in rs]
    if not ids:
        return ud
    besvaret: dict = defaultdict(dict)
    for dok, kode, valg, begrundelse, af, hvornaar in Spoergsmaalssvar.objects.filter(dokument_id__in=ids).values_list(
        "dokument_id", "kode", "svar", "begrundelse", "besvaret_af", "besvaret"
    ):
        besvaret[dok][kode] = {"svar": valg, "begrundelse": begrundelse, "besvaret_af": af, "besvaret": hvornaar}
    felter = ("forloeb_id", "status", "version")
    for t, rs in pr_type.items():
        if not prompts[t]:
            continue
        dokumenter = [Dokument(id=r["id"], type=t, **{f: r[f] for f in felter if f in r}) for r in rs]
        if t in _FORBEREDELSE:
            _FORBEREDELSE[t](dokumenter)
        for d in dokumenter:
            ud[d.pk] = _visning(prompts[t], d, besvaret[d.pk], kun_gaeldende=False)
    return ud


def input_fejl(dokument_type: str, svarliste) -> dict[str, str]:
    """What is wrong with answers as given to ``services.dokument_opdater(svar=[...])``: the shape,
    an unknown prompt, an unknown answer (a missing reason is the lint's finding, not an input error)."""
    if not isinstance(svarliste, list):
        return {"svar": "Angiv svarene som en liste af {kode, svar, begrundelse}."}
    kendte = {s.kode for s in alle(dokument_type)}
    fejl: dict[str, str] = {}
    set_: set[str] = set()
    for i, a in enumerate(svarliste):
        if not isinstance(a, dict):
            fejl[f"svar.{i}"] = "Hvert svar angives som {kode, svar, begrundelse}."
            continue
        kode = a.get("kode")
        if kode not in kendte:
            fejl[f"svar.{i}.kode"] = "Ukendt spørgsmål for denne dokumenttype."
            continue
        if kode in set_:
            fejl[f"svar.{i}.kode"] = "Spørgsmålet er besvaret to gange."
        set_.add(kode)
        if a.get("svar") not in SvarValg.values:
            fejl[feltnavn(kode)] = "Svar ja, nej eller ikke relevant."
        if not isinstance(a.get("begrundelse", ""), str):
            fejl[f"{feltnavn(kode)}.begrundelse"] = "Begrundelsen skal være tekst."
    return fejl


def gem(actor, dokument, svarliste: list[dict]) -> list[str]:
    """Store the answers of a draft's prompts inside the caller's transaction (``services.dokument_opdater``);
    a changed answer gets who and when anew. Returns the codes that changed."""
    fejl = input_fejl(dokument.type, svarliste)
    if fejl:
        raise ValidationError(fejl)
    gemte = {s.kode: s for s in dokument.svar.all()}
    nu, navn = timezone.now(), audit.actor_navn(actor)
    aendret = []
    for a in svarliste:
        begrundelse = (a.get("begrundelse") or "").strip()
        gemt = gemte.get(a["kode"])
        if gemt is not None and (gemt.svar, gemt.begrundelse) == (a["svar"], begrundelse):
            continue
        Spoergsmaalssvar.objects.update_or_create(
            dokument=dokument,
            kode=a["kode"],
            defaults={"svar": a["svar"], "begrundelse": begrundelse, "besvaret_af": navn, "besvaret": nu},
        )
        aendret.append(a["kode"])
    return aendret
