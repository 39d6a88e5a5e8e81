"""Agreement intake and review (API.md "Agreement intake"): ``flexjob.aftaler``."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases.api.auth import KlientPrincipal, hash_token, ny_token
from cases.models import ApiKlient, Frist
from flexjob import aftaler
from flexjob.models import Aftale, AftaleStatus, Ansaettelse, AnsaettelseKilde, Virksomhed
from infra import cpr as cprlib
from infra.models import AuditEntry
from tests import factories
from tests.factories import dag

from .conftest import CVR, uden_visitation

pytestmark = pytest.mark.django_db


def klient_for(team, *scopes: str) -> KlientPrincipal:
    token = ny_token()
    klient = ApiKlient.objects.create(
        navn="Vitas-test",
        kommune=team.jobcenter.kommune,
        scopes=list(scopes or ["aftaler:write"]),
        token_hash=hash_token(token),
        token_prefix=token[:8],
    )
    return KlientPrincipal(klient)


def cpr_af(borger) -> str:
    return cprlib.decrypt(borger.cpr_krypteret)


def data(cpr: str, **kw) -> dict:
    return {
        "type": "fleksjob",
        "borger_cpr": cpr,
        "virksomhed_cvr": CVR,
        "virksomhed_p_nummer": "1012345678",
        "virksomhed_navn": "Fiktiv Bageri ApS",
        "virksomhed_kontakt": "Mette Fiktiv",
        "start": dag(60),
        "slut": None,
        "timer_pr_uge": Decimal("12.5"),
        "opgaver": "Pakning af brød, opvask.",
        "formaal": "Fast fleksjob i bageriet.",
        "fleksjob_timer": Decimal("12.5"),
        "fleksjob_intensitet": 60,
        # VITAS: the reference, the form, and both parties' confirmations (needed before approval)
        "ekstern_reference": "VITAS-4711",
        "blanket": "AB 325",
        "borger_bekraeftet": BEKRAEFTET,
        "borger_bekraeftet_af": "Borgeren (MitID)",
        "arbejdsgiver_bekraeftet": BEKRAEFTET,
        "arbejdsgiver_bekraeftet_af": "Mette Fiktiv (MitID Erhverv)",
    } | kw


BEKRAEFTET = timezone.make_aware(dt.datetime.combine(dag(55), dt.time(10, 0)))


@pytest.fixture
def klient(team):
    return klient_for(team)


# ---------------------------------------------------------------------------------------------
# Intake
# ---------------------------------------------------------------------------------------------
def test_modtag_gemmer_aftalen_uden_cpr_og_med_audit(klient, borger):
    cpr = cpr_af(borger)
    aftale = aftaler.aftale_modtag(actor=klient, **data(cpr))
    assert aftale.status == AftaleStatus.MODTAGET
    assert aftale.borger == borger and aftale.kommune_id == borger.kommune_id
    assert aftale.klient_id == klient.klient.pk
    # the CPR is nowhere on the agreement nor in the audit row
    row = Aftale.objects.filter(pk=aftale.pk).values().get()
    assert cpr not in str(row) and cpr[:6] + "-" + cpr[6:] not in str(row)
    entry = AuditEntry.objects.get(handling="aftale.modtag")
    assert entry.borger_ids == [borger.pk] and entry.actor_type == "api_client"
    assert cpr not in str(entry.efter)


@pytest.mark.parametrize(
    "aendring, felt",
    [
        ({"virksomhed_cvr": "10150818"}, "virksomhed_cvr"),  # modulus 11 fails
        ({"virksomhed_cvr": "1234567"}, "virksomhed_cvr"),
        ({"virksomhed_p_nummer": "123456789"}, "virksomhed_p_nummer"),
        ({"timer_pr_uge": Decimal("0")}, "timer_pr_uge"),
        ({"timer_pr_uge": Decimal("-3")}, "timer_pr_uge"),
        ({"timer_pr_uge": Decimal("37.5")}, "timer_pr_uge"),
        ({"fleksjob_timer": Decimal("38")}, "fleksjob_timer"),
        ({"fleksjob_intensitet": 0}, "fleksjob_intensitet"),
        ({"fleksjob_intensitet": 101}, "fleksjob_intensitet"),
        ({"fleksjob_intensitet": None}, "fleksjob_intensitet"),
        ({"fleksjob_timer": None}, "fleksjob_timer"),
        ({"start": dag(60), "slut": dag(59)}, "slut"),
        ({"virksomhed_navn": " "}, "virksomhed_navn"),
        ({"opgaver": ""}, "opgaver"),
        ({"formaal": ""}, "formaal"),
        ({"type": "ukendt"}, "type"),
        ({"borger_cpr": "12345"}, "borger_cpr"),
    ],
)
def test_hver_fejl_er_en_feltfejl_og_intet_oprettes(klient, borger, aendring, felt):
    with pytest.raises(ValidationError) as exc:
        aftaler.aftale_modtag(actor=klient, **data(cpr_af(borger), **aendring))
    assert list(exc.value.message_dict) == [felt]
    assert not Aftale.objects.exists()
    assert not AuditEntry.objects.filter(handling="aftale.modtag").exists()


def test_over_37_timer_med_begrundelse_er_tilladt(klient, borger):
    aftale = aftaler.aftale_modtag(
        actor=klient, **data(cpr_af(borger), timer_pr_uge=Decimal("40"), timer_begrundelse="Sæsonarbejde")
    )
    assert aftale.timer_pr_uge == Decimal("40")


def test_alle_fejl_paa_en_gang(klient, borger):
    with pytest.raises(ValidationError) as exc:
        aftaler.aftale_modtag(
            actor=klient,
            **data(
                cpr_af(borger), virksomhed_cvr="10150818", virksomhed_p_nummer="12", timer_pr_uge=Decimal("0"),
                fleksjob_intensitet=150, slut=dag(1),
            ),
        )  # fmt: skip
    assert set(exc.value.message_dict) == {
        "virksomhed_cvr", "virksomhed_p_nummer", "timer_pr_uge", "fleksjob_intensitet", "slut",
    }  # fmt: skip
    assert not Aftale.objects.exists()


def test_ukendt_og_fremmed_cpr_giver_samme_fejl(klient, borger, fremmed_team):
    fremmed = factories.borger(fremmed_team)
    ukendt = factories.fiktivt_cpr()
    beskeder = []
    for cpr in (ukendt, cpr_af(fremmed)):
        with pytest.raises(ValidationError) as exc:
            aftaler.aftale_modtag(actor=klient, **data(cpr))
        assert list(exc.value.message_dict) == ["borger_cpr"]
        beskeder.append(exc.value.message_dict["borger_cpr"])
    assert beskeder[0] == beskeder[1] == [aftaler.BORGER_UKENDT]
    assert not Aftale.objects.exists()


def test_fleksjobfelter_kun_ved_fleksjob(klient, borger):
    with pytest.raises(ValidationError) as exc:
        aftaler.aftale_modtag(actor=klient, **data(cpr_af(borger), type="mentor"))
    assert set(exc.value.message_dict) == {"fleksjob_timer", "fleksjob_intensitet"}
    aftale = aftaler.aftale_modtag(
        actor=klient, **data(cpr_af(borger), type="mentor", fleksjob_timer=None, fleksjob_intensitet=None)
    )
    assert aftale.type == "mentor"


# ---------------------------------------------------------------------------------------------
# Review
# ---------------------------------------------------------------------------------------------
def test_godkendt_fleksjob_bliver_til_ansaettelse_og_frist(klient, visitation):
    fl = visitation.forloeb
    aftale = aftaler.aftale_modtag(actor=klient, **data(cpr_af(fl.borger)))
    aftale = aftaler.aftale_godkend(actor=fl.sagsbehandler, aftale=aftale)

    assert aftale.status == AftaleStatus.GODKENDT and aftale.behandlet is not None
    a = Ansaettelse.objects.get(aftale=aftale)
    assert a.kilde == AnsaettelseKilde.AFTALE and a.forloeb == fl
    assert a.virksomhed == Virksomhed.objects.get(kommune=fl.kommune, cvr=CVR, p_nummer="1012345678")
    assert (a.start, a.loennede_timer, a.intensitet) == (dag(60), Decimal("12.5"), 60)
    assert a.opgaver == "Pakning af brød, opvask."
    frist = Frist.objects.get(forloeb=fl, art="fleksjob_arbejdsevne")
    assert frist.lukket_dato is None and frist.start_dato == dag(60)
    assert AuditEntry.objects.filter(handling="aftale.godkend", subject_id=str(aftale.pk)).exists()


def test_eksisterende_virksomhed_genbruges(klient, visitation):
    fl = visitation.forloeb
    eksisterende = Virksomhed.objects.create(kommune=fl.kommune, cvr=CVR, p_nummer="1012345678", navn="Bageriet")
    aftale = aftaler.aftale_modtag(actor=klient, **data(cpr_af(fl.borger)))
    aftaler.aftale_godkend(actor=fl.sagsbehandler, aftale=aftale)
    assert Virksomhed.objects.count() == 1
    assert Ansaettelse.objects.get(aftale=aftale).virksomhed == eksisterende


def test_fleksjob_kraever_forloeb_i_fleksjob(klient, team, sagsbehandler):
    fl = factories.forloeb_i("aktivitetsparat", team=team, sagsbehandler=sagsbehandler)
    aftale = aftaler.aftale_modtag(actor=klient, **data(cpr_af(fl.borger)))
    with pytest.raises(aftaler.AftaleFejl) as exc:
        aftaler.aftale_godkend(actor=sagsbehandler, aftale=aftale)
    assert exc.value.kode == "intet-fleksjob-forloeb"
    aftale.refresh_from_db()
    assert aftale.status == AftaleStatus.MODTAGET
    assert not Ansaettelse.objects.exists() and not Virksomhed.objects.exists()


def test_fleksjob_kraever_visitation(klient, fleksjob_forloeb):
    fl = uden_visitation(fleksjob_forloeb)
    aftale = aftaler.aftale_modtag(actor=klient, **data(cpr_af(fl.borger)))
    with pytest.raises(aftaler.AftaleFejl) as exc:
        aftaler.aftale_godkend(actor=fl.sagsbehandler, aftale=aftale)
    assert exc.value.kode == "ingen-visitation"
    assert Aftale.objects.get(pk=aftale.pk).status == AftaleStatus.MODTAGET
    assert not Virksomhed.objects.exists()


def test_ansaettelsens_regler_giver_konflikt_og_intet_aendres(klient, visitation):
    fl = visitation.forloeb
    aftale = aftaler.aftale_modtag(actor=klient, **data(cpr_af(fl.borger), start=dag(10)))  # before visitation
    with pytest.raises(aftaler.AftaleFejl) as exc:
        aftaler.aftale_godkend(actor=fl.sagsbehandler, aftale=aftale)
    assert exc.value.kode == "ansaettelse-afvist" and exc.value.grunde
    assert Aftale.objects.get(pk=aftale.pk).status == AftaleStatus.MODTAGET
    assert not Virksomhed.objects.exists() and not Ansaettelse.objects.exists()


def test_andre_typer_godkendes_blot(klient, borger, sagsbehandler):
    aftale = aftaler.aftale_modtag(
        actor=klient,
        **data(cpr_af(borger), type="virksomhedspraktik", fleksjob_timer=None, fleksjob_intensitet=None),
    )
    aftale = aftaler.aftale_godkend(actor=sagsbehandler, aftale=aftale)
    assert aftale.status == AftaleStatus.GODKENDT
    assert not Ansaettelse.objects.exists()


def test_anden_godkendelse_afvises(klient, borger, sagsbehandler):
    aftale = aftaler.aftale_modtag(actor=klient, **data(cpr_af(borger), type="mentor", fleksjob_timer=None,
                                                         fleksjob_intensitet=None))  # fmt: skip
    aftaler.aftale_godkend(actor=sagsbehandler, aftale=aftale)
    with pytest.raises(aftaler.AftaleFejl) as exc:
        aftaler.aftale_godkend(actor=sagsbehandler, aftale=aftale)
    assert exc.value.kode == "allerede-behandlet"
    with pytest.raises(aftaler.AftaleFejl):
        aftaler.aftale_afvis(actor=sagsbehandler, aftale=aftale, begrundelse="For sent")


def test_afvisning_kraever_begrundelse(klient, borger, sagsbehandler):
    aftale = aftaler.aftale_modtag(actor=klient, **data(cpr_af(borger)))
    with pytest.raises(ValidationError) as exc:
        aftaler.aftale_afvis(actor=sagsbehandler, aftale=aftale, begrundelse="  ")
    assert list(exc.value.message_dict) == ["begrundelse"]
    aftale = aftaler.aftale_afvis(actor=sagsbehandler, aftale=aftale, begrundelse="Borgeren er ikke visiteret.")
    assert aftale.status == AftaleStatus.AFVIST and aftale.afvist_begrundelse == "Borgeren er ikke visiteret."
    assert AuditEntry.objects.get(handling="aftale.afvis").begrundelse == "Borgeren er ikke visiteret."


def test_kun_kommunens_medarbejdere_behandler(klient, borger, fremmed_team):
    aftale = aftaler.aftale_modtag(actor=klient, **data(cpr_af(borger)))
    with pytest.raises(PermissionDenied):
        aftaler.aftale_godkend(actor=klient, aftale=aftale)
    with pytest.raises(PermissionDenied):
        aftaler.aftale_afvis(actor=klient, aftale=aftale, begrundelse="Nej")
    with pytest.raises(PermissionDenied):
        aftaler.aftale_godkend(actor=factories.medarbejder(fremmed_team), aftale=aftale)
    assert Aftale.objects.get(pk=aftale.pk).status == AftaleStatus.MODTAGET
