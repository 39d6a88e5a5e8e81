"""Complaints (klager): received → genvurdering (medhold or fastholdt) → Ankestyrelsen → result.

The case is built through the real services on the factory timeline (plan day 0, indstilling
day 28): a partshøring sent day 29 and answered day 35, a refusal of fleksjob issued day 40 and
handed to the citizen day 42 (Monday 13 April 2026), so its klagefrist ends Monday 11 May 2026.
The clock (``django.utils.timezone.now``) follows the timeline, so issue, delivery and creation
times are what production would have recorded on those days.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfReader

from cases.models import Frist, FristStatus, Haendelse, Journalnotat, NotatType, Rolle
from cases.services import journalnotat_opret
from decisions import klager
from decisions import services as decisions
from decisions.models import Dokument, DokumentStatus, DokumentType, Klage, KlageStatus
from infra import cpr as cprlib
from infra import datoer
from infra.models import AuditEntry
from rehab import services as rehab
from tests import factories
from tests.factories import dag

KLAGEFRIST = dt.date(2026, 5, 11)  # 13 April + 4 weeks


class Ur:
    """A clock for ``timezone.now`` that the test moves along the timeline."""

    def __init__(self, monkeypatch):
        self.mp = monkeypatch

    def __call__(self, dato: dt.date) -> None:
        nu = dt.datetime.combine(dato, dt.time(10), tzinfo=dt.UTC)
        self.mp.setattr(timezone, "now", lambda: nu)


@pytest.fixture
def ur(monkeypatch):
    u = Ur(monkeypatch)
    u(factories.START)
    return u


def send(dokument: Dokument, actor, kanal: str = "udleveret"):
    """Render and deliver an issued document, as the Celery task and the caseworker would."""
    d = decisions.dokument_render_pdf(dokument.pk)
    return decisions.dokument_afsend(actor=actor, dokument=d, kanal=kanal)


def byg_sag(team, sagsbehandler, ur: Ur, *, journal_tekst: str = "Borgeren fortæller om smerter ved løft."):
    """A forløb with a real partshøring, an attachment with a file, a journal note and a refusal of
    fleksjob that relies on all of them, handed to the citizen on day 42. Returns (forløb, decision)."""
    fl = factories.forloeb_i("indstilling", team=team, sagsbehandler=sagsbehandler)
    indstilling = fl.indstillinger.get()
    fd = fl.forberedende_dele.get()
    ur(dag(20))
    bilag = rehab.bilag_tilfoej(
        actor=sagsbehandler,
        forberedende_del=fd,
        type="lae265",
        titel="Speciallægeerklæring",
        dokument_dato=dag(20),
        kilde="egen_laege",
        resume="Varige gener i ryggen.",
        fil=ContentFile(b"%PDF-1.4 fiktiv speciallaegeerklaering", name="erklaering.pdf"),
    )
    notat = journalnotat_opret(
        actor=sagsbehandler, forloeb=fl, type=NotatType.TELEFON, overskrift="Samtale med borgeren", tekst=journal_tekst
    )
    ur(dag(29))
    ph = rehab.partshoering_opret(
        actor=sagsbehandler,
        forloeb=fl,
        grundlag=[{"tekst": "Teamets vurdering", "kilde_type": "indstilling", "kilde_id": str(indstilling.pk)}],
    )
    decisions.dokument_udsted(actor=sagsbehandler, dokument=ph.brev, idag=dag(29))
    send(ph.brev, sagsbehandler)
    ur(dag(35))
    rehab.partshoering_svar(actor=sagsbehandler, partshoering=ph, dato=dag(35), tekst="Jeg er uenig i vurderingen.")
    ur(dag(40))
    afgoerelse = factories.afgoer(
        fl,
        DokumentType.FLEKSJOB_AFSLAG,
        40,
        fakta=[
            {
                "tekst": "Teamets vurdering af arbejdsevnen.",
                "kilde_type": "indstilling",
                "kilde_id": str(indstilling.pk),
            },
            {"tekst": "Speciallægens vurdering.", "kilde_type": "bilag", "kilde_id": str(bilag.pk)},
            {"tekst": "Borgerens egne oplysninger.", "kilde_type": "journalnotat", "kilde_id": str(notat.pk)},
            {"tekst": "Partshøringen.", "kilde_type": "dokument", "kilde_id": str(ph.brev_id)},
            {"tekst": "Teamets vurdering igen.", "kilde_type": "indstilling", "kilde_id": str(indstilling.pk)},
        ],
    )
    ur(dag(42))
    send(afgoerelse, sagsbehandler)
    return fl, Dokument.objects.get(pk=afgoerelse.pk)


@pytest.fixture
def sag(team, sagsbehandler, ur):
    return byg_sag(team, sagsbehandler, ur)


def modtag(actor, afgoerelse, dato: dt.date, **kw) -> Klage:
    kw.setdefault("kanal", "brev")
    kw.setdefault("indhold", "Jeg klager over afslaget.")
    return klager.klage_modtag(actor=actor, afgoerelse=afgoerelse, modtaget_dato=dato, **kw)


def fastholdt_klage(sag, actor, ur) -> Klage:
    _, afgoerelse = sag
    ur(dag(50))
    k = modtag(actor, afgoerelse, dag(50))
    ur(dag(60))
    return klager.klage_genvurder(
        actor=actor, klage=k, resultat="fastholdt", begrundelse="Arbejdsevnen er ikke nedsat nok.", idag=dag(60)
    )


def erstatning(fl, afgoerelse, paa_dag: int) -> Dokument:
    """A new decision created as a replacement of ``afgoerelse`` and issued."""
    d = decisions.dokument_opret(
        actor=fl.sagsbehandler,
        forloeb=fl,
        type=DokumentType.FLEKSJOB_AFSLAG,
        erstatter=afgoerelse,
        tekst="Ny afgørelse efter genvurdering.",
        hovedhensyn="Nye oplysninger i klagen.",
        lovhenvisninger=["lab_116", "fvl_22_24"],
        fakta=[{"tekst": "Klagen.", "kilde_type": "dokument", "kilde_id": str(afgoerelse.pk)}],
    )
    return decisions.dokument_udsted(actor=fl.sagsbehandler, dokument=d, idag=dag(paa_dag))


def frist(fl, art: str, reference) -> Frist:
    return Frist.objects.get(forloeb=fl, art=art, reference=str(reference))


def tilstand(fl) -> tuple:
    """Everything a refused step must leave untouched."""
    return (
        sorted(Klage.objects.filter(forloeb=fl).values_list("id", "status", "genvurderet_dato", "ankepakke_sha256")),
        sorted(Frist.objects.filter(forloeb=fl).values_list("art", "status", "lukket_dato")),
        Haendelse.objects.filter(forloeb=fl).count(),
        Dokument.objects.filter(forloeb=fl).count(),
        Journalnotat.objects.filter(forloeb=fl).count(),
        AuditEntry.objects.count(),
    )


# --- receiving ---------------------------------------------------------------------------------------
def test_klage_inden_fristen_lukker_klagefristen_som_overholdt_og_starter_genvurdering_paa_4_uger(
    sag, sagsbehandler, ur
):
    fl, afgoerelse = sag
    kf = frist(fl, "klagefrist", afgoerelse.pk)
    assert (kf.start_dato, kf.gaeldende_forfald, kf.status) == (dag(42), KLAGEFRIST, FristStatus.AABEN)

    ur(dag(50))
    k = modtag(sagsbehandler, afgoerelse, dag(50), kanal="telefon")

    assert (k.status, k.for_sent, k.forloeb_id, k.kanal) == (KlageStatus.MODTAGET, False, fl.pk, "telefon")
    kf.refresh_from_db()
    assert (kf.status, kf.lukket_dato, kf.lukket_af) == (FristStatus.OVERHOLDT, dag(50), "klage_modtaget")
    gv = frist(fl, "genvurdering", afgoerelse.pk)
    assert (gv.start_dato, gv.gaeldende_forfald, gv.status) == (dag(50), dag(50 + 28), FristStatus.AABEN)
    entry = AuditEntry.objects.get(handling="klage.modtag", subject_id=str(k.pk))
    assert entry.efter["for_sent"] is False and entry.borger_ids == [fl.borger_id]


@pytest.mark.parametrize(
    ("modtaget", "for_sent", "klagefristens_status"),
    [
        (KLAGEFRIST, False, FristStatus.OVERHOLDT),  # the last day counts
        (KLAGEFRIST + dt.timedelta(days=1), True, FristStatus.OVERSKREDET),
        (KLAGEFRIST + dt.timedelta(days=60), True, FristStatus.OVERSKREDET),
    ],
)
def test_for_sen_klage_markeres_for_sent_men_modtages(sag, sagsbehandler, ur, modtaget, for_sent, klagefristens_status):
    fl, afgoerelse = sag
    ur(modtaget)
    k = modtag(sagsbehandler, afgoerelse, modtaget)
    assert k.for_sent is for_sent
    assert k.status == KlageStatus.MODTAGET
    assert frist(fl, "klagefrist", afgoerelse.pk).status == klagefristens_status
    gv = frist(fl, "genvurdering", afgoerelse.pk)
    assert (gv.start_dato, gv.gaeldende_forfald) == (modtaget, modtaget + dt.timedelta(weeks=4))


def test_klagefrist_der_ender_paa_en_helligdag_rykkes_og_klagen_er_rettidig(team, sagsbehandler, ur):
    """Received Monday 27 April 2026: + 4 weeks = Monday 25 May, 2. pinsedag → Tuesday 26 May."""
    fl = factories.forloeb_i("indstilling", team=team, sagsbehandler=sagsbehandler)
    ur(dag(55))
    d = factories.afgoer(fl, DokumentType.FLEKSJOB_AFSLAG, 55)
    ur(dt.date(2026, 4, 27))
    send(d, sagsbehandler)
    assert frist(fl, "klagefrist", d.pk).gaeldende_forfald == dt.date(2026, 5, 26)
    ur(dt.date(2026, 5, 26))
    assert modtag(sagsbehandler, d, dt.date(2026, 5, 26)).for_sent is False


def test_klage_over_et_brev_afvises_og_intet_aendres(sag, sagsbehandler, ur):
    fl, _ = sag
    ur(dag(50))
    brev = Dokument.objects.get(forloeb=fl, type=DokumentType.PARTSHOERING)
    assert brev.status == DokumentStatus.AFSENDT
    foer = tilstand(fl)
    with pytest.raises(klager.KlageFejl, match="er et brev, ikke en afgørelse"):
        modtag(sagsbehandler, brev, dag(50))
    assert tilstand(fl) == foer


def test_klage_over_en_kladde_afvises(sag, sagsbehandler, ur):
    fl, _ = sag
    ur(dag(50))
    kladde = decisions.dokument_opret(actor=sagsbehandler, forloeb=fl, type=DokumentType.FLEKSJOB_AFSLAG)
    foer = tilstand(fl)
    with pytest.raises(klager.KlageFejl, match="ikke udstedt"):
        modtag(sagsbehandler, kladde, dag(50))
    assert tilstand(fl) == foer


def test_klage_med_dato_i_fremtiden_eller_foer_afsendelsen_afvises(sag, sagsbehandler):
    fl, afgoerelse = sag
    foer = tilstand(fl)
    with pytest.raises(ValidationError) as exc:
        modtag(sagsbehandler, afgoerelse, datoer.idag() + dt.timedelta(days=2))
    assert "modtaget_dato" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        modtag(sagsbehandler, afgoerelse, dag(41))
    assert "modtaget_dato" in exc.value.message_dict
    assert tilstand(fl) == foer


def test_anden_klage_over_samme_afgoerelse_afvises_mens_den_foerste_behandles(sag, sagsbehandler, ur):
    fl, afgoerelse = sag
    ur(dag(50))
    modtag(sagsbehandler, afgoerelse, dag(50))
    ur(dag(51))
    foer = tilstand(fl)
    with pytest.raises(klager.KlageFejl, match="allerede en klage"):
        modtag(sagsbehandler, afgoerelse, dag(51))
    assert tilstand(fl) == foer


def test_klage_uden_for_adgang_eller_af_moedeleder_afvises(sag, fremmed_team, team):
    _, afgoerelse = sag
    for actor in (factories.medarbejder(fremmed_team), factories.medarbejder(team, Rolle.MOEDELEDER)):
        with pytest.raises(PermissionDenied):
            modtag(actor, afgoerelse, dag(50))
    assert not Klage.objects.exists()


# --- genvurdering ------------------------------------------------------------------------------------
def test_medhold_kraever_en_ny_afgoerelse_der_erstatter_den_paaklagede(sag, sagsbehandler, ur):
    fl, afgoerelse = sag
    ur(dag(50))
    k = modtag(sagsbehandler, afgoerelse, dag(50))
    ur(dag(55))
    with pytest.raises(ValidationError) as exc:
        klager.klage_genvurder(actor=sagsbehandler, klage=k, resultat="medhold", begrundelse="Enig.", idag=dag(55))
    assert "ny_afgoerelse" in exc.value.message_dict
    anden = factories.afgoer(fl, DokumentType.FLEKSJOB_AFSLAG, 55)  # issued, but replaces nothing
    foer = tilstand(fl)
    with pytest.raises(ValidationError) as exc:
        klager.klage_genvurder(
            actor=sagsbehandler, klage=k, resultat="medhold", begrundelse="Enig.", ny_afgoerelse=anden, idag=dag(55)
        )
    assert "erstatning" in exc.value.message_dict["ny_afgoerelse"][0]
    assert tilstand(fl) == foer

    ny = erstatning(fl, afgoerelse, 55)
    k = klager.klage_genvurder(
        actor=sagsbehandler, klage=k, resultat="medhold", begrundelse="Klagen gav nye oplysninger.", ny_afgoerelse=ny,
        idag=dag(55),
    )  # fmt: skip

    assert (k.status, k.genvurderet_dato, k.ny_afgoerelse_id) == (KlageStatus.MEDHOLD, dag(55), ny.pk)
    gv = frist(fl, "genvurdering", afgoerelse.pk)
    assert (gv.status, gv.lukket_dato, gv.lukket_af) == (FristStatus.OVERHOLDT, dag(55), "genvurdering_medhold")
    brev = klager.genvurdering_brev(k)
    assert brev.type == DokumentType.GENVURDERING_RESULTAT and brev.status == DokumentStatus.KLADDE
    assert "medhold" in brev.tekst and "Klagen gav nye oplysninger." in brev.tekst
    entry = AuditEntry.objects.get(handling="klage.genvurder", subject_id=str(k.pk))
    assert entry.foer == {"status": "modtaget"} and entry.efter["status"] == "medhold"


def test_medhold_med_en_erstatning_der_ikke_er_udstedt_afvises(sag, sagsbehandler, ur):
    fl, afgoerelse = sag
    ur(dag(50))
    k = modtag(sagsbehandler, afgoerelse, dag(50))
    ur(dag(55))
    kladde = decisions.dokument_opret(
        actor=sagsbehandler, forloeb=fl, type=DokumentType.FLEKSJOB_AFSLAG, erstatter=afgoerelse
    )
    with pytest.raises(ValidationError, match="Udsted den nye afgørelse"):
        klager.klage_genvurder(
            actor=sagsbehandler, klage=k, resultat="medhold", begrundelse="Enig.", ny_afgoerelse=kladde, idag=dag(55)
        )
    assert Klage.objects.get(pk=k.pk).status == KlageStatus.MODTAGET


def test_genvurdering_kraever_begrundelse(sag, sagsbehandler, ur):
    fl, afgoerelse = sag
    ur(dag(50))
    k = modtag(sagsbehandler, afgoerelse, dag(50))
    ur(dag(55))
    foer = tilstand(fl)
    with pytest.raises(ValidationError) as exc:
        klager.klage_genvurder(actor=sagsbehandler, klage=k, resultat="fastholdt", begrundelse="  ", idag=dag(55))
    assert "begrundelse" in exc.value.message_dict
    assert tilstand(fl) == foer


def test_fastholdt_holder_genvurderingsfristen_aaben_og_skriver_brev_om_oversendelse(sag, sagsbehandler, ur):
    fl, afgoerelse = sag
    k = fastholdt_klage(sag, sagsbehandler, ur)
    assert (k.status, k.genvurderet_dato) == (KlageStatus.FASTHOLDT, dag(60))
    assert frist(fl, "genvurdering", afgoerelse.pk).status == FristStatus.AABEN
    brev = klager.genvurdering_brev(k)
    assert "fastholder" in brev.tekst and "Ankestyrelsen" in brev.tekst


# --- Ankestyrelsen -----------------------------------------------------------------------------------
def test_sendt_til_ankestyrelsen_danner_ankepakke_med_indeks_og_dokumenter_i_raekkefoelge(sag, sagsbehandler, ur):
    fl, afgoerelse = sag
    k = fastholdt_klage(sag, sagsbehandler, ur)
    ur(dag(65))
    k = klager.klage_send_til_ankestyrelsen(actor=sagsbehandler, klage=k, idag=dag(65))

    assert (k.status, k.sendt_til_ankestyrelsen) == (KlageStatus.SENDT_TIL_ANKESTYRELSEN, dag(65))
    gv = frist(fl, "genvurdering", afgoerelse.pk)
    assert (gv.status, gv.lukket_af) == (FristStatus.OVERHOLDT, "klage_sendt_ankestyrelsen")
    with k.ankepakke.open("rb") as f:
        data = f.read()
    assert hashlib.sha256(data).hexdigest() == k.ankepakke_sha256
    z = zipfile.ZipFile(io.BytesIO(data))
    assert z.namelist() == [
        "00_indeks.txt",
        "01_afgoerelse.pdf",
        "02_klage.txt",
        "03_partshoering_brev.pdf",
        "04_partshoering_svar.txt",
        "05_indstilling.txt",
        "06_bilag.txt",
        "07_bilag_fil.pdf",
        "08_journalnotat.txt",
        "09_dokument.pdf",
        "10_genvurdering.txt",
    ]
    with afgoerelse.pdf.open("rb") as f:
        assert z.read("01_afgoerelse.pdf") == f.read()  # exactly as sent
    brev = Dokument.objects.get(forloeb=fl, type=DokumentType.PARTSHOERING)
    with brev.pdf.open("rb") as f:
        brev_pdf = f.read()
    assert z.read("03_partshoering_brev.pdf") == brev_pdf == z.read("09_dokument.pdf")
    assert "Jeg klager over afslaget." in z.read("02_klage.txt").decode()
    assert "Jeg er uenig i vurderingen." in z.read("04_partshoering_svar.txt").decode()
    indstilling = z.read("05_indstilling.txt").decode()
    assert "Hvorfor arbejde på ordinære vilkår ikke er muligt:\nHvorfor ikke ordinaere vilkaar: teamets" in indstilling
    assert "Varige gener i ryggen." in z.read("06_bilag.txt").decode()
    assert z.read("07_bilag_fil.pdf") == b"%PDF-1.4 fiktiv speciallaegeerklaering"
    assert "Borgeren fortæller om smerter ved løft." in z.read("08_journalnotat.txt").decode()
    assert "Arbejdsevnen er ikke nedsat nok." in z.read("10_genvurdering.txt").decode()

    indeks = z.read("00_indeks.txt").decode()
    positioner = [indeks.index(navn) for navn in z.namelist()[1:]]
    assert positioner == sorted(positioner)  # the index lists them in the package's order
    assert re.search(r"01_afgoerelse\.pdf\s+11\.04\.2026\s+Den påklagede afgørelse", indeks)
    assert re.search(r"02_klage\.txt\s+21\.04\.2026\s+Klagen", indeks)
    assert re.search(r"04_partshoering_svar\.txt\s+06\.04\.2026", indeks)
    assert re.search(r"05_indstilling\.txt\s+30\.03\.2026", indeks)
    assert "Speciallægens vurdering. (kilde: " in indeks and "→ 06_bilag.txt, 07_bilag_fil.pdf" in indeks
    assert "Teamets vurdering igen. (kilde: " in indeks and indeks.count("→ 05_indstilling.txt") == 2
    assert afgoerelse.sagsnummer in indeks and fl.borger.cpr_maskeret in indeks
    for navn in z.namelist()[1:]:
        assert hashlib.sha256(z.read(navn)).hexdigest() in indeks
    entry = AuditEntry.objects.get(handling="klage.send_til_ankestyrelsen", subject_id=str(k.pk))
    assert entry.efter["ankepakke_sha256"] == k.ankepakke_sha256


def test_indeksets_kontrolsummer_maskeres_ikke_selv_om_de_ligner_et_cpr_nummer(sag, sagsbehandler, ur):
    # A SHA-256 digest holds ten CPR-shaped digits now and then ("...a0604183784f..."); CI once saw
    # the index mask one, so the index named a checksum that no file had.
    from decisions import ankepakke

    data = next(
        d for d in (f"fil {i}".encode() for i in range(100_000))
        if ankepakke.masker_cpr(hashlib.sha256(d).hexdigest()) != hashlib.sha256(d).hexdigest()
    )  # fmt: skip
    k = fastholdt_klage(sag, sagsbehandler, ur)
    k.afgoerelse = sag[1]
    del_ = ankepakke.Del("bilag_fil", "Fil", dag(30), data, "pdf", navn="01_bilag_fil.pdf")

    indeks = ankepakke._indeks(k, [del_], []).decode()

    assert f"01_bilag_fil.pdf  {del_.sha256}" in indeks
    assert "-****" not in indeks.split("SHA-256 for hver fil:")[1]


def test_ankepakken_indeholder_intet_fuldt_cpr_og_ingen_navne_i_filnavne(team, sagsbehandler, ur):
    b = factories.borger(team, actor=sagsbehandler, fornavn="Zenobia", efternavn="Qvistgaard")
    cpr = cprlib.decrypt(b.cpr_krypteret)
    fl_kw = {"borger": b}
    fl = factories.forloeb_i("indstilling", team=team, sagsbehandler=sagsbehandler, **fl_kw)
    ur(dag(30))
    notat = journalnotat_opret(
        actor=sagsbehandler, forloeb=fl, type=NotatType.NOTAT, overskrift="Telefonnotat",
        tekst=f"Borgeren oplyste sit cpr {cpr[:6]}-{cpr[6:]} i telefonen.",
    )  # fmt: skip
    ur(dag(40))
    d = factories.afgoer(
        fl,
        DokumentType.FLEKSJOB_AFSLAG,
        40,
        fakta=[{"tekst": "Borgerens oplysninger.", "kilde_type": "journalnotat", "kilde_id": str(notat.pk)}],
    )
    ur(dag(42))
    send(d, sagsbehandler)
    ur(dag(50))
    k = modtag(sagsbehandler, d, dag(50), indhold=f"Jeg hedder Zenobia, cpr {cpr}, og klager.")
    ur(dag(55))
    k = klager.klage_genvurder(
        actor=sagsbehandler, klage=k, resultat="fastholdt", begrundelse=f"Vedr. {cpr[:6]} {cpr[6:]}", idag=dag(55)
    )
    ur(dag(56))
    k = klager.klage_send_til_ankestyrelsen(actor=sagsbehandler, klage=k, idag=dag(56))

    with k.ankepakke.open("rb") as f:
        z = zipfile.ZipFile(io.BytesIO(f.read()))
    former = [cpr, f"{cpr[:6]}-{cpr[6:]}", f"{cpr[:6]} {cpr[6:]}"]
    laest = 0
    for info in z.infolist():
        assert "zenobia" not in info.filename.lower() and "qvistgaard" not in info.filename.lower()
        assert cpr[:6] not in info.filename
        data = z.read(info)
        tekster = [data.decode("utf-8", errors="replace")]
        if info.filename.endswith(".pdf"):
            tekster.append("".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))
        for tekst in tekster:
            for form in former:
                assert form not in tekst, info.filename
        laest += 1
    assert laest == len(z.namelist()) >= 5
    assert f"{cpr[:6]}-****" in z.read("02_klage.txt").decode()  # masked, not dropped
    assert "Zenobia" in z.read("00_indeks.txt").decode()  # the citizen is named inside, not in file names


def test_send_til_ankestyrelsen_kun_efter_fastholdt(sag, sagsbehandler, ur):
    fl, afgoerelse = sag
    ur(dag(50))
    k = modtag(sagsbehandler, afgoerelse, dag(50))
    foer = tilstand(fl)
    with pytest.raises(klager.KlageFejl, match="status 'fastholdt'"):
        klager.klage_send_til_ankestyrelsen(actor=sagsbehandler, klage=k)
    assert tilstand(fl) == foer
    ur(dag(55))
    ny = erstatning(fl, afgoerelse, 55)
    k = klager.klage_genvurder(
        actor=sagsbehandler, klage=k, resultat="medhold", begrundelse="Enig.", ny_afgoerelse=ny, idag=dag(55)
    )
    foer = tilstand(fl)
    with pytest.raises(klager.KlageFejl, match="status 'medhold"):
        klager.klage_send_til_ankestyrelsen(actor=sagsbehandler, klage=k)
    assert tilstand(fl) == foer
    assert not Klage.objects.get(pk=k.pk).ankepakke


@pytest.mark.parametrize("resultat", ["stadfaestet", "afvist"])
def test_ankestyrelsens_resultat_registreres_og_afgoer_klagen(sag, sagsbehandler, ur, resultat):
    fl, _ = sag
    k = fastholdt_klage(sag, sagsbehandler, ur)
    ur(dag(65))
    k = klager.klage_send_til_ankestyrelsen(actor=sagsbehandler, klage=k, idag=dag(65))
    noter = Journalnotat.objects.filter(forloeb=fl).count()
    ur(dag(120))
    k = klager.klage_ankestyrelsens_resultat(actor=sagsbehandler, klage=k, resultat=resultat, dato=dag(120))
    assert (k.status, k.ankestyrelsens_resultat, k.resultat_dato) == (KlageStatus.AFGJORT, resultat, dag(120))
    assert Journalnotat.objects.filter(forloeb=fl).count() == noter
    assert AuditEntry.objects.filter(handling="klage.ankestyrelsens_resultat", subject_id=str(k.pk)).count() == 1


def test_hjemvist_skriver_journalnotat_med_ny_afgoerelse_som_naeste_skridt(sag, sagsbehandler, ur):
    fl, afgoerelse = sag
    k = fastholdt_klage(sag, sagsbehandler, ur)
    ur(dag(65))
    k = klager.klage_send_til_ankestyrelsen(actor=sagsbehandler, klage=k, idag=dag(65))
    ur(dag(120))
    k = klager.klage_ankestyrelsens_resultat(actor=sagsbehandler, klage=k, resultat="hjemvist", dato=dag(120))
    assert k.status == KlageStatus.AFGJORT
    notat = Journalnotat.objects.get(forloeb=fl, overskrift="Ankestyrelsen har hjemvist sagen")
    assert "ny afgørelse" in notat.tekst and afgoerelse.sagsnummer in notat.tekst
    fl.refresh_from_db()
    assert fl.naeste_skridt == "Træf ny afgørelse efter Ankestyrelsens hjemvisning"
    assert fl.naeste_skridt_dato == notat.naeste_skridt_dato is not None


def test_trin_i_forkert_raekkefoelge_afvises_uden_aendringer(sag, sagsbehandler, ur):
    fl, afgoerelse = sag
    ur(dag(50))
    k = modtag(sagsbehandler, afgoerelse, dag(50))
    ur(dag(60))
    foer = tilstand(fl)
    with pytest.raises(klager.KlageFejl, match="Ankestyrelsens resultat"):
        klager.klage_ankestyrelsens_resultat(actor=sagsbehandler, klage=k, resultat="hjemvist", dato=dag(60))
    assert tilstand(fl) == foer
    k = klager.klage_genvurder(actor=sagsbehandler, klage=k, resultat="fastholdt", begrundelse="Nej.", idag=dag(55))
    foer = tilstand(fl)
    with pytest.raises(klager.KlageFejl, match="genvurderes"):
        klager.klage_genvurder(actor=sagsbehandler, klage=k, resultat="fastholdt", begrundelse="Igen.", idag=dag(56))
    assert tilstand(fl) == foer
    k = klager.klage_send_til_ankestyrelsen(actor=sagsbehandler, klage=k, idag=dag(60))
    sha = k.ankepakke_sha256
    ur(dag(61))
    foer = tilstand(fl)
    with pytest.raises(klager.KlageFejl, match="sendes til Ankestyrelsen"):
        klager.klage_send_til_ankestyrelsen(actor=sagsbehandler, klage=k, idag=dag(61))
    with pytest.raises(ValidationError):
        klager.klage_ankestyrelsens_resultat(actor=sagsbehandler, klage=k, resultat="hjemvist", dato=dag(59))
    assert tilstand(fl) == foer
    ur(dag(100))
    k = klager.klage_ankestyrelsens_resultat(actor=sagsbehandler, klage=k, resultat="aendret", dato=dag(100))
    ur(dag(101))
    foer = tilstand(fl)
    with pytest.raises(klager.KlageFejl, match="afgjort"):
        klager.klage_ankestyrelsens_resultat(actor=sagsbehandler, klage=k, resultat="hjemvist", dato=dag(101))
    assert tilstand(fl) == foer
    assert Klage.objects.get(pk=k.pk).ankepakke_sha256 == sha
