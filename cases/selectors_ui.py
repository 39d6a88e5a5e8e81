"""Reads behind the caseworker's pages: the work queue and the forløb journey on the citizen page.

Everything is scoped through ``cases.selectors`` (team membership; a jurist the municipality) and
runs a fixed number of queries, whatever the number of cases, deadlines or timeline entries.
Nothing here writes; the views log the reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.urls import NoReverseMatch, reverse

from cases import frister, overgange, services
from infra import datoer
from infra.logging import mask_text

from .models import (
    AABNE_TILSTANDE,
    Borger,
    Forloeb,
    Frist,
    FristAnsvar,
    FristStatus,
    Haendelse,
    Journalnotat,
    OvergangLog,
    Sagsejerskab,
    Tilstand,
)
from .selectors import forloeb_for, teams_for

#: Days before the due date a deadline counts as "due soon" when its definition sets no warnings.
SNART_DAGE = 14


class Badge:
    OVERSKREDET = "overskredet"
    SNART = "snart"
    I_RUTE = "i_rute"
    INGEN = "ingen"

    LABELS = {OVERSKREDET: "Overskredet", SNART: "Snart", I_RUTE: "I rute", INGEN: "Ingen åben frist"}
    #: DKFDS badge modifier per status (the text carries the meaning; colour only supports it).
    KLASSE = {OVERSKREDET: "badge-error", SNART: "badge-warning", I_RUTE: "badge-success", INGEN: "badge-info"}
    CHOICES = [(k, v) for k, v in LABELS.items()]


class _SnartFra(Func):
    """The date a deadline becomes 'due soon': due date minus its largest warning offset (default 14)."""

    output_field = DateField()

    def as_sql(self, compiler, connection, **extra):
        forfald_sql, forfald_params = compiler.compile(self.source_expressions[0])
        varsler_sql, varsler_params = compiler.compile(self.source_expressions[1])
        # Both fragments are compiled column references; the only value is a parameter.
        sql = f"({forfald_sql} - COALESCE((SELECT max(v) FROM unnest({varsler_sql}) AS v), %s)::integer)"  # noqa: S608
        return sql, [*forfald_params, *varsler_params, SNART_DAGE]


def _naeste_frist() -> QuerySet[Frist]:
    """The forløb's nearest open deadline (for a correlated subquery on Forloeb)."""
    return Frist.objects.filter(forloeb=OuterRef("pk"), lukket_dato__isnull=True).order_by("gaeldende_forfald", "id")


def badge_for(forfald: dt.date | None, varsler: list[int] | None, idag: dt.date) -> str:
    """The same classification as the queue's SQL, for a single deadline in Python."""
    if forfald is None:
        return Badge.INGEN
    if forfald < idag:
        return Badge.OVERSKREDET
    dage = max(varsler) if varsler else SNART_DAGE
    if (forfald - idag).days <= dage:
        return Badge.SNART
    return Badge.I_RUTE


def _med_naeste_frist(qs: QuerySet[Forloeb], idag: dt.date) -> QuerySet[Forloeb]:
    naeste = _naeste_frist()
    qs = qs.annotate(
        naeste_forfald=Subquery(naeste.values("gaeldende_forfald")[:1]),
        naeste_snart_fra=Subquery(
            naeste.annotate(s=_SnartFra(F("gaeldende_forfald"), F("varsler_dage"))).values("s")[:1]
        ),
        naeste_frist_navn=Subquery(naeste.values("definition__navn")[:1]),
        naeste_frist_handling=Subquery(naeste.values("definition__varsel_handling")[:1]),
        naeste_frist_ansvar=Subquery(naeste.values("ansvar")[:1]),
    )
    return qs.annotate(
        badge=Case(
            When(naeste_forfald__isnull=True, then=Value(Badge.INGEN)),
            When(naeste_forfald__lt=idag, then=Value(Badge.OVERSKREDET)),
            When(naeste_snart_fra__lte=idag, then=Value(Badge.SNART)),
            default=Value(Badge.I_RUTE),
            output_field=CharField(),
        )
    )


