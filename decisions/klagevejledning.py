"""The klagevejledning block, generated from the rule catalogue (forvaltningsloven § 25)."""

from __future__ import annotations

import datetime as dt

from cases import regelkatalog
from infra import datoer


def tekst(*, kommune, jobcenter, paa: dt.date) -> str:
    klagefrist = regelkatalog.frist_definition("klagefrist", kommune.pk, paa)
    genvurdering = regelkatalog.frist_definition("genvurdering", kommune.pk, paa)
    frist = datoer.enhed_tekst(klagefrist.laengde, klagefrist.enhed) if klagefrist else "4 uger"
    genv = datoer.enhed_tekst(genvurdering.laengde, genvurdering.enhed) if genvurdering else "4 uger"
    lov = klagefrist.lovgrundlag if klagefrist else "retssikkerhedslovens § 67"
    kontakt = ", ".join(x for x in (jobcenter.adresse, jobcenter.telefon, jobcenter.email) if x)
    return (
        f"Du kan klage over afgørelsen. Klagen skal sendes til {kommune.navn} ({jobcenter.navn}), "
        f"ikke direkte til Ankestyrelsen. Klagen skal være modtaget senest {frist} efter, at du har modtaget "
        f"afgørelsen (jf. {lov}). Falder fristen på en lørdag, søndag eller helligdag, forlænges den til den "
        f"følgende hverdag. Du kan klage skriftligt, pr. brev eller e-mail, eller mundtligt, fx pr. telefon. "
        f"Du behøver ikke at begrunde klagen. Kommunen genvurderer afgørelsen inden for {genv}. "
        f"Giver kommunen dig ikke fuldt ud medhold, sender kommunen klagen videre til Ankestyrelsen, "
        f"som behandler den."
    ) + (f" Kontakt: {kontakt}." if kontakt else "")
