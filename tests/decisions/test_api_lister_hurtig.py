"""The afgørelser and klager lists' lean read path answers exactly what the DRF serializers answer.

``GET /api/v1/afgoerelser/`` and ``GET /api/v1/klager/`` read their page as dicts and build the
answer by hand (issue #14). These tests compare every row of a rich page with ``DokumentSerializer``'s
and ``KlageSerializer``'s output, key order included, as an API client and as a caseworker, page by
page (a small page size, so cursor pages are compared too): every document type and status, drafts
and issued documents with and without a PDF, empty and filled fields, replaced documents (by a draft
and by an issued one), deliveries (a failed Digital Post letter replaced by physical post, receipts),
facts, legal references, an assessment decision with answered prompts, and complaints in every
status with and without a genvurdering letter and an appeal package.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from cases.models import Lovhenvisning
from decisions import klager
from decisions.api.serializers import DokumentSerializer, KlageSerializer
from decisions.models import (
    AnkeResultat,
    Dokument,
    DokumentStatus,
    DokumentType,
    Faktum,
    Forsendelse,
    Klage,
    KlageKanal,
    KlageStatus,
    Kvittering,
)
from tests import factories
from tests.api_hjaelp import alle_sider, klienter, som_json
from tests.decisions.hjaelp import kladde, udsted
from tests.flexjob.conftest import ansaettelse_til, vurdering_til

pytestmark = pytest.mark.django_db


def _dokument(fl, type_, status, i: int, **kw) -> Dokument:
    udstedt = status != DokumentStatus.KLADDE
    kw.setdefault("data", {"aarsag": f"Årsag {i}", "n": i} if i % 3 else {})
    d = Dokument.objects.create(
        forloeb=fl, kommune_id=fl.kommune_id, type=type_, status=status, sagsnummer=f"S-{i}", titel=f"Titel {i} æøå",
        tekst="" if i % 3 else f"Tekst {i}", hovedhensyn=f"Hensyn {i}" if i % 2 else "", fuldt_medhold=i % 4 == 0,
        arbejdsfunktioner=[f"Funktion {i}"] if i % 2 else [], fleksjob_afslag=i % 5 == 0,
        udstedt=timezone.now() if udstedt else None,
        udstedt_af="Sagsbehandler Test" if udstedt else "", klagevejledning="Du kan klage." if udstedt else "",
        pdf_sha256=("a" * 64) if udstedt and i % 2 else "", sagsbehandler=fl.sagsbehandler if i % 3 else None, **kw,
    )  # fmt: skip
    if i % 2:
        d.lovhenvisninger.set(Lovhenvisning.objects.filter(kode__in=["lab_116", "fvl_22_24"]))
        Faktum.objects.create(dokument=d, tekst="B", kilde_type="journalnotat", kilde_id=uuid.uuid4(),
                              kilde_titel="Notat", raekkefoelge=1)  # fmt: skip
        Faktum.objects.create(dokument=d, tekst="A", kilde_type="bilag", kilde_id=uuid.uuid4(), kilde_titel="Bilag")
    return d


@pytest.fixture
def rig(team, sagsbehandler):
    fl = factories.forloeb_i("indstilling", udfald="ressourceforloeb", team=team, sagsbehandler=sagsbehandler)
    dokumenter = [
        _dokument(fl, t, [DokumentStatus.KLADDE, DokumentStatus.UDSTEDT, DokumentStatus.AFSENDT][i % 3], i)
        for i, t in enumerate(DokumentType.values)
    ]
    # Replaced by a draft (not shown as replaced) and by an issued correction.
    _dokument(fl, DokumentType.FLEKSJOB_AFSLAG, DokumentStatus.KLADDE, 101, erstatter=dokumenter[1])
    _dokument(fl, DokumentType.FLEKSJOB_AFSLAG, DokumentStatus.UDSTEDT, 102, erstatter=dokumenter[2])
    # A failed Digital Post letter replaced by physical post, with receipts.
    nu = timezone.now()
    fejlet = Forsendelse.objects.create(
        dokument=dokumenter[2], kanal="digital_post", status="fejlet", afsendt=nu - dt.timedelta(days=2),
        afsendt_dato=factories.dag(1), modtaget_dato=factories.dag(1), afsendt_af="X", fejl="Ikke tilmeldt",
    )  # fmt: skip
    Kvittering.objects.create(forsendelse=fejlet, status="fejlet", tidspunkt=nu - dt.timedelta(days=1), aarsag="Nej")
    fysisk = Forsendelse.objects.create(
        dokument=dokumenter[2], kanal="fysisk_post", status="afsendt", afsendt=nu - dt.timedelta(days=1),
        afsendt_dato=factories.dag(2), modtaget_dato=factories.dag(5), afsendt_af="X", beskyttet=True,
    )  # fmt: skip
    Kvittering.objects.create(forsendelse=fysisk, status="leveret", tidspunkt=nu, aarsag="")
    # Issued through the services, and an assessment decision with its prompts answered.
    udstedt = udsted(kladde(fl), render=False)
    fleks = factories.forloeb_i("fleksjob", team=team, sagsbehandler=sagsbehandler)
    vurdering = vurdering_til(ansaettelse_til(fleks))
    assert vurdering.dokument.svar.exists()
    # Complaints in every status, with a genvurdering letter and an appeal package.
    for i, status in enumerate(KlageStatus.values * 2):
        k = Klage.objects.create(
            afgoerelse=udstedt if i % 2 else dokumenter[1], forloeb=fl, modtaget_dato=factories.dag(i),
            kanal=KlageKanal.values[i % len(KlageKanal.values)], for_sent=i % 3 == 0, klagens_indhold=f"Klage {i}",
            status=status, genvurderet_dato=factories.dag(i + 3) if i % 2 else None,
            genvurdering_begrundelse=f"Begrundelse {i}" if i % 2 else "",
            ny_afgoerelse=dokumenter[4] if status == KlageStatus.MEDHOLD else None,
            sendt_til_ankestyrelsen=factories.dag(i + 9) if i % 4 == 1 else None,
            ankepakke_sha256=("b" * 64) if i % 4 == 1 else "",
            ankestyrelsens_resultat=AnkeResultat.values[0] if status == KlageStatus.AFGJORT else "",
            resultat_dato=factories.dag(i + 20) if status == KlageStatus.AFGJORT else None,
        )  # fmt: skip
        if i < len(KlageStatus.values):  # half of them have their letter
            _dokument(fl, DokumentType.GENVURDERING_RESULTAT, DokumentStatus.KLADDE, 200 + i, data={"klage": str(k.pk)})
    return fl


def _dokumenter_gammel(ids: list[str]) -> list[dict]:
    objs = (
        Dokument.objects.select_related("erstattet_af")
        .prefetch_related("fakta", "lovhenvisninger", "forsendelser__kvitteringer", "svar")
        .in_bulk(ids)
    )
    return som_json(DokumentSerializer([objs[uuid.UUID(i)] for i in ids], many=True).data)


def _klager_gammel(ids: list[str]) -> list[dict]:
    objs = klager.med_genvurdering_brev(Klage.objects.select_related("afgoerelse", "forloeb")).in_bulk(ids)
    return som_json(KlageSerializer([objs[uuid.UUID(i)] for i in ids], many=True).data)


@pytest.mark.parametrize("hvem", ["api_klient", "sagsbehandler"])
def test_afgoerelseslisten_er_praecis_serializerens_svar(rig, team, sagsbehandler, hvem):
    raekker = alle_sider(
        klienter(team, sagsbehandler, "forloeb:read", "afgoerelser:read")[hvem], "/api/v1/afgoerelser/"
    )
    assert len(raekker) >= len(DokumentType.values) + 2
    forventet = _dokumenter_gammel([r["id"] for r in raekker])
    assert raekker == forventet
    assert [list(r) for r in raekker] == [list(r) for r in forventet]  # the same key order too
    assert {r["type"] for r in raekker} == set(DokumentType.values)
    assert {r["status"] for r in raekker} == set(DokumentStatus.values)
    assert {r["pdf_status"] for r in raekker} == {"ikke_udstedt", "dannes", "klar"}
    assert any(r["erstattet_af"] for r in raekker) and any(r["erstatter"] for r in raekker)
    assert any(len(r["forsendelser"]) == 2 and r["forsendelse"]["kanal"] == "fysisk_post" for r in raekker)
    besvarede = [s for r in raekker for s in r["spoergsmaal"] if s["svar"]]
    assert besvarede and {s["gaelder"] for r in raekker for s in r["spoergsmaal"]} >= {True}
    assert any(r["fakta"] and r["lovhenvisninger"] for r in raekker)


@pytest.mark.parametrize("hvem", ["api_klient", "sagsbehandler"])
def test_klagelisten_er_praecis_serializerens_svar(rig, team, sagsbehandler, hvem):
    raekker = alle_sider(klienter(team, sagsbehandler, "forloeb:read", "afgoerelser:read")[hvem], "/api/v1/klager/")
    assert len(raekker) == 2 * len(KlageStatus.values)
    forventet = _klager_gammel([r["id"] for r in raekker])
    assert raekker == forventet
    assert [list(r) for r in raekker] == [list(r) for r in forventet]
    assert {r["status"] for r in raekker} == set(KlageStatus.values)
    assert {r["genvurdering_brev"] is None for r in raekker} == {True, False}
    assert {r["ankepakke"] is None for r in raekker} == {True, False}


def test_filtrerede_lister_er_serializerens_svar(rig, team, sagsbehandler):
    c = klienter(team, sagsbehandler, "forloeb:read", "afgoerelser:read")["api_klient"]
    kladder = c.get("/api/v1/afgoerelser/?status=kladde&type=genvurdering_resultat").json()["results"]
    assert kladder and {(r["status"], r["type"]) for r in kladder} == {("kladde", "genvurdering_resultat")}
    assert kladder == _dokumenter_gammel([r["id"] for r in kladder])
    fastholdte = c.get(f"/api/v1/klager/?status=fastholdt&forloeb={rig.pk}").json()["results"]
    assert [r["status"] for r in fastholdte] == ["fastholdt", "fastholdt"]
    assert fastholdte == _klager_gammel([r["id"] for r in fastholdte])
