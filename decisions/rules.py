"""Guard rules decisions add to the forløb: a decision transition needs its issued decision."""

from cases import rules

from .lint import OVERGANG_FOR_TYPE
from .models import Dokument, DokumentStatus


def _udstedt(dokument_type: str):
    def check(forloeb, ktx) -> bool:

        qs = Dokument.objects.filter(forloeb=forloeb, type=dokument_type).exclude(status=DokumentStatus.KLADDE)
        efter = forloeb.overgang_dato if dokument_type.startswith("foertidspension") else forloeb.indstilling_dato
        if efter is not None:
            qs = qs.filter(udstedt__date__gte=efter)
        return qs.exists()

    return check


for _type, _overgang in OVERGANG_FOR_TYPE.items():
    rules.register(
        _overgang,
        rules.Regel(
            "afgoerelse.ikke_udstedt",
            "Afgørelsen skal udstedes; overgangen sker, når afgørelsen udstedes.",
            _udstedt(_type),
            link="afgoerelse",
        ),
    )
