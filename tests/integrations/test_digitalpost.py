"""Digital Post: MeMo messages against the simulator (same contract as production), the recipient
check first, receipts recorded per letter, and a failed delivery falls back to physical post and
moves the klagefrist. The send happens after commit, outside the sending transaction."""

import base64
import datetime as dt
import xml.etree.ElementTree as ET
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from cases.models import Borger, Frist, Notifikation
from decisions import digitalpost, forsendelse, memo, services
from decisions.digitalpost_http import HttpDigitalPost
from decisions.models import Forsendelse, ForsendelseStatus, Kvittering
from infra import cpr as cprlib
from infra.models import UdbakkeBesked
from tests import factories
from tests.decisions.hjaelp import kladde, med_adresse, med_digital_post, pdf_bytes, udsted

from .conftest import SIM, sim_post

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Europe/Copenhagen")
NS = {"memo": memo.NS}


def kl10(dato: dt.date) -> dt.datetime:
    return dt.datetime.combine(dato, dt.time(10), tzinfo=TZ)


@pytest.fixture
def afgoerelse():
    fl = factories.forloeb_i("indstilling", udfald="ressourceforloeb")
    med_digital_post(fl.borger)
    med_adresse(fl.borger)
    return udsted(kladde(fl))


def saet_cpr(borger, cpr: str) -> None:
    parsed = cprlib.parse(cpr)
    Borger.objects.filter(pk=borger.pk).update(
        cpr_krypteret=cprlib.encrypt(parsed), cpr_hash=cprlib.lookup_hash(parsed)
    )


def send(d, dag=dt.date(2026, 4, 16)):
    return services.dokument_afsend(actor=d.forloeb.sagsbehandler, dokument=d, kanal="digital_post", nu=kl10(dag))


def klagefrist(d):
    return Frist.objects.get(forloeb=d.forloeb, art="klagefrist")


def test_memo_har_felterne_og_pdfen_som_hoveddokument(afgoerelse):
    xml = memo.byg(
        message_uuid="7f1b7a38-7d7a-4c5e-9a53-1f1f1f1f1f1f", label="Afgørelse", juridisk=True, afsender_cvr="29189846",
        afsender_navn="Testkommune", modtager_cpr="0101801234", oprettet=kl10(dt.date(2026, 4, 16)),
        dokument_id=str(afgoerelse.pk), pdf=pdf_bytes(afgoerelse),
    )  # fmt: skip
    root = ET.fromstring(xml)
    assert root.tag == f"{{{memo.NS}}}Message" and root.get("memoVersion") == "1.1"
    h = root.find("memo:MessageHeader", NS)
    assert h.findtext("memo:messageType", namespaces=NS) == "DIGITALPOST"
    assert h.findtext("memo:legalNotification", namespaces=NS) == "true"
    assert h.findtext("memo:Sender/memo:idType", namespaces=NS) == "CVR"
    assert h.findtext("memo:Recipient/memo:recipientID", namespaces=NS) == "0101801234"
    fil = root.find("memo:MessageBody/memo:MainDocument/memo:File", NS)
    assert fil.findtext("memo:encodingFormat", namespaces=NS) == "application/pdf"
    assert base64.b64decode(fil.findtext("memo:content", namespaces=NS)) == pdf_bytes(afgoerelse)


def test_afsendelse_kalder_ikke_digital_post_i_transaktionen(
    afgoerelse, simulatorer, monkeypatch, django_capture_on_commit_callbacks
):
    kald = []
    monkeypatch.setattr(HttpDigitalPost, "modtager_tjek", lambda self, cpr: kald.append(connection.in_atomic_block))
    with django_capture_on_commit_callbacks(execute=False):
        f = send(afgoerelse)
    assert f.status == ForsendelseStatus.BESTILT and kald == []  # nothing sent while the transaction is open
    # The send is a row in the transactional outbox, handed to a worker after commit (infra.udbakke).
    besked = UdbakkeBesked.objects.get(task="decisions.digitalpost_send")
    assert besked.args == [str(f.pk)]


def test_kontrakt_leveret_kvittering_og_klagefrist_fra_leveringsdagen(afgoerelse, simulatorer):
    cpr = factories.fiktivt_cpr()
    saet_cpr(afgoerelse.forloeb.borger, cpr)
    sim_post(simulatorer["digitalpost"], "/_sim/modtager", {"cpr": cpr, "forsinkelse_dage": 1})
    f = send(afgoerelse)
    assert forsendelse.send_digitalt(f.pk) == ForsendelseStatus.AFSENDT
    assert forsendelse.sweep(aeldre_end=dt.timedelta(0))["kvitteringer"] == 1
    f.refresh_from_db()
    assert f.status == ForsendelseStatus.LEVERET and f.reference == f"memo:{f.memo_uuid}"
    assert f.modtaget_dato == dt.date(2026, 4, 17)  # delivered the next day: the klagefrist runs from it
    assert list(f.kvitteringer.values_list("status", flat=True)) == ["leveret"]
    assert klagefrist(afgoerelse).start_dato == dt.date(2026, 4, 17)


