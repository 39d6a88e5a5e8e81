"""Every service writes an audit row, and nothing but services writes citizen data.

Services are found by CONVENTION, not from a list: every public function, in any module of the
project's own apps, that takes ``actor`` as a keyword-only argument - the house shape
``<noun>_<verb>(*, actor, ...)``, whether it lives in ``app/services.py``, in an ``app/services/``
package or in a use-case module such as ``decisions/klager.py``. The scenario below calls each one
through ``maal``, which keeps the audit rows written during the call. The test fails when a
discovered service is neither called by the scenario nor listed in ``UDEN_AENDRING`` (with the
reason), or when it was called and wrote no audit row. A function that takes ``actor``
positionally escapes that discovery, so it must be a listed helper too (``HJAELPERE``): a new
service written in the wrong shape fails instead of slipping through.

Writes outside services: the doors (views, API, forms, serializers, admin, Celery tasks, management
commands, selectors, template tags; recognised by their module names) parse input and call a
service. Their source is scanned for ORM writes (``.save()``, ``.delete()``, ``.create()``,
``.update()`` on a queryset, ``bulk_*``, ``get_or_create``, related-manager ``add``/``remove``...);
each write found must be in ``SKRIVER_UDEN_SERVICE`` with the reason. The admin's implicit saves
are covered by checking that it registers no model holding citizen data.

Every list is keyed by app (or module name) and function name, not by file path, so functions that
move between modules of their app keep their entries; an entry that matches nothing any more fails
the test too, so the lists stay short and true.
"""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import inspect
import pkgutil
import types
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.files.base import ContentFile
from django.utils import timezone

from cases import services as cases_services
from cases.api.auth import KlientPrincipal
from cases.cprregister import RegisterPerson
from cases.models import Borger, NotatType, Rolle
from decisions import bestilling, kassering, klager, spoergsmaal, standardtekster, tekstbidrag
from decisions import services as decisions
from decisions.models import DokumentType
from flexjob import aftaler
from flexjob import services as flex
from flexjob.models import Ledighedsydelse, Visitation
from infra import cpr as cprlib
from infra import datoer
from infra.models import AuditEntry
from rehab import services as rehab
from rehab.models import Partshoering
from tests import factories
from tests.factories import dag
from webhooks import services as webhooks
from webhooks.models import LeveringStatus, WebhookLevering

from .conftest import CVR, api_klient, send

# Functions with a keyword-only ``actor`` that change nothing, so write no audit row ("app:function").
UDEN_AENDRING: dict[str, str] = {
    "infra:record": "the audit log itself: every service calls it",
    "infra:record_read": "the read log itself: views call it for what they show",
    "infra:record_teknisk_laesning": "the read log of technical data (the webhook log): views call it",
    "decisions:lint": "checks a draft decision and lists what is missing; writes nothing",
    "decisions:lint_udkast": "lints the editor's unsaved input on an unsaved copy; writes nothing",
    "flexjob:aftale_fejl": "validates an agreement payload; writes nothing",
    "cases:borger_opret_fejl": "lists every reason a citizen registration would be refused; writes nothing",
    "flexjob:mangler": "lists what blocks issuing an assessment's decision (the decision lint); writes nothing",
}

# Functions taking ``actor`` positionally: helpers, not use cases ("app:function").
HJAELPERE: dict[str, str] = {
    "infra:actor_fields": "the audit log's actor columns for an actor",
    "infra:actor_navn": "an actor's display name",
    "rehab:adgang": "refuses a forløb outside the actor's reach; reads only",
    "flexjob:adgang": "refuses a forløb outside the actor's reach; reads only",
    "cases:tilladte_overgange": "lists the transitions open to the actor; read-only",
    "cases:mulige_overgange": "the citizen page's transition buttons; read-only",
    "demo:overgang": "demo/test timeline step that calls forloeb_overgang",
    "decisions:gem": "stores a draft's prompt answers inside dokument_opdater/dokument_opret, which audit them",
    "decisions:udstedt": "runs the issued decision's event and the apps' hooks inside dokument_udsted (audited)",
    "decisions:maa_vedligeholde": "whether the actor is a jurist who maintains standard phrases; read-only",
    "flexjob:visitation_ved_udstedelse": "hook of decisions.dokument_udsted: registers the visitation "
    "(its own audit row) in the issuing service's transaction",
    "flexjob:vurdering_kasseres": "hook of decisions.dokument_kasser: removes the draft assessment "
    "(its own audit row) in the discarding service's transaction",
}

