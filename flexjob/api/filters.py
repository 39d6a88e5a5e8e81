"""Query parameters of the fleksjob lists and the agreements."""

from __future__ import annotations

import django_filters

from flexjob.models import AftaleStatus, AftaleType, BevillingType
from infra.api import filters


class VirksomhedFilter(django_filters.FilterSet):
    cvr = django_filters.CharFilter()


class ForloebFilter(django_filters.FilterSet):
    """Visitations or employments of one forløb."""

    forloeb = filters.uuid(field_name="forloeb_id")


class VurderingFilter(django_filters.FilterSet):
    ansaettelse = filters.uuid(field_name="ansaettelse_id")


class AftaleFilter(django_filters.FilterSet):
    status = filters.valg(AftaleStatus.choices)
    type = filters.valg(AftaleType.choices)


class BevillingFilter(django_filters.FilterSet):
    borger = filters.uuid(field_name="borger_id")
    forloeb = filters.uuid(field_name="forloeb_id")
    type = filters.valg(BevillingType.choices)
