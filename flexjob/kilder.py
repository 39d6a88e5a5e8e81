"""What flexjob adds to decisions: the citizen's earlier grants as a source a fact of a begrundelse may
cite (registered in ``FlexjobConfig.ready`` with ``decisions.kilder``)."""

from __future__ import annotations

from decisions import ankepakke_dele as ap
from decisions import kilder

from .models import Bevilling


def _titel(b: Bevilling) -> str:
    return f"Tidligere bevilling: {b.get_type_display()} ({b.dato:%d.%m.%Y})"


def _bevillinger(fl):
    return Bevilling.objects.filter(borger_id=fl.borger_id)


def _i_pakke(forloeb_id, pk) -> list[ap.Del]:
    b = Bevilling.objects.filter(pk=pk, borger__forloeb__id=forloeb_id).first()
    if b is None:
        return []
    return [
        ap.Del(
            "bevilling",
            _titel(b),
            b.dato,
            ap.tekst(
                "Tidligere bevilling",
                "",
                f"Type: {b.get_type_display()}",
                f"Bevilget: {ap.d(b.dato)} af {b.bevilget_af}",
                f"Registreret: {ap.d(b.oprettet)} af {b.oprettet_af}",
                "",
                b.beskrivelse,
            ),
        )
    ]


BEVILLING = kilder.Kildetype(
    type="bevilling",
    gruppe="Tidligere bevillinger",
    orden=35,
    valg=lambda fl, undtagen: [(b.pk, _titel(b)) for b in _bevillinger(fl)],
    titel=lambda fl, pk: next((_titel(b) for b in _bevillinger(fl).filter(pk=pk)), None),
    ankepakke=_i_pakke,
)


def registrer() -> None:
    kilder.registrer(BEVILLING)