# ---------------------------------------------------------------------------------------------
# Work queue ("Mine sager")
# ---------------------------------------------------------------------------------------------
def mine_sager(user, *, team: bool = False, idag: dt.date | None = None) -> QuerySet[Forloeb]:
    """Open forløb the user owns (or, for a team leader with ``team``, the forløb of their teams),
    nearest open deadline first, annotated with that deadline and a status badge."""
    idag = idag or datoer.idag()
    qs = forloeb_for(user).filter(tilstand__in=AABNE_TILSTANDE)
    if team and getattr(user, "er_teamleder", False):
        qs = qs.filter(team_id__in=teams_for(user).values("id"))
    else:
        qs = qs.filter(sagsbehandler_id=getattr(user, "pk", None))
    return _med_naeste_frist(qs, idag).order_by(
        F("naeste_forfald").asc(nulls_last=True), "borger__efternavn", "borger__fornavn", "pk"
    )


def badge_antal(qs: QuerySet[Forloeb]) -> dict[str, int]:
    """How many rows of the (annotated) queue carry each badge — one query."""
    res = qs.order_by().aggregate(**{b: Count("pk", filter=Q(badge=b)) for b in Badge.LABELS})
    return {b: res.get(b) or 0 for b in Badge.LABELS}


# ---------------------------------------------------------------------------------------------
# The forløb journey on the citizen page
# ---------------------------------------------------------------------------------------------
@dataclass
class TidslinjePost:
    dato: dt.date
    tidspunkt: dt.datetime | None
    art: str  # overgang | haendelse | moede | dokument | notat | ejerskab
    art_label: str
    titel: str
    tekst: str = ""
    af: str = ""
    link: str = ""
    link_tekst: str = ""
    umasker_url: str = ""  # the note held a CPR number: shown masked, unmasked only on request


@dataclass
class FristVisning:
    frist: Frist
    navn: str
    beskrivelse: str
    handling: str
    lovgrundlag: str
    badge: str
    badge_label: str
    badge_klasse: str
    status_label: str
    er_aaben: bool
    borgerens: bool


@dataclass
class ForloebSide:
    """Everything the journey section of the citizen page shows."""

    forloeb: Forloeb | None
    tidligere: list[Forloeb] = field(default_factory=list)
    frister_aabne: list[FristVisning] = field(default_factory=list)
    frister_lukkede: list[FristVisning] = field(default_factory=list)
    naeste_frist: FristVisning | None = None
    overgange: list = field(default_factory=list)  # services.TilladtOvergang
    tidslinje: list[TidslinjePost] = field(default_factory=list)
    venter_paa: list[str] = field(default_factory=list)
    resume: list[tuple[str, str]] = field(default_factory=list)
    maal: str = ""
    ejer: str = ""
    ejer_siden: dt.datetime | None = None
    tilstand_siden: dt.date | None = None
    skift_af_sagsbehandler: int = 0


@dataclass(frozen=True)
class SideBidrag:
    """What an app above the core adds to the forløb section of the citizen page (registered with
    :func:`registrer_sidebidrag` in its ``AppConfig.ready``).

    ``hent(forloeb)`` reads the app's rows once (a bounded number of queries); ``venter_paa`` and
    ``tidslinje`` turn them into lines of "what the case is waiting for" and timeline entries,
    ``resume`` into (label, text) lines of the pinned case summary.
    """

    navn: str
    hent: Callable[[Forloeb], Any]
    venter_paa: Callable[[Forloeb, Any, dt.date], list[str]] | None = None
    tidslinje: Callable[[Forloeb, Any], list[TidslinjePost]] | None = None
    resume: Callable[[Forloeb, Any], list[tuple[str, str]]] | None = None


_SIDEBIDRAG: dict[str, SideBidrag] = {}


def registrer_sidebidrag(bidrag: SideBidrag) -> None:
    _SIDEBIDRAG[bidrag.navn] = bidrag


#: Event codes a transition emits itself; the timeline shows the transition instead of these.
_OVERGANGS_HAENDELSER = frozenset(overgange.haendelseskoder())

SUNDHED_LABELS = {"klinisk_funktion": "Regionens kliniske funktion", "andet": "Andet"}


def _dansk(d: dt.date | None) -> str:
    return datoer.dansk_dato(d) if d else ""


