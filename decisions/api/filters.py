"""Query parameters of the lists of decisions, letters and complaints."""

from __future__ import annotations

import django_filters

from decisions.models import DokumentStatus, DokumentType, KlageStatus
from infra.api import filters


class DokumentFilter(django_filters.FilterSet):
    forloeb = filters.uuid(field_name="forloeb_id")
    type = filters.valg(DokumentType.choices)
    status = filters.valg(DokumentStatus.choices)


class KlageFilter(django_filters.FilterSet):
    forloeb = filters.uuid(field_name="forloeb_id")
    status = filters.valg(KlageStatus.choices)
