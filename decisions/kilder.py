"""What a fact in a begrundelse may point at: a document of the same forløb."""

from __future__ import annotations

import uuid


def _uuid(value):
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def kilde_titel(forloeb, kilde_type: str | None, kilde_id) -> str | None:
    """The source's title if it exists in this forløb, else None."""
    pk = _uuid(kilde_id)
    if pk is None:
        return None
    if kilde_type == "bilag":
        from rehab.models import Bilag

        b = Bilag.objects.filter(pk=pk, forberedende_del__forloeb=forloeb).first()
        return f"{b.get_type_display()}: {b.titel} ({b.dokument_dato:%d.%m.%Y})" if b else None
    if kilde_type == "indstilling":
        from rehab.models import Indstilling

        i = Indstilling.objects.filter(pk=pk, forloeb=forloeb).first()
        return f"Rehabiliteringsteamets indstilling {i.dato:%d.%m.%Y}" if i else None
    if kilde_type == "journalnotat":
        from cases.models import Journalnotat

        n = Journalnotat.objects.filter(pk=pk, forloeb=forloeb).first()
        return f"Journalnotat: {n.overskrift} ({n.oprettet:%d.%m.%Y})" if n else None
    if kilde_type == "dokument":
        from .models import Dokument

        d = Dokument.objects.filter(pk=pk, forloeb=forloeb).exclude(status="kladde").first()
        return f"{d.get_type_display()} ({d.udstedt:%d.%m.%Y})" if d else None
    return None