# Writes in doors that do not go through a service ("module.function", the module's own name).
SKRIVER_UDEN_SERVICE: dict[str, str] = {
    "views_sag._marker": "the caseworker marks their own notifications read/unread; no citizen data changes",
    "auth.BearerTokenAuthentication.authenticate": "the API client's last-used time (bookkeeping)",
    "idempotency.idempotent.wrapper": "stores the API's idempotency keys and replies (bookkeeping)",
    "admin.UserAdmin.save_related": "back office: a jurist's group membership and staff flag (staff, not citizens)",
    "admin.RegelkatalogAdmin.kopier_som_ny_version": "back office: copies rule-catalogue rows; audited in place",
    "tasks.health_ping": "the health check's own system.ping audit row",
    "tasks.send_notifikationsmails": "marks notifications mailed (the caseworkers' inbox)",
    "tasks.efter_overgang": "tells the owner about a transition by notification (the caseworkers' inbox)",
    "opret_api_klient.Command._opret": "operator command: creates an API client (configuration); audited in place",
    "opret_api_klient.Command._deaktiver": "operator command: deactivates an API client (configuration); audited in place",
    "cpr_rotate.Command.handle": "operator command: re-encrypts CPR under a new key (same values); audited in place",
    "filer_til_databasen.Command.handle": "operator command at upgrade: copies an earlier node's files into the shared storage (same bytes, checked by SHA-256)",
}


# --- discovery ------------------------------------------------------------------------------------
def projektets_apps() -> list:
    """The Django apps whose code lives in this repository (not Django's own or third parties')."""
    rod = Path(settings.BASE_DIR).resolve()
    # A top-level package of the repository itself (a virtualenv inside the checkout is not ours).
    return [a for a in apps.get_app_configs() if Path(a.path).resolve() == rod / a.name.split(".")[0]]


def projektets_moduler() -> list[types.ModuleType]:
    moduler = []
    for app in projektets_apps():
        moduler.append(app.module)
        for info in pkgutil.walk_packages(app.module.__path__, prefix=f"{app.name}."):
            if ".migrations" in info.name:
                continue
            moduler.append(importlib.import_module(info.name))
    return moduler


def navn(fn) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"


def noegle(fn) -> str:
    """The lists' key: the app and the function's name."""
    return f"{fn.__module__.split('.')[0]}:{fn.__name__}"


def funktioner_med_actor(modul: types.ModuleType) -> tuple[dict[str, object], dict[str, object]]:
    """(services, positional) among the public functions defined in ``modul``: those taking
    ``actor`` keyword-only, and those taking it positionally."""
    tjenester, positionelle = {}, {}
    for fnavn, fn in inspect.getmembers(modul, inspect.isfunction):
        if fnavn.startswith("_") or fn.__module__ != modul.__name__:
            continue
        param = inspect.signature(fn).parameters.get("actor")
        if param is None:
            continue
        if param.kind is inspect.Parameter.KEYWORD_ONLY:
            tjenester[navn(fn)] = fn
        else:
            positionelle[navn(fn)] = fn
    return tjenester, positionelle


def opdagede() -> tuple[dict[str, object], dict[str, object]]:
    tjenester, positionelle = {}, {}
    for modul in projektets_moduler():
        t, p = funktioner_med_actor(modul)
        tjenester |= t
        positionelle |= p
    return tjenester, positionelle