def test_fritaget_modtager_faar_fysisk_post_og_fristen_flyttes(afgoerelse, simulatorer):
    saet_cpr(afgoerelse.forloeb.borger, SIM.FRITAGET)
    f = send(afgoerelse)
    assert forsendelse.send_digitalt(f.pk) == ForsendelseStatus.FEJLET
    fysisk = Forsendelse.objects.get(erstatter=f)
    assert fysisk.kanal == "fysisk_post" and "fritaget" in Forsendelse.objects.get(pk=f.pk).fejl
    assert klagefrist(afgoerelse).start_dato == fysisk.modtaget_dato
    assert Notifikation.objects.filter(titel__startswith="Digital Post kunne ikke leveres").exists()


def test_fejlet_levering_falder_tilbage_til_fysisk_post(afgoerelse, simulatorer):
    saet_cpr(afgoerelse.forloeb.borger, SIM.FEJLER)
    f = send(afgoerelse)
    forsendelse.send_digitalt(f.pk)
    forsendelse.hent_kvittering(f.pk)
    f.refresh_from_db()
    assert f.status == ForsendelseStatus.FEJLET
    assert Kvittering.objects.get(forsendelse=f).status == "fejlet"
    fysisk = Forsendelse.objects.get(erstatter=f)
    # physical post: received after the delivery days (the regelkatalog's post_leveringsdage), from today
    assert fysisk.modtaget_dato > f.afsendt_dato
    assert klagefrist(afgoerelse).start_dato == fysisk.modtaget_dato
    api_client = APIClient()
    api_client.force_authenticate(afgoerelse.forloeb.sagsbehandler)
    data = api_client.get(f"/api/v1/afgoerelser/{afgoerelse.pk}/").json()
    assert data["forsendelse"]["kanal"] == "fysisk_post"
    assert [x["status"] for x in data["forsendelser"]] == ["fejlet", "afsendt"]
    assert data["forsendelser"][0]["kvitteringer"][0]["status"] == "fejlet"


def test_timeout_proeves_igen_og_giver_til_sidst_fysisk_post(afgoerelse, simulatorer, settings):
    settings.DIGITAL_POST_MAX_FORSOEG = 2
    saet_cpr(afgoerelse.forloeb.borger, SIM.LANGSOM)
    f = send(afgoerelse)
    with pytest.raises(forsendelse.ProevIgen):
        forsendelse.send_digitalt(f.pk)
    assert Forsendelse.objects.get(pk=f.pk).status == ForsendelseStatus.BESTILT
    assert forsendelse.send_digitalt(f.pk) == ForsendelseStatus.FEJLET
    assert Forsendelse.objects.get(erstatter=f).kanal == "fysisk_post"


def test_skrald_er_utilgaengelig(simulatorer):
    with pytest.raises(digitalpost.DigitalPostUtilgaengelig):
        HttpDigitalPost().modtager_tjek(SIM.SKRALD)
    assert HttpDigitalPost().modtager_tjek(SIM.FRITAGET) is False
    assert HttpDigitalPost().modtager_tjek("0101801234") is True


def test_ugyldig_memo_afvises_af_simulatoren(simulatorer):
    f = Forsendelse(memo_uuid="7f1b7a38-7d7a-4c5e-9a53-1f1f1f1f1f1f")
    with pytest.raises(digitalpost.DigitalPostAfvist):
        HttpDigitalPost().send(forsendelse=f, memo=b"<ikke-memo/>", pdf=b"", modtager_cpr="0101801234")


def test_lokal_outbox_leverer_straks(afgoerelse):
    f = send(afgoerelse)
    assert forsendelse.send_digitalt(f.pk) == ForsendelseStatus.LEVERET
    assert Forsendelse.objects.get(pk=f.pk).modtaget_dato == dt.date(2026, 4, 16)


def test_dokumentsiden_viser_kvitteringer_og_fysisk_post(afgoerelse, simulatorer, client):
    saet_cpr(afgoerelse.forloeb.borger, SIM.FEJLER)
    f = send(afgoerelse)
    forsendelse.send_digitalt(f.pk)
    forsendelse.hent_kvittering(f.pk)
    client.force_login(afgoerelse.forloeb.sagsbehandler)
    side = client.get(reverse("decisions:dokument", args=[afgoerelse.pk])).content.decode()
    assert "Forsendelser og kvitteringer" in side and "Ikke leveret" in side and "Fysisk post" in side
