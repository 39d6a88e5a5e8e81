"""The caseworker's fleksjob pages (Danish UI): overview, employment, arbejdsevnevurdering, agreements.

Reads go through the scoped selectors (another team's or municipality's forløb is a 404) and are
logged with ``audit.record_read``; every change goes through ``flexjob.services`` / ``flexjob.aftaler``.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from cases.forms import add_service_errors
from cases.models import Tilstand
from cases.selectors import borgere_for, forloeb_for
from decisions.models import DokumentStatus
from infra import audit, datoer
from infra.fejl import ForaeldetVersion

from . import aftaler, rules, selectors, services
from .forms import (
    ANTAL_SKAANEHENSYN,
    VURDERING_TEKSTFELTER,
    AftaleAfvisForm,
    AftaleBehandlForm,
    AnsaettelseForm,
    OpfoelgningForm,
    VisitationForm,
    VurderingForm,
    parse_timer,
    tal_dansk,
)
from .models import AftaleStatus, Arbejdsevnevurdering
from .selectors import aftaler_for

MAKS_BEHANDLEDE = 20


# ---------------------------------------------------------------------------------------------
# Reads
# ---------------------------------------------------------------------------------------------
def _hent_forloeb(request, pk):
    return get_object_or_404(forloeb_for(request.user).select_related("borger", "team", "sagsbehandler"), pk=pk)


def _hent_ansaettelse(request, pk):
    return get_object_or_404(
        selectors.ansaettelser_for(request.user).select_related("forloeb__team", "forloeb__sagsbehandler"), pk=pk
    )


def effektive_timer_tekst(timer, intensitet) -> str | None:
    """The service's computation (hours × intensity), formatted Danish: '7,50'; None if not computable."""
    t = parse_timer(timer) if not hasattr(timer, "quantize") else timer
    if t is None or t <= 0 or t != t.quantize(Decimal("0.1")) or rules.intensitet_fejl(intensitet):
        return None
    return tal_dansk(rules.effektive_timer(t, int(str(intensitet).strip())), 2)


def _vurderinger(ansaettelse) -> list[Arbejdsevnevurdering]:
    return list(ansaettelse.vurderinger.select_related("dokument").order_by("-version"))


def _frister(ansaettelse) -> list:
    return list(selectors.aabne_frister(ansaettelse).select_related("definition"))


def _vurdering_visning(v: Arbejdsevnevurdering) -> dict:
    return {
        "v": v,
        "timer": tal_dansk(v.timer),
        "job_timer": tal_dansk(v.job_timer),
        "effektive": tal_dansk(v.effektive_timer, 2),
        "kladde": v.dokument.status == DokumentStatus.KLADDE,
    }


# ---------------------------------------------------------------------------------------------
# Overview
# ---------------------------------------------------------------------------------------------
def _oversigt_context(request, forloeb, visitation_form=None) -> dict:
    visitationer = list(
        forloeb.visitationer.select_related("afgoerelse").prefetch_related("ledighedsperioder").order_by("-dato")
    )
    visitation = visitationer[0] if visitationer else None
    perioder = []
    for v in visitationer:
        for p in v.ledighedsperioder.all():
            slut = p.slut or datoer.idag()
            perioder.append({"p": p, "dage": max((slut - p.start).days, 0), "aaben": p.slut is None})
    perioder.sort(key=lambda r: r["p"].start, reverse=True)
    ansaettelser = []
    for a in forloeb.ansaettelser.select_related("virksomhed").order_by("-start"):
        vurderinger = _vurderinger(a)
        ansaettelser.append(
            {
                "a": a,
                "timer": tal_dansk(a.loennede_timer),
                "vurdering": _vurdering_visning(vurderinger[0]) if vurderinger else None,
                "frister": _frister(a),
            }
        )
    kan_visitere = forloeb.tilstand == Tilstand.FLEKSJOB
    if visitation_form is None and kan_visitere:
        visitation_form = VisitationForm(forloeb=forloeb)
    if visitation_form is not None and not visitation_form.fields["afgoerelse"].queryset.exists():
        visitation_form = None
    return {
        "forloeb": forloeb,
        "borger": forloeb.borger,
        "visitation": visitation,
        "visitation_timer": tal_dansk(visitation.baseline_timer) if visitation else "",
        "visitation_effektive": (
            tal_dansk(rules.effektive_timer(visitation.baseline_timer, visitation.baseline_intensitet), 2)
            if visitation
            else ""
        ),
        "ventetid": selectors.ventetid(visitation) if visitation else None,
        "perioder": perioder,
        "ansaettelser": ansaettelser,
        "kan_ansaette": kan_visitere and visitation is not None,
        "visitation_form": visitation_form,
        "idag": datoer.idag(),
        "aktiv_menu": "borgere",
    }