def dom(tjenester: dict, positionelle: dict, rows: dict[str, list]) -> list[str]:
    """What is wrong: services neither exercised nor exempt, exercised without an audit row,
    positional-actor functions that are not listed helpers, and list entries matching nothing."""
    fejl = []
    for n, fn in sorted(tjenester.items()):
        if noegle(fn) in UDEN_AENDRING:
            continue
        if n not in rows:
            fejl.append(f"{n}: a service not exercised here - add it to the scenario (or to UDEN_AENDRING with why)")
        elif not rows[n]:
            fejl.append(f"{n}: changed data but wrote no AuditEntry")
    for n, fn in sorted(positionelle.items()):
        if noegle(fn) not in HJAELPERE:
            fejl.append(f"{n}: takes actor positionally - a service takes it keyword-only (or list it in HJAELPERE)")
    for liste, funne in (("UDEN_AENDRING", tjenester), ("HJAELPERE", positionelle)):
        kendte = {noegle(fn) for fn in funne.values()}
        for k in sorted(set(globals()[liste]) - kendte):
            fejl.append(f"{liste}[{k!r}] matches no function any more - remove it")
    return fejl


def besvarelser(dokument) -> list[dict]:
    """Answers to every prompt of the document's type (a careful caseworker's)."""
    return [
        {"kode": p.kode, "svar": "nej", "begrundelse": "Vurderet i sagen."} for p in spoergsmaal.alle(dokument.type)
    ]


class Maaler:
    """Calls a service and keeps the audit rows written during the call."""

    def __init__(self):
        self.rows: dict[str, list[AuditEntry]] = {}

    def __call__(self, fn, **kwargs):
        foer = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        result = fn(**kwargs)
        self.rows[navn(fn)] = list(AuditEntry.objects.filter(id__gt=foer))
        return result


def test_opdagelsen_finder_tjenesterne_i_moduler_pakker_og_use_case_moduler():
    tjenester, _ = opdagede()
    assert {navn(fn) for fn in (
        cases_services.borger_opret,  # cases/services/ package
        cases_services.forloeb_overgang,
        rehab.indstilling_registrer,  # app/services.py (or package)
        decisions.dokument_udsted,
        klager.klage_modtag,  # a use-case module
        flex.ansaettelse_opret,
        aftaler.aftale_godkend,
        webhooks.genafspil,
    )} <= set(tjenester)  # fmt: skip
    assert len(tjenester) >= 40


def test_dommen_fanger_en_ny_tjeneste_uden_scenarie_uden_audit_eller_med_positionel_actor():
    """The verdict on a made-up module: the test would fail on each kind of mistake."""
    modul = types.ModuleType("cases.proeve")
    exec(  # a fixed, made-up module
        "def sag_opret(*, actor, tekst): ...\n"
        "def sag_luk(*, actor, sag): ...\n"
        "def sag_flyt(actor, sag): ...\n"
        "def _intern(*, actor): ...\n"
        "def tekst_for(sag): ...\n",
        modul.__dict__,  # its functions' __module__ is "cases.proeve"
    )
    tjenester, positionelle = funktioner_med_actor(modul)
    assert set(tjenester) == {"cases.proeve.sag_opret", "cases.proeve.sag_luk"}
    assert set(positionelle) == {"cases.proeve.sag_flyt"}

    fejl = dom(tjenester, positionelle, {"cases.proeve.sag_opret": []})
    assert any(f.startswith("cases.proeve.sag_opret: changed data but wrote no AuditEntry") for f in fejl)
    assert any(f.startswith("cases.proeve.sag_luk: a service not exercised") for f in fejl)
    assert any(f.startswith("cases.proeve.sag_flyt: takes actor positionally") for f in fejl)
    assert any("UDEN_AENDRING['infra:record'] matches no function" in f for f in fejl)  # not in this module


class FastRegister:
    """A CPR register that always answers the same fictitious person."""

    def opslag(self, cpr: str) -> RegisterPerson:
        return RegisterPerson(
            fornavn="Audit", efternavn="Fiktivsen", adresse="Fiktivvej 3", postnummer="9000", by="Aalborg"
        )