def _frist_visning(f: Frist, idag: dt.date) -> FristVisning:
    d = f.definition
    badge = badge_for(f.gaeldende_forfald, f.varsler_dage, idag) if f.er_aaben else ""
    return FristVisning(
        frist=f,
        navn=d.navn,
        beskrivelse=d.beskrivelse,
        handling=d.varsel_handling,
        lovgrundlag=f.lovgrundlag,
        badge=badge,
        badge_label=Badge.LABELS.get(badge, ""),
        badge_klasse=Badge.KLASSE.get(badge, ""),
        status_label=FristStatus(f.status).label if f.status in FristStatus.values else f.status,
        er_aaben=f.er_aaben,
        borgerens=f.ansvar == FristAnsvar.BORGER,
    )


def _maal(fl: Forloeb) -> str:
    if fl.tilstand in (Tilstand.RESSOURCEFORLOEB, Tilstand.FLEKSJOB, Tilstand.FOERTIDSPENSION):
        return f"Afgjort: {fl.get_tilstand_display()}"
    if fl.tilstand == Tilstand.FOERTIDSPENSION_BEHANDLING:
        return "Afgørelse om førtidspension"
    dele = []
    if fl.indstilling_udfald:
        dele.append(f"Rehabiliteringsteamets indstilling: {fl.get_indstilling_udfald_display()}")
    if fl.ansoegt_fleksjob:
        dele.append(f"Borgeren har søgt fleksjob ({_dansk(fl.ansoegt_fleksjob)})")
    if fl.egen_ansoegning_foertidspension:
        dele.append(f"Borgeren har søgt førtidspension ({_dansk(fl.egen_ansoegning_foertidspension)})")
    return "; ".join(dele)