@never_cache
@login_required
@require_http_methods(["GET"])
def oversigt(request, forloeb_pk):
    forloeb = _hent_forloeb(request, forloeb_pk)
    audit.record_read(actor=request.user, handling="fleksjob.oversigt", borgere=[forloeb.borger_id], subject=forloeb)
    return render(request, "flexjob/oversigt.html", _oversigt_context(request, forloeb))


@never_cache
@login_required
@require_POST
def visitation_opret(request, forloeb_pk):
    forloeb = _hent_forloeb(request, forloeb_pk)
    form = VisitationForm(request.POST, forloeb=forloeb)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.visitation_opret(
                actor=request.user,
                forloeb=forloeb,
                afgoerelse=data["afgoerelse"],
                baseline_timer=data["baseline_timer"],
                baseline_intensitet=data["baseline_intensitet"],
                meget_begraenset=data["meget_begraenset"],
                permanent=data["permanent"],
                ledighedsydelse_fra=data["ledighedsydelse_fra"],
                dato=data["dato"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Visitationen er registreret, og perioden med ledighedsydelse er startet.")
            return redirect("flexjob:oversigt", forloeb_pk=forloeb.pk)
    audit.record_read(actor=request.user, handling="fleksjob.oversigt", borgere=[forloeb.borger_id], subject=forloeb)
    return render(request, "flexjob/oversigt.html", _oversigt_context(request, forloeb, visitation_form=form))


# ---------------------------------------------------------------------------------------------
# Employment
# ---------------------------------------------------------------------------------------------
def _virksomhed_og_ansaettelse(request, forloeb, data):
    """Find or create the employer and create the employment: both or nothing, every error at once."""
    kendt = (
        selectors.virksomheder_for(request.user).filter(cvr=data["cvr"], p_nummer=data.get("p_nummer") or "").first()
    )
    navn = (data.get("navn") or "").strip() or (kendt.navn if kendt else "")
    with transaction.atomic():
        fejl: dict[str, list] = {}
        virksomhed = None
        try:
            virksomhed = services.virksomhed_find_eller_opret(
                actor=request.user, kommune_id=forloeb.kommune_id, cvr=data["cvr"], navn=navn,
                p_nummer=data.get("p_nummer") or "", kontaktperson=data.get("kontaktperson") or "",
                telefon=data.get("telefon") or "", email=(data.get("email") or "").strip(),
            )  # fmt: skip
        except ValidationError as exc:
            fejl.update(exc.message_dict)
        try:
            # Without an employer the service only validates (it always refuses before writing), so
            # the user sees the employment's own errors together with the employer's.
            ansaettelse = services.ansaettelse_opret(
                actor=request.user, forloeb=forloeb, virksomhed=virksomhed, start=data["start"], slut=data["slut"],
                loennede_timer=data["loennede_timer"], intensitet=data["intensitet"], opgaver=data["opgaver"],
                timer_begrundelse=data["timer_begrundelse"],
            )  # fmt: skip
        except ValidationError as exc:
            d = exc.message_dict
            if virksomhed is None:
                d.pop("virksomhed", None)
            fejl.update(d)
        if fejl:
            raise ValidationError(fejl)  # rolls back a newly created employer too
    return ansaettelse


@never_cache
@login_required
@require_http_methods(["GET"])
def virksomhed_opslag(request):
    """htmx fragment for the employment form: is this CVR (and P-number) a known employer?"""
    cvr = (request.GET.get("cvr") or "").strip().replace(" ", "")[:11]
    p_nummer = (request.GET.get("p_nummer") or "").strip().replace(" ", "")[:12]
    kendt, fejl = None, ""
    if cvr:
        fejl = services.virksomhed_fejl(cvr=cvr, navn="-").get("cvr", "")
        if not fejl:
            kendt = selectors.virksomheder_for(request.user).filter(cvr=cvr, p_nummer=p_nummer).first()
    return render(
        request, "flexjob/_virksomhed_opslag.html", {"cvr": cvr, "p_nummer": p_nummer, "kendt": kendt, "fejl": fejl}
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def ansaettelse_opret(request, forloeb_pk):
    forloeb = _hent_forloeb(request, forloeb_pk)
    form = AnsaettelseForm(request.POST or None, opslag_url=reverse("flexjob:virksomhed_opslag"))
    if request.method == "POST" and form.is_valid():
        try:
            a = _virksomhed_og_ansaettelse(request, forloeb, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Ansættelsen hos {a.virksomhed.navn} er registreret.")
            return redirect("flexjob:ansaettelse", pk=a.pk)
    audit.record_read(actor=request.user, handling="fleksjob.oversigt", borgere=[forloeb.borger_id], subject=forloeb)
    visitation = services.aktuel_visitation(forloeb)
    return render(
        request,
        "flexjob/ansaettelse_form.html",
        {
            "form": form,
            "forloeb": forloeb,
            "borger": forloeb.borger,
            "visitation": visitation,
            "kan_ansaette": forloeb.tilstand == Tilstand.FLEKSJOB and visitation is not None,
            "aktiv_menu": "borgere",
        },
    )


@never_cache
@login_required
@require_http_methods(["GET"])
def ansaettelse(request, pk):
    a = _hent_ansaettelse(request, pk)
    return _ansaettelse_side(request, a, OpfoelgningForm())


def _ansaettelse_side(request, a, opfoelgning_form):
    audit.record_read(actor=request.user, handling="ansaettelse.laes", borgere=[a.forloeb.borger_id], subject=a)
    vurderinger = _vurderinger(a)
    seneste = vurderinger[0] if vurderinger else None
    kladde = seneste is not None and seneste.dokument.status == DokumentStatus.KLADDE
    return render(
        request,
        "flexjob/ansaettelse.html",
        {
            "a": a,
            "forloeb": a.forloeb,
            "borger": a.forloeb.borger,
            "timer": tal_dansk(a.loennede_timer),
            "vurderinger": [_vurdering_visning(v) for v in vurderinger],
            "seneste": seneste,
            "mangler": services.mangler(seneste) if kladde else [],
            "advarsler": services.advarsler(seneste) if seneste else [],
            "frister": _frister(a),
            "opfoelgning_form": opfoelgning_form,
            "idag": datoer.idag(),
            "aktiv_menu": "borgere",
        },
    )


@never_cache
@login_required
@require_POST
def opfoelgning_opret(request, pk):
    """A follow-up meeting in the fleksjob was held: meets the follow-up deadlines."""
    a = _hent_ansaettelse(request, pk)
    form = OpfoelgningForm(request.POST)
    if form.is_valid():
        try:
            services.opfoelgning_holdt(
                actor=request.user, ansaettelse=a, dato=form.cleaned_data["dato"], referat=form.cleaned_data["referat"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Opfølgningen er registreret.")
            return redirect("flexjob:ansaettelse", pk=a.pk)
    return _ansaettelse_side(request, a, form)


# ---------------------------------------------------------------------------------------------
# Arbejdsevnevurdering
# ---------------------------------------------------------------------------------------------
def _initial_fra(v: Arbejdsevnevurdering) -> dict:
    initial = {
        "timer": tal_dansk(v.timer),
        "intensitet": v.intensitet,
        "job_timer": tal_dansk(v.job_timer),
        "job_intensitet": v.job_intensitet,
        "mentor_timer_pr_uge": tal_dansk(v.mentor_timer_pr_uge),
        "mentor_varighed_uger": v.mentor_varighed_uger,
    }
    initial |= {f: getattr(v, f) for f in VURDERING_TEKSTFELTER}
    for i, h in enumerate((v.skaanehensyn or [])[:ANTAL_SKAANEHENSYN], start=1):
        if isinstance(h, dict):
            initial[f"hensyn_{i}"] = h.get("hensyn", "")
            initial[f"imoedekommet_{i}"] = h.get("imoedekommet", "")
    return initial


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def vurdering_opret(request, pk):
    """The arbejdsevnevurdering editor: the first assessment, the draft, or a new version (reassessment)."""
    a = _hent_ansaettelse(request, pk)
    vurderinger = _vurderinger(a)
    seneste = vurderinger[0] if vurderinger else None
    if seneste is None:
        tilstand = "ny"
    elif seneste.dokument.status == DokumentStatus.KLADDE:
        tilstand = "kladde"
    else:
        tilstand = "revurdering"
    revurdering = tilstand == "revurdering"
    visitation = a.visitation

    if request.method == "POST":
        form = VurderingForm(request.POST, revurdering=revurdering)
        if form.is_valid():
            felter = form.service_felter()
            try:
                if tilstand == "ny":
                    v = services.arbejdsevnevurdering_opret(actor=request.user, ansaettelse=a, **felter)
                elif tilstand == "kladde":
                    v = services.arbejdsevnevurdering_opdater(actor=request.user, vurdering=seneste, **felter)
                else:
                    v = services.arbejdsevnevurdering_revurder(
                        actor=request.user,
                        forrige=seneste,
                        faelles_anmodning=form.cleaned_data["faelles_anmodning"],
                        **felter,
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    f"Arbejdsevnevurderingen (version {v.version}) er gemt som kladde til afgørelse: "
                    f"{tal_dansk(v.effektive_timer, 2)} effektive timer pr. uge.",
                )
                return redirect("flexjob:ansaettelse", pk=a.pk)
        timer_raw, intensitet_raw = form.data.get("timer"), form.data.get("intensitet")
    else:
        if seneste is not None:
            initial = _initial_fra(seneste)
            if revurdering:  # the job's hours and intensity follow the employment
                initial["job_timer"] = tal_dansk(a.loennede_timer)
                initial["job_intensitet"] = a.intensitet or seneste.job_intensitet
        else:
            initial = {
                "timer": tal_dansk(visitation.baseline_timer),
                "intensitet": visitation.baseline_intensitet,
                "job_timer": tal_dansk(a.loennede_timer),
                "job_intensitet": a.intensitet or "",
                "opgaver": a.opgaver,
                "timer_begrundelse": a.timer_begrundelse,
            }
        form = VurderingForm(initial=initial, revurdering=revurdering)
        timer_raw, intensitet_raw = initial.get("timer"), initial.get("intensitet")

    audit.record_read(actor=request.user, handling="ansaettelse.laes", borgere=[a.forloeb.borger_id], subject=a)
    return render(
        request,
        "flexjob/vurdering_form.html",
        {
            "form": form,
            "a": a,
            "forloeb": a.forloeb,
            "borger": a.forloeb.borger,
            "visitation": visitation,
            "baseline_timer": tal_dansk(visitation.baseline_timer),
            "seneste": seneste,
            "tilstand": tilstand,
            "ny_version": (seneste.version + 1) if revurdering else (seneste.version if seneste else 1),
            "effektive": effektive_timer_tekst(timer_raw, intensitet_raw),
            "afvigelse_besked": (
                "Jobbets timer eller arbejdsintensitet afviger fra den vurderede arbejdsevne; begrund afvigelsen."
            ),
            "aktiv_menu": "borgere",
        },
    )


# ---------------------------------------------------------------------------------------------
# Agreements
# ---------------------------------------------------------------------------------------------
def _aftaler_synlige(user):
    """The municipality's agreements about citizens this user may see (others are not listed: 404)."""
    return aftaler_for(user).filter(borger__in=borgere_for(user).values("id")).select_related("borger", "klient")


def _aftaler_context(request, *, afvis_form=None, afvis_pk=None) -> dict:
    qs = _aftaler_synlige(request.user)
    modtaget = list(qs.filter(status=AftaleStatus.MODTAGET).order_by("oprettet"))
    behandlede = list(qs.exclude(status=AftaleStatus.MODTAGET).order_by("-behandlet")[:MAKS_BEHANDLEDE])
    raekker = []
    for aftale in modtaget:
        form = (
            afvis_form if afvis_pk == aftale.pk else AftaleAfvisForm(aftale=aftale, initial={"version": aftale.version})
        )
        raekker.append({"aftale": aftale, "afvis_form": form, "timer": tal_dansk(aftale.timer_pr_uge),
                        "fleksjob_timer": tal_dansk(aftale.fleksjob_timer)})  # fmt: skip
    audit.record_read(
        actor=request.user, handling="aftale.liste", borgere={a.borger_id for a in [*modtaget, *behandlede]}
    )
    return {"raekker": raekker, "behandlede": behandlede, "afvis_form": afvis_form, "aktiv_menu": "aftaler"}


@never_cache
@login_required
@require_http_methods(["GET"])
def aftaler_liste(request):
    return render(request, "flexjob/aftaler.html", _aftaler_context(request))


def _behandl(request, pk, funktion, **kwargs):
    aftale = get_object_or_404(_aftaler_synlige(request.user), pk=pk)
    form = AftaleBehandlForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        return funktion(actor=request.user, aftale=aftale, expected_version=version, **kwargs), None
    except aftaler.AftaleFejl as exc:
        besked = str(exc)
        if exc.grunde:
            besked += " " + " ".join(exc.grunde)
        messages.error(request, besked)
    except ForaeldetVersion as exc:
        messages.error(request, str(exc))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or "Du har ikke adgang til at behandle aftalen.")
    return None, aftale


@never_cache
@login_required
@require_POST
def aftale_godkend(request, pk):
    aftale, _ = _behandl(request, pk, aftaler.aftale_godkend)
    if aftale is not None:
        ansaettelse = getattr(aftale, "ansaettelse", None)
        if ansaettelse is not None:
            messages.success(
                request,
                f"Aftalen med {aftale.virksomhed_navn} er godkendt, og ansættelsen er oprettet. "
                "Fristen for arbejdsevnevurderingen er startet.",
            )
            return redirect("flexjob:ansaettelse", pk=ansaettelse.pk)
        messages.success(request, f"Aftalen med {aftale.virksomhed_navn} er godkendt.")
    return redirect("flexjob:aftaler")


@never_cache
@login_required
@require_POST
def aftale_afvis(request, pk):
    aftale = get_object_or_404(_aftaler_synlige(request.user), pk=pk)
    form = AftaleAfvisForm(request.POST, aftale=aftale)
    if form.is_valid():
        try:
            aftaler.aftale_afvis(
                actor=request.user,
                aftale=aftale,
                begrundelse=form.cleaned_data["begrundelse"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except (aftaler.AftaleFejl, ForaeldetVersion) as exc:
            messages.error(request, str(exc))
            return redirect("flexjob:aftaler")
        except PermissionDenied as exc:
            messages.error(request, str(exc) or "Du har ikke adgang til at behandle aftalen.")
            return redirect("flexjob:aftaler")
        else:
            messages.success(request, f"Aftalen med {aftale.virksomhed_navn} er afvist.")
            return redirect("flexjob:aftaler")
    return render(request, "flexjob/aftaler.html", _aftaler_context(request, afvis_form=form, afvis_pk=aftale.pk))