@pytest.mark.django_db
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
    # CPR register (a stand-in register: the contract tests run the real adapter against the simulator)
    settings.CPR_REGISTER_ADAPTER = "tests.security.test_audit_every_service.FastRegister"
    maal(cases_services.cpr_opslag, actor=sb, cpr=factories.fiktivt_cpr())
    maal(cases_services.borger_register_opdater, actor=sb, borger=b)
    maal(cases_services.borger_adresse_vis, actor=sb, borger=b, begrundelse="Hjemmebesøg")
    maal(
        cases_services.paaroerende_opret,
        actor=sb,
        borger=b,
        navn="Pårørende Fiktiv",
        relation="paaroerende",
        samtykke_dato=dag(0),  # the clock (``ur``) stands at day 0: consent given today
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
    notat = maal(
        cases_services.journalnotat_opret,
        actor=sb,
        forloeb=fl,
        type=NotatType.TELEFON,
        overskrift="Samtale",
        tekst="Borgeren fortæller.",
    )
    maal(cases_services.journalnotat_umasker, actor=sb, notat=notat, begrundelse="Opslag i CPR-registret")
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
    maal(rehab.moedeoplaeg_pdf, actor=sb, forloeb=fl)  # a read of health information: audited
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
    jurist = factories.UserFactory(kommune=sb.kommune, rolle=Rolle.JURIST)
    st = maal(
        standardtekster.standardtekst_opret, actor=jurist, dokument_type=DokumentType.FLEKSJOB_AFSLAG,
        afsnit="hovedhensyn", titel="Hovedhensyn", tekst="Vi har lagt vægt på teamets vurdering.",
    )  # fmt: skip
    st = maal(standardtekster.standardtekst_opdater, actor=jurist, standardtekst=st, titel="Hovedhensyn: afslag")
    maal(tekstbidrag.dokument_indsaet_standardtekst, actor=sb, dokument=d, standardtekst_id=st.pk)
    maal(tekstbidrag.dokument_hent_fakta, actor=sb, dokument=d)
    d.refresh_from_db()
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

    # --- a letter saved and issued in one step; its send ordered before the PDF exists -----------
    fl6 = factories.forloeb_i("indstilling", team=team, udfald="fleksjob")
    s6 = fl6.sagsbehandler
    punkt = {"tekst": "Teamets vurdering", "kilde_type": "indstilling", "kilde_id": str(fl6.indstillinger.get().pk)}
    ph6 = rehab.partshoering_opret(actor=s6, forloeb=fl6, grundlag=[punkt])
    maal(decisions.dokument_gem_og_udsted, actor=s6, dokument=ph6.brev, tekst="Vi vil lægge vægt på teamets vurdering.")
    ph6 = Partshoering.objects.get(pk=ph6.pk)
    maal(rehab.partshoering_send, actor=s6, partshoering=ph6, kanal="udleveret")

    # --- fleksjob ---------------------------------------------------------------------------
    fl3 = factories.forloeb_i("fleksjob", team=team)  # issuing the decision registered the visitation
    s3 = fl3.sagsbehandler
    # A visitation decision issued before issuing registered the visitation is linked by hand.
    Ledighedsydelse.objects.filter(visitation__forloeb=fl3).delete()
    Visitation.objects.filter(forloeb=fl3).delete()
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
    bevilling = maal(
        flex.bevilling_registrer, actor=s3, borger=fl3.borger, forloeb=fl3, type="hjaelpemiddel", dato=dag(30),
        beskrivelse="Hæve-sænkebord", bevilget_af="Jobcentret",
    )  # fmt: skip
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
        loen_bekraeftet=True,
        vaerktoej="kl_ab325",
        tidligere_bevillinger=[str(bevilling.pk)],
    )
    v1 = maal(flex.arbejdsevnevurdering_opdater, actor=s3, vurdering=v1, opgaver="Pakning og opvask.")
    decisions.dokument_opdater(actor=s3, dokument=v1.dokument, svar=besvarelser(v1.dokument))
    decisions.dokument_udsted(actor=s3, dokument=v1.dokument)
    maal(bestilling.dokument_afsend_bestil, actor=s3, dokument=v1.dokument, kanal="udleveret")  # before the PDF
    v2 = maal(
        flex.arbejdsevnevurdering_revurder,
        actor=s3,
        forrige=v1,
        faelles_anmodning=True,
        timer=Decimal("15"),
        intensitet=70,
        afvigelse_begrundelse="Timerne øges gradvist.",
    )
    # An abandoned correction (here the reassessment's draft) is discarded; the next one is then possible.
    maal(kassering.dokument_kasser, actor=s3, dokument=v2.dokument)

    # --- offers to the citizen ---------------------------------------------------------------
    t = maal(
        cases_services.tilbud_registrer, actor=s3, forloeb=fl3, type="virksomhedspraktik", dato=dag(45),
        beskrivelse="Praktik i bageriet.",
    )  # fmt: skip
    maal(
        cases_services.tilbud_besvar, actor=s3, tilbud=t, svar="afslaaet", svar_dato=dag(46),
        begrundelse="Borgeren ønsker ikke praktik.",
    )  # fmt: skip

    # --- the caseworker's page: employer and employment in one use case --------------------------
    fl7 = factories.forloeb_i("fleksjob", team=team)
    maal(
        flex.ansaettelse_med_virksomhed_opret,
        actor=fl7.sagsbehandler,
        forloeb=fl7,
        cvr=CVR,
        navn="Fiktiv Bageri ApS",
        start=dag(60),
        loennede_timer=Decimal("12.5"),
        intensitet=60,
    )

    # --- agreements from an external system -----------------------------------------------
    klient, _ = api_klient(team.jobcenter.kommune, "Vitas")
    principal = KlientPrincipal(klient)
    fl4 = factories.forloeb_i("fleksjob", team=team)
    bekraeftet = timezone.make_aware(dt.datetime.combine(dag(80), dt.time(10)))
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
        "ekstern_reference": "VITAS-1",
        "blanket": "AB 325",
        "borger_bekraeftet": bekraeftet,
        "borger_bekraeftet_af": "Borgeren (MitID)",
    }
    aftale = maal(aftaler.aftale_modtag, actor=principal, **aftale_data)
    maal(aftaler.aftale_bekraeft, actor=principal, aftale=aftale, part="arbejdsgiver", af="Bageriet (MitID Erhverv)")
    maal(aftaler.aftale_godkend, actor=fl4.sagsbehandler, aftale=aftale)
    aftale2 = aftaler.aftale_modtag(actor=principal, **(aftale_data | {"start": dag(120)}))
    maal(aftaler.aftale_afvis, actor=fl4.sagsbehandler, aftale=aftale2, begrundelse="Dublet.")

    # --- webhooks: subscribe, replay a failed delivery, stop -----------------------------------
    ab = maal(webhooks.abonnement_opret, actor=principal, url="https://modtager.example.invalid/h", haendelser=[])
    lev = WebhookLevering.objects.create(
        abonnement=ab,
        haendelse="forloeb.overgang",
        haendelse_id=uuid.uuid4(),
        payload={},
        status=LeveringStatus.FEJLET,
    )
    maal(webhooks.genafspil, levering=lev, actor=principal)
    maal(webhooks.abonnement_stop, actor=principal, abonnement=ab)

    # --- the verdict --------------------------------------------------------------------------
    fejl = dom(*opdagede(), maal.rows)
    assert not fejl, "\n".join(fejl)

    # The rows name who did it and (for citizen data) which citizen it concerned.
    for n, rows in maal.rows.items():
        for row in rows:
            assert row.handling and row.actor_type, (n, row.handling)
    for fn in (cases_services.borger_opdater, decisions.dokument_udsted, klager.klage_modtag):
        assert any(b.pk in r.borger_ids for r in maal.rows[navn(fn)]), navn(fn)