def reverse_eller_tom(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def forloeb_side(user, borger: Borger, *, idag: dt.date | None = None) -> ForloebSide:
    """The citizen's current forløb (the open one, else the latest) with its deadlines, the actions
    the user may take, what is missing and a timeline — a bounded number of queries."""
    idag = idag or datoer.idag()
    alle = list(forloeb_for(user).filter(borger=borger).order_by("-oprettet"))
    aabne = [f for f in alle if f.er_aabent]
    fl = aabne[0] if aabne else (alle[0] if alle else None)
    side = ForloebSide(forloeb=fl, tidligere=[f for f in alle if f is not fl])
    if fl is None:
        return side

    frister = [_frist_visning(f, idag) for f in Frist.objects.filter(forloeb=fl).select_related("definition")]
    side.frister_aabne = sorted((f for f in frister if f.er_aaben), key=lambda f: f.frist.gaeldende_forfald)
    side.frister_lukkede = sorted(
        (f for f in frister if not f.er_aaben), key=lambda f: f.frist.lukket_dato or dt.date.min, reverse=True
    )
    kommunens = [f for f in side.frister_aabne if not f.borgerens]
    side.naeste_frist = next(iter(kommunens or side.frister_aabne), None)

    historik = list(OvergangLog.objects.filter(forloeb=fl).order_by("tidspunkt", "id"))
    haendelser = list(Haendelse.objects.filter(forloeb=fl).order_by("dato", "id"))
    bidrag = {navn: (b, b.hent(fl)) for navn, b in _SIDEBIDRAG.items()}
    notater = list(Journalnotat.objects.filter(forloeb=fl).order_by("-oprettet")[:500])
    ejerskaber = list(Sagsejerskab.objects.filter(forloeb=fl).select_related("sagsbehandler").order_by("fra", "id"))

    if fl.er_aabent:
        side.overgange = services.tilladte_overgange(fl, user, idag=idag)

    # Who owns it, since when, and how often the owner changed.
    if fl.sagsbehandler_id:
        side.ejer = str(fl.sagsbehandler)
        aktive = [e for e in ejerskaber if e.til is None]
        side.ejer_siden = aktive[-1].fra if aktive else None
    side.skift_af_sagsbehandler = max(0, len(ejerskaber) - 1)
    side.tilstand_siden = historik[-1].dato if historik else datoer.lokal_dato(fl.oprettet)
    side.maal = _maal(fl)

    # What the case is waiting for.
    for f in side.frister_aabne:
        if f.borgerens:
            side.venter_paa.append(f"Borgeren: {f.navn} (senest {_dansk(f.frist.gaeldende_forfald)})")
    for b, rows in bidrag.values():
        if b.venter_paa:
            side.venter_paa += b.venter_paa(fl, rows, idag)
    if any(m.kode == "rehab.lae265_mangler" for o in side.overgange for m in o.mangler):
        side.venter_paa.append("Lægeattest LÆ 265")

    # The pinned case summary: short facts.
    r = side.resume
    r.append(("Fase", f"{fl.get_tilstand_display()} (siden {_dansk(side.tilstand_siden)})"))
    if fl.forberedende_plan_start:
        uger = ((fl.afgoerelse_dato or idag) - fl.forberedende_plan_start).days // 7
        r.append(("Forberedende plan startet", f"{_dansk(fl.forberedende_plan_start)} ({uger} uger)"))
    if fl.rehab_moede_dato:
        r.append(("Møde i rehabiliteringsteamet", _dansk(fl.rehab_moede_dato)))
    if fl.indstilling_dato:
        r.append(("Indstilling", f"{fl.get_indstilling_udfald_display()} ({_dansk(fl.indstilling_dato)})"))
    if fl.overgang_dato:
        r.append(("Overgang til pensionsreglerne", _dansk(fl.overgang_dato)))
    if fl.afgoerelse_dato:
        r.append(("Afgørelse", _dansk(fl.afgoerelse_dato)))
    if fl.afsluttet_dato:
        r.append(("Afsluttet", f"{_dansk(fl.afsluttet_dato)} ({fl.get_afslutning_aarsag_display()})"))
    r.append(("Sagsbehandler", side.ejer or "Ingen (ikke tildelt)"))
    if side.skift_af_sagsbehandler:
        r.append(("Skift af sagsbehandler", str(side.skift_af_sagsbehandler)))
    r.append(("Team", fl.team.navn))
    for b, rows in bidrag.values():
        if b.resume:
            r += b.resume(fl, rows)

    side.tidslinje = _tidslinje(
        fl,
        historik=historik,
        haendelser=haendelser,
        notater=notater,
        ejerskaber=ejerskaber,
    )
    for b, rows in bidrag.values():
        if b.tidslinje:
            side.tidslinje += b.tidslinje(fl, rows)
    for post in side.tidslinje:  # free text typed by people may hold a CPR number: masked on display
        post.titel, post.tekst = mask_text(post.titel), mask_text(post.tekst)
    far_fortid = dt.datetime.min.replace(tzinfo=dt.UTC)
    side.tidslinje.sort(key=lambda p: (p.dato, p.tidspunkt or far_fortid), reverse=True)
    return side


def _titel(overgang: str) -> str:
    spec = overgange.SPECS.get(overgang)  # history may hold a transition that no longer exists
    return spec.titel if spec else overgang


def _tidslinje(fl, *, historik, haendelser, notater, ejerskaber) -> list[TidslinjePost]:
    poster: list[TidslinjePost] = []
    datoer_med_overgang = {h.dato for h in historik}
    for h in historik:
        til = Tilstand(h.til_tilstand).label if h.til_tilstand in Tilstand.values else h.til_tilstand
        poster.append(
            TidslinjePost(
                h.dato, h.tidspunkt, "overgang", "Overgang", _titel(h.overgang),
                f"Ny fase: {til}", h.actor_navn,
            )
        )  # fmt: skip
    for e in haendelser:
        if e.kode in _OVERGANGS_HAENDELSER and e.dato in datoer_med_overgang:
            continue
        poster.append(
            TidslinjePost(
                e.dato, e.tidspunkt, "haendelse", "Hændelse", frister.HAENDELSER.get(e.kode, e.kode.replace("_", " ")),
                "", e.actor_navn,
            )
        )  # fmt: skip
    for n in notater:
        tekst = n.tekst
        if n.naeste_skridt:
            tekst += f"\nNæste skridt: {n.naeste_skridt}"
            if n.naeste_skridt_dato:
                tekst += f" ({_dansk(n.naeste_skridt_dato)})"
        maskeret = mask_text(tekst)
        poster.append(
            TidslinjePost(
                datoer.lokal_dato(n.oprettet), n.oprettet, "notat", f"Journalnotat ({n.get_type_display().lower()})",
                mask_text(n.overskrift), maskeret, n.forfatter_navn,
                umasker_url=reverse("cases:journalnotat_umasker", args=[n.pk]) if maskeret != tekst else "",
            )
        )  # fmt: skip
    for e in ejerskaber:
        poster.append(
            TidslinjePost(
                datoer.lokal_dato(e.fra), e.fra, "ejerskab", "Sagsbehandler", f"Sagen tildelt {e.sagsbehandler}",
                e.overdragelsesnotat, e.tildelt_af_navn,
            )
        )  # fmt: skip
    return poster
