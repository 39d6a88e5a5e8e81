"""Every public service that changes citizen data writes an audit row.

The services are DISCOVERED: every public function with an ``actor`` parameter in the service
modules below. A scenario calls each of them once through ``maal``, which records the audit rows
written during the call. A discovered service that the scenario does not call and that is not in
``UDEN_AENDRING`` (with the reason) fails the test, so a new service cannot slip in unaudited.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import uuid
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from cases import services as cases_services
from cases.api.auth import KlientPrincipal
from cases.models import NotatType, Rolle
from decisions import klager
from decisions import services as decisions
from decisions.models import DokumentType
from flexjob import aftaler
from flexjob import services as flex
from infra import cpr as cprlib
from infra import datoer
from infra.models import AuditEntry
from rehab import services as rehab
from tests import factories
from tests.factories import dag
from webhooks import services as webhooks
from webhooks.models import LeveringStatus, WebhookAbonnement, WebhookLevering

from .conftest import CVR, api_klient, send

pytestmark = pytest.mark.django_db

SERVICE_MODULER = [
    "cases.services.borger",
    "cases.services.forloeb",
    "rehab.services",
    "decisions.services",
    "decisions.klager",
    "flexjob.services",
    "flexjob.aftaler",
    "webhooks.services",
]

# Public functions with an ``actor`` parameter that change nothing (with the reason).
UDEN_AENDRING: dict[str, str] = {
    "cases.services.forloeb.mulige_overgange": "lists the transitions out of the state the actor may take; read-only",
    "cases.services.forloeb.tilladte_overgange": "lists the transitions open to the actor; read-only",
    "flexjob.aftaler.aftale_fejl": "validates an agreement payload; writes nothing",
}


def opdagede() -> dict[str, object]:
    out = {}
    for modnavn in SERVICE_MODULER:
        mod = importlib.import_module(modnavn)
        for navn, fn in inspect.getmembers(mod, inspect.isfunction):
            if navn.startswith("_") or fn.__module__ != modnavn:
                continue
            if "actor" in inspect.signature(fn).parameters:
                out[f"{modnavn}.{navn}"] = fn
    return out


class Maaler:
    """Calls a service and keeps the audit rows written during the call."""

    def __init__(self):
        self.rows: dict[str, list[AuditEntry]] = {}

    def __call__(self, fn, **kwargs):
        foer = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        result = fn(**kwargs)
        self.rows[f"{fn.__module__}.{fn.__name__}"] = list(AuditEntry.objects.filter(id__gt=foer))
        return result


def test_opdagelsen_finder_tjenesterne():
    navne = set(opdagede())
    assert {
        "cases.services.borger.borger_opret",
        "cases.services.forloeb.forloeb_overgang",
        "rehab.services.indstilling_registrer",
        "decisions.services.dokument_udsted",
        "decisions.klager.klage_modtag",
        "flexjob.services.ansaettelse_opret",
        "flexjob.aftaler.aftale_godkend",
    } <= navne
    assert len(navne) >= 35


def test_hver_tjeneste_der_aendrer_borgerdata_skriver_en_auditlinje(team, andet_team, ur, settings, tmp_path):
    maal = Maaler()
    sb = factories.medarbejder(team, Rolle.SAGSBEHANDLER)
    leder = factories.medarbejder(team, Rolle.TEAMLEDER)
    kollega = factories.medarbejder(team, Rolle.SAGSBEHANDLER)

    # --- citizen --------------------------------------------------------------------------
    b = maal(
        cases_services.borger_opret,
        actor=sb,
        team=team,
        cpr=factories.fiktivt_cpr(),
        fornavn="Audit",
        efternavn="Fiktivsen",
        fiktiv=True,
    )
    b = maal(cases_services.borger_opdater, actor=sb, borger=b, adresse="Fiktivvej 2", postnummer="9000", by="Aalborg")
    maal(cases_services.borger_cpr_vis, actor=sb, borger=b, begrundelse="Opslag i eIndkomst")
    maal(
        cases_services.paaroerende_opret,
        actor=sb,
        borger=b,
        navn="Pårørende Fiktiv",
        relation="paaroerende",
        samtykke_dato=dag(1),
        samtykke_omfang="Hele sagen",
    )

    # --- forløb to indstilling -----------------------------------------------------------
    fl = maal(cases_services.forloeb_opret, actor=sb, borger=b, sagsbehandler=sb)
    maal(
        cases_services.forloeb_overgang,
        actor=sb,
        forloeb=fl,
        overgang="start_forberedende_plan",
        data={"dato": dag(0).isoformat()},
        idag=dag(0),
    )
    fl.refresh_from_db()
    from rehab.models import SEKTIONER

    fd = maal(rehab.forberedende_del_opret, actor=sb, forloeb=fl)
    maal(
        rehab.forberedende_del_opdater,
        actor=sb,
        forberedende_del=fd,
        skrevet_med_borger_dato=fl.forberedende_plan_start,
        **{navn: f"{label}: beskrevet." for navn, label in SEKTIONER},
    )
    maal(
        rehab.bilag_tilfoej,
        actor=sb,
        forberedende_del=fd,
        type="lae265",
        titel="LÆ 265",
        dokument_dato=fl.forberedende_plan_start,
        kilde="egen_laege",
        fil=ContentFile(b"%PDF-1.4 fiktiv", name="lae265.pdf"),
    )
    maal(
        cases_services.journalnotat_opret,
        actor=sb,
        forloeb=fl,
        type=NotatType.TELEFON,
        overskrift="Samtale",
        tekst="Borgeren fortæller.",
    )
    maal(
        rehab.moededag_opret,
        actor=leder,
        dato=datoer.idag() + dt.timedelta(days=30),
        kapacitet=5,
        sted="Jobcentret",
        medlemmer=[("Sundhedskoordinator Fiktiv", "sundhedskoordinator"), ("Konsulent Fiktiv", "beskaeftigelse")],
    )
    foerste = factories.moededag(fl.borger.kommune, dag(26))
    md = factories.moededag(fl.borger.kommune, dag(28))
    booking = maal(rehab.moede_book, actor=sb, forloeb=fl, moededag=foerste, idag=dag(7))
    booking = maal(rehab.moede_flyt, actor=sb, booking=booking, moededag=md, aarsag="Borgeren er syg.", idag=dag(8))
    ur(dag(28))
    maal(
        rehab.moede_afholdt,
        actor=sb,
        booking=booking,
        borger_til_stede=True,
        deltagere=list(md.medlemmer.values_list("pk", flat=True)),
        referat="Borgeren deltog.",
    )
    from rehab.rules import KRAV

    indhold = {f: factories.INDHOLD[f] for f, _ in KRAV.get("fleksjob", [])}
    indstilling = maal(
        rehab.indstilling_registrer,
        actor=sb,
        forloeb=fl,
        udfald="fleksjob",
        dato=dag(28),
        idag=dag(28),
        **indhold,
    )

    # --- partshøring, letters and decision ------------------------------------------------
    ur(dag(29))
    ph = maal(
        rehab.partshoering_opret,
        actor=sb,
        forloeb=fl,
        grundlag=[{"tekst": "Teamets vurdering", "kilde_type": "indstilling", "kilde_id": str(indstilling.pk)}],
    )
    maal(decisions.dokument_udsted, actor=sb, dokument=ph.brev, idag=dag(29))
    pdf = decisions.dokument_render_pdf(ph.brev.pk)
    maal(decisions.dokument_afsend, actor=sb, dokument=pdf, kanal="udleveret")
    ur(dag(35))
    maal(rehab.partshoering_svar, actor=sb, partshoering=ph, dato=dag(35), tekst="Jeg er uenig.")
    ur(dag(40))
    d = maal(
        decisions.dokument_opret,
        actor=sb,
        forloeb=fl,
        type=DokumentType.FLEKSJOB_AFSLAG,
        tekst="Afgørelse: afslag på fleksjob.",
        hovedhensyn="Vi har lagt vægt på teamets vurdering.",
        lovhenvisninger=["lab_116", "fvl_22_24"],
        fakta=[{"tekst": "Teamets vurdering.", "kilde_type": "indstilling", "kilde_id": str(indstilling.pk)}],
    )
    d = maal(decisions.dokument_opdater, actor=sb, dokument=d, tekst="Afgørelse: afslag på fleksjob (rettet).")
    afgoerelse = maal(decisions.dokument_udsted, actor=sb, dokument=d, idag=dag(40))
    ur(dag(42))
    send(afgoerelse, sb)

    # --- complaint ----------------------------------------------------------------------
    ur(dag(50))
    klage = maal(
        klager.klage_modtag, actor=sb, afgoerelse=afgoerelse, modtaget_dato=dag(50), kanal="brev", indhold="Klage."
    )
    ur(dag(60))
    klage = maal(
        klager.klage_genvurder,
        actor=sb,
        klage=klage,
        resultat="fastholdt",
        begrundelse="Arbejdsevnen er ikke nedsat nok.",
        idag=dag(60),
    )
    ur(dag(65))
    klage = maal(klager.klage_send_til_ankestyrelsen, actor=sb, klage=klage, idag=dag(65))
    ur(dag(100))
    maal(klager.klage_ankestyrelsens_resultat, actor=sb, klage=klage, resultat="stadfaestet", dato=dag(100))

    # --- reassignment; partshøring exception on a second forløb ----------------------------
    ur.reset()
    maal(cases_services.forloeb_tildel, actor=leder, forloeb=fl, sagsbehandler=kollega, overdragelsesnotat="Ferie.")
    fl2 = factories.forloeb_i("indstilling", team=team, udfald="fleksjob")
    maal(
        rehab.partshoering_undtag,
        actor=fl2.sagsbehandler,
        forloeb=fl2,
        undtagelse="fvl_19_2_nr1",
        begrundelse="Borgeren får fuldt medhold.",
    )

    fl5 = factories.forloeb_i("forberedende_plan", team=team)
    maal(
        cases_services.forloeb_registrer_haendelse,
        actor=fl5.sagsbehandler,
        forloeb=fl5,
        kode="forelagt_rehabiliteringsteam",
        dato=dag(7),
    )

    # --- fleksjob ---------------------------------------------------------------------------
    fl3 = factories.forloeb_i("fleksjob", team=team)
    s3 = fl3.sagsbehandler
    visitation = maal(
        flex.visitation_opret,
        actor=s3,
        forloeb=fl3,
        afgoerelse=fl3.dokumenter.get(type="fleksjob_visitation"),
        dato=dag(40),
        baseline_timer=Decimal("12.5"),
        baseline_intensitet=60,
    )
    assert visitation
    virksomhed = maal(
        flex.virksomhed_find_eller_opret, actor=s3, kommune_id=fl3.kommune_id, cvr=CVR, navn="Fiktiv Bageri ApS"
    )
    ansaettelse = maal(
        flex.ansaettelse_opret,
        actor=s3,
        forloeb=fl3,
        virksomhed=virksomhed,
        start=dag(60),
        loennede_timer=Decimal("12.5"),
        intensitet=60,
        opgaver="Pakning af brød.",
    )
    maal(
        flex.opfoelgning_holdt,
        actor=s3,
        ansaettelse=ansaettelse,
        dato=datoer.laeg_til(dag(60), 3, "maaneder"),
        referat="Det går godt.",
    )
    v1 = maal(
        flex.arbejdsevnevurdering_opret,
        actor=s3,
        ansaettelse=ansaettelse,
        timer=Decimal("12.5"),
        intensitet=60,
        opgaver="Pakning af brød.",
        skaanehensyn=[{"hensyn": "Ingen tunge løft", "imoedekommet": "Kollega løfter."}],
    )
    v1 = maal(flex.arbejdsevnevurdering_opdater, actor=s3, vurdering=v1, opgaver="Pakning og opvask.")
    decisions.dokument_udsted(actor=s3, dokument=v1.dokument)
    maal(
        flex.arbejdsevnevurdering_revurder,
        actor=s3,
        forrige=v1,
        faelles_anmodning=True,
        timer=Decimal("15"),
        intensitet=70,
        afvigelse_begrundelse="Timerne øges gradvist.",
    )

    # --- agreements from an external system -----------------------------------------------
    klient, _ = api_klient(team.jobcenter.kommune, "Vitas")
    principal = KlientPrincipal(klient)
    fl4 = factories.forloeb_i("fleksjob", team=team)
    flex.visitation_opret(
        actor=fl4.sagsbehandler,
        forloeb=fl4,
        afgoerelse=fl4.dokumenter.get(type="fleksjob_visitation"),
        dato=dag(40),
        baseline_timer=Decimal("12.5"),
        baseline_intensitet=60,
    )
    aftale_data = {
        "type": "fleksjob",
        "borger_cpr": cprlib.decrypt(fl4.borger.cpr_krypteret),
        "virksomhed_cvr": CVR,
        "virksomhed_navn": "Fiktiv Bageri ApS",
        "start": dag(90),
        "timer_pr_uge": Decimal("12.5"),
        "opgaver": "Pakning af brød.",
        "formaal": "Fast fleksjob.",
        "fleksjob_timer": Decimal("12.5"),
        "fleksjob_intensitet": 60,
    }
    aftale = maal(aftaler.aftale_modtag, actor=principal, **aftale_data)
    maal(aftaler.aftale_godkend, actor=fl4.sagsbehandler, aftale=aftale)
    aftale2 = aftaler.aftale_modtag(actor=principal, **(aftale_data | {"start": dag(120)}))
    maal(aftaler.aftale_afvis, actor=fl4.sagsbehandler, aftale=aftale2, begrundelse="Dublet.")

    # --- webhooks: replaying a failed delivery ------------------------------------------------
    ab = WebhookAbonnement.objects.create(klient=klient, url="https://modtager.example.invalid/h", haendelser=[])
    lev = WebhookLevering.objects.create(
        abonnement=ab,
        haendelse="forloeb.overgang",
        haendelse_id=uuid.uuid4(),
        payload={},
        status=LeveringStatus.FEJLET,
    )
    maal(webhooks.genafspil, levering=lev, actor=principal)

    # --- the verdict --------------------------------------------------------------------------
    fejl = []
    for navn in sorted(opdagede()):
        if navn in UDEN_AENDRING:
            continue
        if navn not in maal.rows:
            fejl.append(f"{navn}: not exercised here - add it to the scenario (or to UDEN_AENDRING with a reason)")
        elif not maal.rows[navn]:
            fejl.append(f"{navn}: changed data but wrote no AuditEntry")
    assert not fejl, "\n".join(fejl)

    # The rows name who did it and (for citizen data) which citizen it concerned.
    for navn, rows in maal.rows.items():
        for row in rows:
            assert row.handling and row.actor_type, (navn, row.handling)
    for navn in (
        "cases.services.borger.borger_opdater",
        "decisions.services.dokument_udsted",
        "decisions.klager.klage_modtag",
    ):
        assert any(b.pk in r.borger_ids for r in maal.rows[navn]), navn
