"""The caseworker's forløb pages (Danish UI): the work queue, the journey on the citizen page,
transitions, journal notes and the notifications inbox.

Reads go through ``cases.selectors`` / ``cases.selectors_ui`` (team-scoped: another team's or
municipality's citizen or forløb is a 404) and are logged; changes go through ``cases.services``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from cases import overgange, rules, selectors_ui, services
from infra import audit, datoer

from .forms import CprVisForm, add_service_errors
from .forms_sag import JournalnotatForm, MineSagerFilterForm, NotifikationFilterForm, OvergangForm
from .models import NotifikationNiveau, OvergangLog, Tilstand
from .regel_links import regel_link
from .selectors import borgere_for, forloeb_for, journalnotater_for, notifikationer_for

SIDE_STOERRELSE = 100

FORAELDET = (
    "Sagen er ændret af en anden (eller i et andet vindue), siden du åbnede formularen. "
    "Kontrollér oplysningerne, og send formularen igen."
)


NIVEAU_KLASSE = {
    NotifikationNiveau.VARSEL: "badge-warning",
    NotifikationNiveau.OVERSKREDET: "badge-error",
    NotifikationNiveau.ESKALERING: "badge-error",
    NotifikationNiveau.INFO: "badge-info",
}


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _hent_forloeb(request, pk):
    """The forløb if the user may see it; another team or municipality is a 404."""
    return get_object_or_404(forloeb_for(request.user), pk=pk)


def _url_eller_tom(navn: str, *args) -> str:
    """The URL, or "" when the app that has the page is not installed."""
    try:
        return reverse(navn, args=args)
    except NoReverseMatch:
        return ""


def _borger_url(forloeb_or_borger_id) -> str:
    return reverse("cases:borger_detail", args=[forloeb_or_borger_id]) + "#forloeb"


@dataclass
class Mangel:
    besked: str
    url: str = ""
    link_tekst: str = ""


def mangler_med_links(uopfyldte, forloeb_pk) -> list[Mangel]:
    out = []
    for m in uopfyldte:
        url, tekst = regel_link(m.link, forloeb_pk)
        out.append(Mangel(m.besked, url, tekst))
    return out


@dataclass
class Handling:
    navn: str
    titel: str
    mulig: bool
    url: str
    mangler: list[Mangel]
    drastisk: bool = False
    primaer: bool = False


def _handling_url(fl, spec: overgange.OvergangSpec) -> str:
    """Where the action leads: the transition's own editor when it has one (one way to do it),
    else the transition's form."""
    if spec.editor:
        return reverse(spec.editor, args=[fl.pk])
    return reverse("cases:forloeb_overgang", args=[fl.pk, spec.navn])


# ---------------------------------------------------------------------------------------------
# The journey section of the citizen page (used by cases.views.borger_detail)
# ---------------------------------------------------------------------------------------------
def forloeb_kontekst(request, borger, *, notat_form: JournalnotatForm | None = None) -> dict:
    """Context of ``templates/cases/sag/_forloeb.html``; logs the read of the forløb."""
    side = selectors_ui.forloeb_side(request.user, borger)
    handlinger = []
    fl = side.forloeb
    if fl is not None:
        audit.record_read(actor=request.user, handling="forloeb.laes", borgere=[borger], subject=fl)
        for o in side.overgange:
            handlinger.append(
                Handling(
                    o.navn,
                    o.titel,
                    o.mulig,
                    _handling_url(fl, o.spec),
                    mangler_med_links(o.mangler, fl.pk),
                    drastisk=o.spec.drastisk,
                )
            )
        # One primary next step: the first possible ordinary action (drastic ones never are).
        primaer = next((h for h in handlinger if h.mulig and not h.drastisk), None)
        if primaer is not None:
            primaer.primaer = True
    return {
        "forloeb_side": side,
        "handlinger": handlinger,
        "har_drastiske": any(h.drastisk for h in handlinger),
        "idag_side": datoer.idag(),
        # "Næste skridt" from the state: the one primary action, else the first ordinary one and what it lacks.
        "naeste_handling": next((h for h in handlinger if h.primaer), None)
        or next((h for h in handlinger if not h.drastisk), None),
        "notat_form": notat_form or JournalnotatForm(),
        "badge_labels": selectors_ui.Badge.LABELS,
    }


def borger_kontekst(request, borger, **extra) -> dict:
    """Context of the citizen page's head (person, relatives)."""
    return {
        "borger": borger,
        "alder": borger.alder(),
        "paaroerende": list(borger.paaroerende.all()),
        "aktiv_menu": "borgere",
        **extra,
    }