# --- writes outside services ------------------------------------------------------------------------
DOERE = ("views", "api", "forms", "serializers", "admin", "tasks", "commands", "selectors", "templatetags", "urls")
QUERYSET_METODER = {
    "filter", "exclude", "all", "select_for_update", "select_related", "prefetch_related", "order_by",
    "only", "defer", "annotate", "distinct", "using", "none",
}  # fmt: skip
ORM_SKRIVNING = {"save", "create", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}
RELATION_SKRIVNING = {"add", "remove", "clear", "set"}


def er_doer(modulnavn: str) -> bool:
    """A door by its name: a module or package called views, api, forms, ... or ``views_x``/``x_api``."""
    return any(
        del_ == d or del_.startswith(f"{d}_") or del_.endswith(f"_{d}")
        for del_ in modulnavn.split(".")[1:]
        for d in DOERE
    )


def _queryset_kaede(node: ast.AST) -> bool:
    return any(
        (isinstance(n, ast.Attribute) and n.attr == "objects")
        or (isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in QUERYSET_METODER)
        for n in ast.walk(node)
    )


def skrivninger(kilde: str) -> list[tuple[str, int, str]]:
    """ORM writes in ``kilde``: (enclosing function's qualified name, line, the call)."""
    fund = []

    def besoeg(node: ast.AST, sti: tuple[str, ...]) -> None:
        for barn in ast.iter_child_nodes(node):
            if isinstance(barn, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                besoeg(barn, (*sti, barn.name))
                continue
            if isinstance(barn, ast.Call) and isinstance(barn.func, ast.Attribute):
                metode, modtager = barn.func.attr, barn.func.value
                if (
                    metode in ORM_SKRIVNING
                    or (metode in ("update", "delete") and _queryset_kaede(modtager))
                    or (metode == "delete" and not barn.args)
                    or (metode in RELATION_SKRIVNING and isinstance(modtager, ast.Attribute))
                ):
                    fund.append((".".join(sti) or "<module>", barn.lineno, ast.unparse(barn.func)))
            besoeg(barn, sti)

    besoeg(ast.parse(kilde), ())
    return fund


def test_finderen_kender_skrivningerne():
    kilde = (
        "def post(request, form, qs, storage, context, fejl):\n"  # 1
        "    form.save()\n"  # 2
        "    Borger.objects.create(fornavn='x')\n"  # 3
        "    qs.filter(pk=1).update(laest=None)\n"  # 4
        "    qs.filter(pk=1).delete()\n"  # 5
        "    request.user.teams.add(1)\n"  # 6
        "    Frist.objects.bulk_update([], ['status'])\n"  # 7
        "    context.update(fejl)\n"  # 8: a dict
        "    storage.delete('navn.pdf')\n"  # 9: a file
        "    set().add(1)\n"  # 10: a set
        "class V:\n"  # 11
        "    def put(self, obj):\n"  # 12
        "        obj.delete()\n"  # 13
    )
    assert [(f, linje) for f, linje, _ in skrivninger(kilde)] == [
        ("post", 2), ("post", 3), ("post", 4), ("post", 5), ("post", 6), ("post", 7), ("V.put", 13),
    ]  # fmt: skip


def test_doerene_skriver_kun_gennem_tjenester():
    fund, brugte = [], set()
    for modul in projektets_moduler():
        if not er_doer(modul.__name__) or not getattr(modul, "__file__", None):
            continue
        kort = modul.__name__.rsplit(".", 1)[-1]
        for funktion, linje, kald in skrivninger(Path(modul.__file__).read_text(encoding="utf-8")):
            k = f"{kort}.{funktion}"
            if k in SKRIVER_UDEN_SERVICE:
                brugte.add(k)
            else:
                fund.append(f"{modul.__name__}:{linje} {funktion}: {kald}() - call a service (or list {k!r} with why)")
    for k in sorted(set(SKRIVER_UDEN_SERVICE) - brugte):
        fund.append(f"SKRIVER_UDEN_SERVICE[{k!r}] matches no write any more - remove it")
    assert not fund, "\n".join(fund)


def borgerdata_modeller() -> set:
    """Models holding citizen data: Borger and every model whose foreign keys lead to it."""
    alle = [m for a in projektets_apps() for m in a.get_models()]
    borgerdata = {Borger}
    while True:
        nye = {
            m
            for m in alle
            if m not in borgerdata
            and any(
                f.is_relation and (f.many_to_one or f.one_to_one) and f.related_model in borgerdata
                for f in m._meta.concrete_fields
            )
        }
        if not nye:
            return borgerdata
        borgerdata |= nye


def test_admin_kan_ikke_aendre_borgerdata():
    """The admin saves what it shows without a service, so it shows no citizen data."""
    modeller = borgerdata_modeller()
    assert {"Forloeb", "Frist", "Dokument", "Klage", "Booking", "Ansaettelse"} <= {m.__name__ for m in modeller}
    registreret = {m.__name__ for m in admin.site._registry} & {m.__name__ for m in modeller}
    assert not registreret
