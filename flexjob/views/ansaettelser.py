"""Employments in fleksjob (Danish UI): registering one with its employer (one service finds or
creates the employer and creates the employment), the employment page, follow-ups, and the
arbejdsevnevurdering editor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from cases.forms import add_service_errors
from cases.models import Tilstand
from decisions import spoergsmaal
from decisions.models import DokumentStatus
from infra import audit, datoer

from .. import selectors, services
from ..forms import (
    ANTAL_MILEPAELE,
    ANTAL_OPFOELGNINGER,
    ANTAL_SKAANEHENSYN,
    VURDERING_TEKSTFELTER,
    AnsaettelseForm,
    OpfoelgningForm,
    VurderingForm,
    tal_dansk,
)
from ..models import Arbejdsevnevurdering
from .faelles import (
    aabne_frister,
    effektive_timer_tekst,
    hent_ansaettelse,
    hent_forloeb,
    vurdering_visning,
    vurderinger_af,
)


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
    forloeb = hent_forloeb(request, forloeb_pk)
    form = AnsaettelseForm(request.POST or None, opslag_url=reverse("flexjob:virksomhed_opslag"))
    if request.method == "POST" and form.is_valid():
        try:
            d = form.cleaned_data
            a = services.ansaettelse_med_virksomhed_opret(
                actor=request.user, forloeb=forloeb, cvr=d["cvr"], navn=d.get("navn") or "",
                p_nummer=d.get("p_nummer") or "", kontaktperson=d.get("kontaktperson") or "",
                telefon=d.get("telefon") or "", email=d.get("email") or "", start=d["start"], slut=d["slut"],
                loennede_timer=d["loennede_timer"], intensitet=d["intensitet"], opgaver=d["opgaver"],
                timer_begrundelse=d["timer_begrundelse"],
            )  # fmt: skip
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
    a = hent_ansaettelse(request, pk)
    return _ansaettelse_side(request, a, OpfoelgningForm())


def _ansaettelse_side(request, a, opfoelgning_form):
    audit.record_read(actor=request.user, handling="ansaettelse.laes", borgere=[a.forloeb.borger_id], subject=a)
    vurderinger = vurderinger_af(a)
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
            "vurderinger": [vurdering_visning(v) for v in vurderinger],
            "seneste": seneste,
            "mangler": mangler_med_links(services.mangler(seneste, actor=request.user), seneste) if kladde else [],
            "spoergsmaal": spoergsmaal.visning(seneste.dokument) if seneste else [],
            "advarsler": services.advarsler(seneste) if seneste else [],
            "frister": aabne_frister(a),
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
    a = hent_ansaettelse(request, pk)
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


#: Fields of the decision itself (edited in the decision editor, not in the assessment form).
DOKUMENT_FELTER = {"titel", "tekst", "hovedhensyn", "lovhenvisninger", "fakta", "fuldt_medhold", "sagsbehandler"}
#: Content fields whose editor input has another name.
FORM_FELT = {"skaanehensyn": "hensyn_1", "milepaele": "milepael_dato_1", "opfoelgningsdatoer": "opfoelgning_1"}


def mangler_med_links(mangler: list[dict], v: Arbejdsevnevurdering) -> list[dict]:
    """Each missing element with a link to where it is fixed: the decision editor (the begrundelse and
    the prompts), else the assessment form's field."""
    dokument_url = reverse("decisions:dokument", args=[v.dokument_id])
    vurdering_url = reverse("flexjob:vurdering_opret", args=[v.ansaettelse_id])
    ud = []
    for m in mangler:
        felt = m.get("felt") or ""
        rod = felt.split(".")[0]
        if rod in DOKUMENT_FELTER or felt.startswith("svar."):
            anker = "#spoergsmaal" if felt.startswith("svar.") else ""
            ud.append(m | {"link": dokument_url + anker, "link_tekst": "Ret i afgørelsen"})
        elif felt:
            ud.append(m | {"link": f"{vurdering_url}#id_{FORM_FELT.get(rod, rod)}", "link_tekst": "Ret i vurderingen"})
        else:
            ud.append(m | {"link": "", "link_tekst": ""})
    return ud


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
    initial |= {
        "loen_bekraeftet": v.loen_bekraeftet,
        "inddragelse_moede_dato": v.inddragelse_moede_dato,
        "tidligere_bevillinger": [str(pk) for pk in v.tidligere_bevillinger.values_list("pk", flat=True)],
    }
    for i, h in enumerate((v.skaanehensyn or [])[:ANTAL_SKAANEHENSYN], start=1):
        if isinstance(h, dict):
            initial[f"hensyn_{i}"] = h.get("hensyn", "")
            initial[f"imoedekommet_{i}"] = h.get("imoedekommet", "")
    for i, m in enumerate((v.milepaele or [])[:ANTAL_MILEPAELE], start=1):
        if isinstance(m, dict):
            initial[f"milepael_dato_{i}"] = m.get("dato", "")
            initial[f"milepael_{i}"] = m.get("beskrivelse", "")
    for i, d in enumerate((v.opfoelgningsdatoer or [])[:ANTAL_OPFOELGNINGER], start=1):
        initial[f"opfoelgning_{i}"] = d
    return initial


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def vurdering_opret(request, pk):
    """The arbejdsevnevurdering editor: the first assessment, the draft, or a new version (reassessment)."""
    a = hent_ansaettelse(request, pk)
    vurderinger = vurderinger_af(a)
    seneste = vurderinger[0] if vurderinger else None
    if seneste is None:
        tilstand = "ny"
    elif seneste.dokument.status == DokumentStatus.KLADDE:
        tilstand = "kladde"
    else:
        tilstand = "revurdering"
    revurdering = tilstand == "revurdering"
    visitation = a.visitation
    bevillinger = list(selectors.bevillinger_for(request.user).filter(borger_id=a.forloeb.borger_id))

    if request.method == "POST":
        form = VurderingForm(request.POST, revurdering=revurdering, bevillinger=bevillinger)
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
                "vaerktoej": "kl_ab325" if a.aftale_id and "325" in (a.aftale.blanket or "") else "",
            }
        form = VurderingForm(initial=initial, revurdering=revurdering, bevillinger=bevillinger)
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