def borger_side(request, borger, *, notat_form=None, status=200):
    """The full citizen page with its forløb section; logs the read of the citizen."""
    audit.record_read(actor=request.user, handling="borger.laes", borgere=[borger], subject=borger)
    context = borger_kontekst(request, borger, cpr_form=CprVisForm())
    context.update(forloeb_kontekst(request, borger, notat_form=notat_form))
    return render(request, "cases/borger_detail.html", context, status=status)


# ---------------------------------------------------------------------------------------------
# Mine sager
# ---------------------------------------------------------------------------------------------
def _med_status(valgt: dict, status: str) -> str:
    """The work queue's query string with the status filter set (the overview badges are filters).
    Built from the validated filters only: nothing else the address held is echoed into the page."""
    ny = QueryDict(mutable=True)
    for navn in ("fase", "visning"):
        if valgt.get(navn):
            ny[navn] = valgt[navn]
    ny["status"] = status
    return "?" + ny.urlencode()


@never_cache
@login_required
@require_http_methods(["GET"])
def mine_sager(request):
    user = request.user
    filtre = MineSagerFilterForm(request.GET or None)
    valgt = filtre.cleaned_data if filtre.is_valid() else {}
    team_visning = valgt.get("visning") == "team" and user.er_teamleder
    idag = datoer.idag()
    base = selectors_ui.mine_sager(user, team=team_visning, idag=idag)
    if valgt.get("fase"):
        base = base.filter(tilstand=valgt["fase"])
    antal = selectors_ui.badge_antal(base)
    qs = base.filter(badge=valgt["status"]) if valgt.get("status") else base
    side = Paginator(qs, SIDE_STOERRELSE).get_page(request.GET.get("side"))
    raekker = []
    for fl in side.object_list:
        raekker.append(
            {
                "forloeb": fl,
                "borger": fl.borger,
                "badge": fl.badge,
                "badge_label": selectors_ui.Badge.LABELS[fl.badge],
                "badge_klasse": selectors_ui.Badge.KLASSE[fl.badge],
                # The next steps, each a link to its page (one click from the list to the work).
                # Afslut is possible from every open stage, and drastic steps are not offered here.
                "mulige": [
                    (s.navn, s.titel, _handling_url(fl, s))
                    for s in services.mulige_overgange(fl, user)
                    if s.navn != "afslut" and not s.drastisk
                ],
            }
        )
    audit.record_read(actor=user, handling="forloeb.liste", borgere=[r["borger"] for r in raekker])
    params = request.GET.copy()
    params.pop("side", None)
    context = {
        "filtre": filtre,
        "raekker": raekker,
        "side": side,
        "antal": antal,
        "i_alt": sum(antal.values()),
        "team_visning": team_visning,
        "kan_se_team": user.er_teamleder,
        "overblik": [
            (k, lbl, selectors_ui.Badge.KLASSE[k], antal[k], _med_status(valgt, k), valgt.get("status") == k)
            for k, lbl in selectors_ui.Badge.LABELS.items()
        ],
        "idag": idag,
        "query_uden_side": params.urlencode(),
        "aktiv_menu": "mine_sager",
    }
    return render(request, "cases/sag/mine_sager.html", context)


# ---------------------------------------------------------------------------------------------
# Start a forløb, transitions, journal notes
# ---------------------------------------------------------------------------------------------
@never_cache
@login_required
@require_POST
def forloeb_opret(request, borger_pk):
    borger = get_object_or_404(borgere_for(request.user), pk=borger_pk)
    try:
        services.forloeb_opret(actor=request.user, borger=borger)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Der er startet et forløb for {borger.navn}.")
    return redirect(_borger_url(borger.pk))


def _kan_fra(forloeb, overgang: str, user) -> bool:
    return any(s.navn == overgang for s in services.mulige_overgange(forloeb, user))


def _allerede_udfoert(forloeb, overgang: str, user) -> bool:
    seneste = OvergangLog.objects.filter(forloeb=forloeb).order_by("-tidspunkt", "-id").first()
    return seneste is not None and seneste.overgang == overgang and seneste.actor_id == str(user.pk)


def _efter_overgang_url(forloeb, spec) -> str:
    """Where a taken transition leads: the page of its next step, if any, else the citizen page."""
    naeste = _url_eller_tom(spec.naeste_side, forloeb.pk) if spec.naeste_side else ""
    return naeste or _borger_url(forloeb.borger_id)


