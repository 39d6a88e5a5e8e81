"""Agreements received from external systems (Danish UI): the list, approval (which registers the
employment) and rejection with a reason. Every change goes through ``flexjob.aftaler``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from cases.forms import add_service_errors
from cases.selectors import borgere_for
from infra import audit
from infra.fejl import ForaeldetVersion

from .. import aftaler
from ..forms import AftaleAfvisForm, AftaleBehandlForm, AftaleBekraeftForm, tal_dansk
from ..models import AftaleStatus
from ..selectors import aftaler_for

MAKS_BEHANDLEDE = 20


def _aftaler_synlige(user):
    """The municipality's agreements about citizens this user may see (others are not listed: 404)."""
    return aftaler_for(user).filter(borger__in=borgere_for(user).values("id")).select_related("borger", "klient")


def _aftaler_context(request, *, afvis_form=None, afvis_pk=None, bekraeft_form=None, bekraeft_pk=None) -> dict:
    qs = _aftaler_synlige(request.user)
    modtaget = list(qs.filter(status=AftaleStatus.MODTAGET).order_by("oprettet"))
    behandlede = list(qs.exclude(status=AftaleStatus.MODTAGET).order_by("-behandlet")[:MAKS_BEHANDLEDE])
    raekker = []
    for aftale in modtaget:
        form = (
            afvis_form if afvis_pk == aftale.pk else AftaleAfvisForm(aftale=aftale, initial={"version": aftale.version})
        )
        bekraeft = (
            bekraeft_form
            if bekraeft_pk == aftale.pk
            else AftaleBekraeftForm(aftale=aftale, initial={"version": aftale.version})
        )
        raekker.append({"aftale": aftale, "afvis_form": form, "timer": tal_dansk(aftale.timer_pr_uge),
                        "fleksjob_timer": tal_dansk(aftale.fleksjob_timer), "bekraeft_form": bekraeft,
                        "bekraeftet": not aftaler.bekraeftelser_mangler(aftale)})  # fmt: skip
    audit.record_read(
        actor=request.user, handling="aftale.liste", borgere={a.borger_id for a in [*modtaget, *behandlede]}
    )
    return {
        "raekker": raekker,
        "behandlede": behandlede,
        "afvis_form": afvis_form,
        "bekraeft_form": bekraeft_form,
        "aktiv_menu": "aftaler",
    }


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


@never_cache
@login_required
@require_POST
def aftale_bekraeft(request, pk):
    """Register a party's confirmation the jobcenter received (e.g. a signed AB 325)."""
    aftale = get_object_or_404(_aftaler_synlige(request.user), pk=pk)
    form = AftaleBekraeftForm(request.POST, aftale=aftale)
    if form.is_valid():
        try:
            aftaler.aftale_bekraeft(
                actor=request.user, aftale=aftale, part=form.cleaned_data["part"], af=form.cleaned_data["af"],
                expected_version=form.cleaned_data["version"],
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        except (aftaler.AftaleFejl, ForaeldetVersion, PermissionDenied) as exc:
            messages.error(request, str(exc))
            return redirect("flexjob:aftaler")
        else:
            messages.success(request, f"Bekræftelsen af aftalen med {aftale.virksomhed_navn} er registreret.")
            return redirect("flexjob:aftaler")
    ctx = _aftaler_context(request, bekraeft_form=form, bekraeft_pk=aftale.pk)
    return render(request, "flexjob/aftaler.html", ctx)
