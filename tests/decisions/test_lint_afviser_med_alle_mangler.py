"""Each content and guard rule refuses with its code, and every missing element is listed at once."""

import pytest

from decisions import lint, services
from decisions.models import Dokument, DokumentStatus
from tests import factories

from .hjaelp import kladde, pdf_tekst, udsted

pytestmark = pytest.mark.django_db

BEGRUNDELSE = {"begrundelse.lovhenvisning_mangler", "begrundelse.hovedhensyn_mangler", "begrundelse.fakta_mangler"}


def koder(d, dag=40):
    return {m.kode for m in lint.lint(d, actor=d.forloeb.sagsbehandler, idag=factories.dag(dag))}


def partshoert(fl):
    factories.haendelse(fl, "partshoering_sendt", 29)
    factories.haendelse(fl, "partshoering_besvaret", 35)
    return fl


def test_manglende_begrundelse_afvises_med_alle_tre_koder_paa_en_gang():
    fl = factories.forloeb_i("indstilling", udfald="ressourceforloeb")
    d = kladde(fl, "fleksjob_afslag", hovedhensyn="", lovhenvisninger=[], fakta=[])
    assert koder(d) >= BEGRUNDELSE
    with pytest.raises(services.LintFejl) as fejl:
        services.dokument_udsted(actor=fl.sagsbehandler, dokument=d, idag=factories.dag(40))
    assert {m.kode for m in fejl.value.mangler} >= BEGRUNDELSE
    assert {m.felt for m in fejl.value.mangler} >= {"lovhenvisninger", "hovedhensyn", "fakta"}
    assert Dokument.objects.get(pk=d.pk).status == DokumentStatus.KLADDE


def test_fuldt_medhold_springer_begrundelsen_over_men_giver_klagevejledning():
    fl = factories.forloeb_i("indstilling", udfald="ressourceforloeb")
    d = kladde(fl, "fleksjob_afslag", fuldt_medhold=True, hovedhensyn="", lovhenvisninger=[], fakta=[])
    assert koder(d) & BEGRUNDELSE == set()
    d = udsted(d)
    assert "Ankestyrelsen" in d.klagevejledning and "Klagevejledning" in pdf_tekst(d)


def test_afslag_paa_foertidspension_kraever_konkret_arbejdsfunktion():
    fl = factories.forloeb_i("foertidspension_behandling")
    d = kladde(
        fl, "foertidspension_afslag", sundhedsfaglig_raadgivning="klinisk_funktion",
        lovhenvisninger=["pl_16", "pl_19"], arbejdsfunktioner=["  "],
    )  # fmt: skip
    assert "foertidspension.afslag_uden_arbejdsfunktion" in koder(d, 50)
    d = services.dokument_opdater(actor=fl.sagsbehandler, dokument=d, arbejdsfunktioner=["Lettere kontorarbejde"])
    assert "foertidspension.afslag_uden_arbejdsfunktion" not in koder(d, 50)


def test_afgoerelse_imod_indstillingen_uden_genforelaeggelse_afvises():
    fl = partshoert(factories.forloeb_i("indstilling", udfald="fleksjob"))
    d = kladde(fl, "ressourceforloeb_bevilling", tekst="Du bevilges ressourceforløb.")
    assert "indstilling.afvigelse_uden_genforelaeggelse" in koder(d)
    ok = kladde(fl, "fleksjob_visitation", tekst="Du visiteres til fleksjob.")
    assert koder(ok) == set()


def test_afgoerelse_foer_partshoeringsfristen_afvises():
    fl = factories.forloeb_i("indstilling", udfald="ressourceforloeb")
    factories.haendelse(fl, "partshoering_sendt", 29)
    d = kladde(fl, "ressourceforloeb_bevilling", tekst="Du bevilges ressourceforløb.")
    assert "partshoering.mangler" in koder(d, 35)  # 14-day reply deadline not passed, no answer
    assert "partshoering.mangler" not in koder(d, 44)  # deadline passed


def test_ressourceforloeb_efter_ansoegning_om_fleksjob_kraever_udtrykkeligt_fleksjobafslag():
    fl = partshoert(factories.forloeb_i("indstilling", udfald="ressourceforloeb", ansoegt_fleksjob="2026-03-02"))
    assert fl.ansoegt_fleksjob
    d = kladde(fl, "ressourceforloeb_bevilling", tekst="Du bevilges ressourceforløb.")
    assert "afgoerelse.fleksjob_afslag_mangler" in koder(d)
    d = services.dokument_opdater(actor=fl.sagsbehandler, dokument=d, fleksjob_afslag=True)
    assert "afgoerelse.fleksjob_afslag_mangler" in koder(d)  # a refusal needs its reasons
    d = services.dokument_opdater(
        actor=fl.sagsbehandler, dokument=d, fleksjob_afslag_begrundelse="Arbejdsevnen kan udvikles først."
    )
    assert koder(d) == set()
    d = udsted(d, idag=factories.dag(40))
    assert "Afslag på fleksjob Arbejdsevnen kan udvikles først." in pdf_tekst(d)


def test_alle_mangler_listes_samtidig():
    fl = factories.forloeb_i("indstilling", udfald="fleksjob", ansoegt_fleksjob="2026-03-02")
    factories.haendelse(fl, "partshoering_sendt", 29)
    d = kladde(fl, "ressourceforloeb_bevilling", tekst="", hovedhensyn="", lovhenvisninger=[], fakta=[])
    with pytest.raises(services.LintFejl) as fejl:
        services.dokument_udsted(actor=fl.sagsbehandler, dokument=d, idag=factories.dag(35))
    assert {m.kode for m in fejl.value.mangler} >= BEGRUNDELSE | {
        "dokument.tekst_mangler",
        "afgoerelse.fleksjob_afslag_mangler",
        "indstilling.afvigelse_uden_genforelaeggelse",
        "partshoering.mangler",
    }