def _ikke_laengere_mulig(request, forloeb, overgang: str, *, efter_post: bool):
    titel = overgange.SPECS[overgang].titel
    fase = forloeb.get_tilstand_display().lower()
    if efter_post and _allerede_udfoert(forloeb, overgang, request.user):
        messages.info(request, f"»{titel}« er allerede udført. Forløbet er i fasen »{fase}«.")
        # A re-submitted form lands where the first submit did.
        return redirect(_efter_overgang_url(forloeb, overgange.SPECS[overgang]))
    elif efter_post:
        messages.warning(
            request,
            f"Sagen er ændret af en anden, siden du åbnede formularen: »{titel}« kan ikke længere udføres, "
            f"fordi forløbet nu er i fasen »{fase}«.",
        )
    else:
        messages.warning(request, f"»{titel}« kan ikke udføres, når forløbet er i fasen »{fase}«.")
    return redirect(_borger_url(forloeb.borger_id))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def forloeb_overgang(request, forloeb_pk, overgang):
    fl = _hent_forloeb(request, forloeb_pk)
    spec = overgange.SPECS.get(overgang)
    if spec is None:
        raise Http404("Ukendt overgang")
    if not spec.rolle_maa(request.user):
        raise PermissionDenied("Din rolle kan ikke udføre denne overgang.")
    afvist: list[Mangel] = []
    if request.method == "POST":
        form = OvergangForm(request.POST, overgang=overgang)
        if form.is_valid():
            try:
                services.forloeb_overgang(
                    actor=request.user,
                    forloeb=fl,
                    overgang=overgang,
                    data=form.service_data(),
                    expected_version=form.cleaned_data["version"],
                )
            except services.ForaeldetVersion:
                fl.refresh_from_db()
                if not _kan_fra(fl, overgang, request.user):
                    return _ikke_laengere_mulig(request, fl, overgang, efter_post=True)
                data = request.POST.copy()
                data["version"] = str(fl.version)
                form = OvergangForm(data, overgang=overgang)
                form.is_valid()
                form.add_error(None, FORAELDET)
            except services.ForkertTilstand:
                fl.refresh_from_db()
                return _ikke_laengere_mulig(request, fl, overgang, efter_post=True)
            except services.OvergangAfvist as exc:
                afvist = mangler_med_links(exc.uopfyldte, fl.pk)
                form.add_error(None, "Overgangen kan ikke udføres endnu. Det mangler, står nedenfor.")
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"{spec.titel}: forløbet er nu i fasen »{fl.get_tilstand_display()}«.")
                # Every step ends with the next one: the page the transition leads to, if any.
                return redirect(_efter_overgang_url(fl, spec))
    else:
        if not _kan_fra(fl, overgang, request.user):
            return _ikke_laengere_mulig(request, fl, overgang, efter_post=False)
        if spec.editor and not spec.drastisk:
            # One way to take a transition that has its own editor: the full one.
            return redirect(_handling_url(fl, spec))
        form = OvergangForm(initial={"version": fl.version}, overgang=overgang)
    idag = datoer.idag()
    ktx = rules.Kontekst(actor=request.user, data={}, dato=idag, idag=idag)
    mangler = [] if afvist else mangler_med_links(rules.uopfyldte(overgang, fl, ktx, uden_input=True), fl.pk)
    audit.record_read(actor=request.user, handling="forloeb.laes", borgere=[fl.borger], subject=fl)
    context = {
        "forloeb": fl,
        "borger": fl.borger,
        "overgang": overgang,
        "titel": spec.titel,
        "form": form,
        "mangler": mangler,
        "afvist": afvist,
        "til_tilstand": _til_tilstand(fl, spec),
        "drastisk": spec.drastisk,
        "aktiv_menu": "borgere",
    }
    return render(request, "cases/sag/overgang.html", context)


def _til_tilstand(forloeb, spec: overgange.OvergangSpec) -> str:
    """The phase the transition leads to ("" when the input chooses it, or not from this phase)."""
    if len(spec.til) != 1 or not spec.fra_tilstand(forloeb.tilstand):
        return ""
    return Tilstand(spec.til[0]).label


