"""Time to render one decision PDF (WeasyPrint) for a realistic decision.

    .venv/bin/python tools/devservices.py exec --profile bench -- .venv/bin/python bench/pdf.py --n 30

Builds one fictitious forløb through the real services (indstilling, partshøring), issues a
ressourceforløb decision with a full begrundelse (3 legal references, 6 facts with sources, long
text with paragraphs) and renders its PDF ``--n`` times (``decisions.pdf.render``: template + layout
+ PDF, nothing stored). Prints median, p95, min and max in milliseconds. Target: median ≤ 300 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import setup_django

TEKST = (
    "Du får bevilget et ressourceforløb i 2 år fra den 1. maj 2026. Ressourceforløbet skal hjælpe dig "
    "med at udvikle din arbejdsevne, så du på sigt kan komme i arbejde eller uddannelse.\n\n"
) * 6


def beslutning():
    from cases.models import Borger
    from decisions import services
    from tests import factories

    if Borger.objects.filter(fiktiv=False).exists():
        raise SystemExit("refusing: the database holds citizens that are not fictitious")
    fl = factories.forloeb_i("indstilling", udfald="ressourceforloeb")
    factories.haendelse(fl, "partshoering_sendt", 29)
    factories.haendelse(fl, "partshoering_besvaret", 35)
    indstilling = fl.indstillinger.get()
    fakta = [
        {"tekst": f"Oplysning {i}: {TEKST[:300]}", "kilde_type": "indstilling", "kilde_id": str(indstilling.pk)}
        for i in range(1, 7)
    ]
    d = services.dokument_opret(
        actor=fl.sagsbehandler, forloeb=fl, type="ressourceforloeb_bevilling", tekst=TEKST,
        hovedhensyn=TEKST[:800], lovhenvisninger=["lab_113", "fvl_22_24", "rsl_67"], fakta=fakta,
    )  # fmt: skip
    return services.dokument_udsted(actor=fl.sagsbehandler, dokument=d, idag=factories.dag(40))


def maal(n: int) -> dict:
    """Render one realistic decision ``n`` times (after a warm-up); times in ms. Leaves nothing behind."""
    from django.db import transaction

    from decisions import pdf
    from decisions.models import Dokument

    with transaction.atomic():
        d = beslutning()
        d = Dokument.objects.select_related("forloeb__borger", "forloeb__team__jobcenter", "kommune").get(pk=d.pk)
        stoerrelse = len(pdf.render(d))  # warm-up: fonts, template cache
        tider = []
        for _ in range(n):
            t0 = time.perf_counter()
            pdf.render(d)
            tider.append((time.perf_counter() - t0) * 1000)
        transaction.set_rollback(True)  # leave nothing behind
    tider.sort()
    p95 = tider[min(len(tider) - 1, round(0.95 * len(tider)) - 1)]
    return {"bytes": stoerrelse, "median": statistics.median(tider), "p95": p95, "min": tider[0], "max": tider[-1]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=30, help="number of renders (default 30)")
    args = parser.parse_args([a for a in (argv if argv is not None else sys.argv[1:]) if a != "pdf"])
    setup_django()
    r = maal(args.n)
    print(f"decision PDF ({r['bytes']:,} bytes), {args.n} renders: median {r['median']:.0f} ms, p95 {r['p95']:.0f} ms, "
          f"min {r['min']:.0f} ms, max {r['max']:.0f} ms (target: median <= 300 ms)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
