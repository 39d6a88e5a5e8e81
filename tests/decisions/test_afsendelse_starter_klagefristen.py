"""Delivery: the channel decides when the citizen has received the document, which starts the
klagefrist; a citizen without a usable channel is refused and nothing is sent."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import default_storage

from cases import rules
from cases.models import Frist, FristStatus, Haendelse, Regelparameter
from decisions import forsendelse, services
from decisions.digitalpost import MAPPE
from decisions.models import DokumentStatus, Forsendelse
from infra import cpr as cprlib
from infra import datoer
from tests import factories

from .hjaelp import kladde, med_adresse, med_digital_post, pdf_bytes, udsted

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Europe/Copenhagen")


@pytest.fixture
def outbox():
    """What the local Digital Post outbox holds, read through the shared storage (as any node would)."""

    def indhold() -> dict[str, bytes]:
        _, navne = default_storage.listdir(MAPPE)
        return {navn: default_storage.open(f"{MAPPE}/{navn}").read() for navn in navne}

    return indhold


def kl10(dato: dt.date) -> dt.datetime:
    return dt.datetime.combine(dato, dt.time(10), tzinfo=TZ)


@pytest.fixture
def afgoerelse():
    fl = factories.forloeb_i("indstilling", udfald="ressourceforloeb")
    return udsted(kladde(fl))


def klagefrist(d):
    return Frist.objects.get(forloeb=d.forloeb, art="klagefrist")


def test_digital_post_skriver_til_outbox_og_klagefristen_starter_samme_dag(afgoerelse, outbox):
    med_digital_post(afgoerelse.forloeb.borger)
    sendt = dt.date(2026, 4, 16)  # Thursday
    f = services.dokument_afsend(
        actor=afgoerelse.forloeb.sagsbehandler, dokument=afgoerelse, kanal="digital_post", nu=kl10(sendt)
    )
    assert f.modtaget_dato == sendt
    assert outbox() == {}  # ordered in the transaction; handed over after commit by the task
    forsendelse.send_digitalt(f.pk)  # the task's work (decisions.tasks.digitalpost_send)
    filer = outbox()
    assert set(filer) == {f"{afgoerelse.pk}.pdf", f"{afgoerelse.pk}.json"}  # the id, never a name or CPR
    assert filer[f"{afgoerelse.pk}.pdf"] == pdf_bytes(afgoerelse)
    kuvert = filer[f"{afgoerelse.pk}.json"].decode()
    assert json.loads(kuvert)["sha256"] == afgoerelse.pdf_sha256
    assert cprlib.decrypt(afgoerelse.forloeb.borger.cpr_krypteret) not in kuvert
    frist = klagefrist(afgoerelse)
    assert frist.start_dato == sendt
    # 4 weeks later is Kristi himmelfartsdag 14 May 2026: the citizen's deadline moves to the next working day
    assert datoer.er_helligdag(dt.date(2026, 5, 14))
    assert frist.gaeldende_forfald == dt.date(2026, 5, 15)
    afgoerelse.refresh_from_db()
    assert afgoerelse.status == DokumentStatus.AFSENDT


def test_fysisk_post_regnes_modtaget_efter_leveringsdagene_og_fristen_flyttes_over_helligdage(afgoerelse, outbox):
    med_adresse(afgoerelse.forloeb.borger)
    sendt = dt.date(2026, 3, 2)  # Monday; + 6 days = Sunday 8 March
    f = services.dokument_afsend(
        actor=afgoerelse.forloeb.sagsbehandler, dokument=afgoerelse, kanal="fysisk_post", nu=kl10(sendt)
    )
    assert f.modtaget_dato == dt.date(2026, 3, 8)
    frist = klagefrist(afgoerelse)
    assert frist.start_dato == dt.date(2026, 3, 8)
    # + 4 weeks = Easter Sunday 5 April; Monday 6 April is 2. påskedag → Tuesday 7 April
    assert frist.gaeldende_forfald == dt.date(2026, 4, 7)
    assert outbox() == {}  # a letter is not Digital Post


def test_leveringsdage_kommer_fra_regelkataloget(afgoerelse):
    Regelparameter.objects.filter(kode="post_leveringsdage").update(vaerdi=3)
    med_adresse(afgoerelse.forloeb.borger)
    f = services.dokument_afsend(
        actor=afgoerelse.forloeb.sagsbehandler, dokument=afgoerelse, kanal="fysisk_post", nu=kl10(dt.date(2026, 3, 2))
    )
    assert f.modtaget_dato == dt.date(2026, 3, 5)


@pytest.mark.parametrize(
    ("kanal", "besked"),
    [("digital_post", "ikke registreret som tilmeldt Digital Post"), ("fysisk_post", "ingen kendt postadresse")],
)
def test_borger_uden_digital_post_og_adresse_afvises_og_intet_sendes(afgoerelse, outbox, kanal, besked):
    assert afgoerelse.forloeb.borger.digital_post == "ukendt" and not afgoerelse.forloeb.borger.har_postadresse
    with pytest.raises(services.ForsendelseFejl, match=besked):
        services.dokument_afsend(actor=afgoerelse.forloeb.sagsbehandler, dokument=afgoerelse, kanal=kanal)
    afgoerelse.refresh_from_db()
    assert afgoerelse.status == DokumentStatus.UDSTEDT
    assert not Forsendelse.objects.filter(dokument=afgoerelse).exists()
    assert not Haendelse.objects.filter(forloeb=afgoerelse.forloeb, kode="afgoerelse_modtaget").exists()
    assert outbox() == {}


def test_pdf_skal_vaere_dannet_foer_afsendelse():
    fl = factories.forloeb_i("indstilling", udfald="ressourceforloeb")
    med_digital_post(fl.borger)
    d = udsted(kladde(fl), render=False)
    with pytest.raises(services.ForsendelseFejl) as fejl:
        services.dokument_afsend(actor=fl.sagsbehandler, dokument=d, kanal="digital_post")
    assert fejl.value.kode == "pdf_ikke_klar"


def _uopfyldte(fl, overgang, **data):
    from cases.models import Forloeb

    fl = Forloeb.objects.get(pk=fl.pk)
    ktx = rules.Kontekst(actor=fl.sagsbehandler, data=data, dato=datoer.idag(), idag=datoer.idag())
    return {u.kode for u in rules.uopfyldte(overgang, fl, ktx)}


def test_afsendt_tilbud_om_moede_opfylder_moedereglen():
    fl = factories.forloeb_i("foertidspension_behandling")
    med_digital_post(fl.borger)
    assert "foertidspension.moede_ikke_tilbudt" in _uopfyldte(fl, "tilkend_foertidspension")
    brev = udsted(kladde(fl, "tilbud_om_moede", tekst="Du tilbydes et møde.", data={"moede_tidspunkt": "1/12 kl. 10"}))
    assert "foertidspension.moede_ikke_tilbudt" in _uopfyldte(fl, "tilkend_foertidspension")  # issued, not sent
    services.dokument_afsend(actor=fl.sagsbehandler, dokument=brev, kanal="digital_post")
    assert "foertidspension.moede_ikke_tilbudt" not in _uopfyldte(fl, "tilkend_foertidspension")


def test_afsendt_redegoerelse_forlaenger_fristen_for_pensionsafgoerelsen():
    fl = factories.forloeb_i("foertidspension_behandling")
    med_digital_post(fl.borger)
    frist = Frist.objects.get(forloeb=fl, art="afgoerelse_pension", lukket_dato__isnull=True)
    ny = datoer.idag() + dt.timedelta(days=30)
    brev = udsted(
        kladde(
            fl,
            "redegoerelse_forlaenget_sagsbehandling",
            tekst="Vi kan ikke nå det.",
            data={"aarsag": "Vi venter på en lægeerklæring.", "ny_forventet_dato": ny.isoformat()},
        )
    )
    services.dokument_afsend(actor=fl.sagsbehandler, dokument=brev, kanal="digital_post")
    frist.refresh_from_db()
    assert frist.status == FristStatus.FORLAENGET
    assert frist.gaeldende_forfald == ny