@never_cache
@login_required
@require_POST
def journalnotat_opret(request, forloeb_pk):
    fl = _hent_forloeb(request, forloeb_pk)
    form = JournalnotatForm(request.POST)
    if form.is_valid():
        try:
            data = dict(form.cleaned_data)
            services.journalnotat_opret(actor=request.user, forloeb=fl, id=data.pop("notat_id"), **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            besked = "Journalnotatet er gemt."
            if not _is_htmx(request):
                messages.success(request, besked)
                return redirect(reverse("cases:borger_detail", args=[fl.borger_id]) + "#tidslinje")
            context = forloeb_kontekst(request, fl.borger) | {"borger": fl.borger, "notat_besked": besked}
            return _htmx_svar(render(request, "cases/sag/_forloeb.html", context))
    if _is_htmx(request):
        context = forloeb_kontekst(request, fl.borger, notat_form=form) | {"borger": fl.borger}
        return _htmx_svar(render(request, "cases/sag/_forloeb.html", context))
    return borger_side(request, fl.borger, notat_form=form)


@never_cache
@login_required
@require_POST
def journalnotat_umasker(request, pk):
    """Show one journal note with the CPR numbers typed into it, after the user gives a reason
    (logged); the citizen page shows them masked."""
    notat = get_object_or_404(journalnotater_for(request.user).select_related("forloeb__borger"), pk=pk)
    borger = notat.forloeb.borger
    try:
        tekst = services.journalnotat_umasker(
            actor=request.user, notat=notat, begrundelse=request.POST.get("begrundelse", "")
        )
    except ValidationError as exc:
        for besked in exc.messages:
            messages.error(request, besked)
        return redirect(reverse("cases:borger_detail", args=[borger.pk]) + "#tidslinje")
    response = render(request, "cases/sag/notat_umaskeret.html", {"notat": notat, "tekst": tekst, "borger": borger})
    response["Cache-Control"] = "no-store"
    return response


def _htmx_svar(response):
    patch_vary_headers(response, ["HX-Request"])
    return response


# ---------------------------------------------------------------------------------------------
# Notifications inbox
# ---------------------------------------------------------------------------------------------
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def notifikationer(request):
    user = request.user
    if request.method == "POST":
        return _marker(request)
    filtre = NotifikationFilterForm(request.GET or None)
    kun_ulaeste = filtre.is_valid() and filtre.cleaned_data.get("vis") == "ulaeste"
    alle = notifikationer_for(user)
    qs = alle.select_related("forloeb__borger").annotate(
        synlig=Exists(forloeb_for(user).filter(pk=OuterRef("forloeb_id")))
    )
    if kun_ulaeste:
        qs = qs.filter(laest__isnull=True)
    side = Paginator(qs.order_by("-oprettet", "-id"), SIDE_STOERRELSE).get_page(request.GET.get("side"))
    i_sammendrag = {str(linje["forloeb"]) for n in side.object_list for linje in n.fristliste or []}
    synlige = {str(fl.pk): fl.borger for fl in forloeb_for(user).filter(pk__in=i_sammendrag).select_related("borger")}
    raekker, laeste = [], list(synlige.values())
    for n in side.object_list:
        borger = n.forloeb.borger if n.forloeb_id and n.synlig else None
        linjer = [_sammendragslinje(linje, synlige) for linje in n.fristliste or []]
        raekker.append(
            {"n": n, "borger": borger, "linjer": linjer, "klasse": NIVEAU_KLASSE.get(n.niveau, "badge-info")}
        )
        laeste += [borger] if borger else []
    audit.record_read(actor=user, handling="forloeb.liste", borgere=laeste)
    params = request.GET.copy()
    params.pop("side", None)
    context = {
        "filtre": filtre,
        "raekker": raekker,
        "side": side,
        "ulaeste": alle.filter(laest__isnull=True).count(),
        "kun_ulaeste": kun_ulaeste,
        "query_uden_side": params.urlencode(),
        "aktiv_menu": "notifikationer",
    }
    return render(request, "cases/sag/notifikationer.html", context)


def _sammendragslinje(linje: dict, synlige: dict) -> dict:
    """One deadline of a team leader's digest: what it is, when it was due, and the citizen (masked
    CPR, linked) only when the reader may still see the forløb."""
    return {
        "navn": linje.get("navn", ""),
        "forfald": datoer.dansk_dato(dt.date.fromisoformat(linje["forfald"])),
        "uden_ejer": linje.get("uden_ejer", False),
        "borger": synlige.get(str(linje["forloeb"])),
    }


def _marker(request):
    """Mark one or all of the user's own notifications read (or one unread again)."""
    qs = notifikationer_for(request.user)
    handling = request.POST.get("handling", "")
    tilbage = reverse("cases:notifikationer")
    if request.POST.get("vis") == "ulaeste":
        tilbage += "?vis=ulaeste"
    if handling == "alle":
        antal = qs.filter(laest__isnull=True).update(laest=timezone.now())
        messages.success(request, f"{antal} notifikation(er) er markeret som læst." if antal else "Alt er læst.")
        return redirect(tilbage)
    try:
        pk = int(request.POST.get("id", ""))
    except ValueError:
        raise Http404("Ukendt notifikation") from None
    n = get_object_or_404(qs, pk=pk)
    if handling == "laest":
        if n.laest is None:
            qs.filter(pk=n.pk).update(laest=timezone.now())
        messages.success(request, f"»{n.titel}« er markeret som læst.")
    elif handling == "ulaest":
        qs.filter(pk=n.pk).update(laest=None)
        messages.success(request, f"»{n.titel}« er markeret som ulæst.")
    else:
        raise Http404("Ukendt handling")
    return redirect(tilbage)
