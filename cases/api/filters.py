"""Query parameters of the core's lists (borgere, forløb, frister, journalnotater)."""

from __future__ import annotations

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from cases.models import FristAnsvar, FristStatus, TilbudSvar, TilbudType, Tilstand
from infra.api import filters
from infra.api.mixins import is_uuid


def _sagsbehandler(felt: str):
    """An employee's id; anything but digits matches nobody (no error, like an unknown id)."""

    def filtrer(queryset, name, value):
        return queryset.filter(**{felt: value}) if value.isdigit() else queryset.none()

    return extend_schema_field(OpenApiTypes.INT)(django_filters.CharFilter(method=filtrer))


def _team(queryset, name, value):
    """A team's id; anything but a UUID matches nobody (no error)."""
    return queryset.filter(team_id=value) if is_uuid(value) else queryset.none()


def _aaben(queryset, name, value):
    return queryset.filter(lukket_dato__isnull=value == "true")


class BorgerFilter(django_filters.FilterSet):
    team = django_filters.CharFilter(method=_team, help_text="Team-id")


class ForloebFilter(django_filters.FilterSet):
    tilstand = filters.valg(Tilstand.choices)
    team = filters.uuid(field_name="team_id")
    borger = filters.uuid(field_name="borger_id")
    sagsbehandler = _sagsbehandler("sagsbehandler_id")


class FristFilter(django_filters.FilterSet):
    status = filters.valg(FristStatus.choices)
    art = django_filters.CharFilter()
    team = filters.uuid(field_name="team_id")
    forloeb = filters.uuid(field_name="forloeb_id")
    sagsbehandler = _sagsbehandler("forloeb__sagsbehandler_id")
    forfald_foer = filters.dato(
        field_name="gaeldende_forfald", lookup_expr="lt", help_text="Gældende forfald før denne dato"
    )
    forfald_efter = filters.dato(
        field_name="gaeldende_forfald", lookup_expr="gte", help_text="Gældende forfald på eller efter"
    )
    aaben = filters.valg([("true", "Kun åbne frister"), ("false", "Kun lukkede frister")], method=_aaben)
    ansvar = filters.valg(FristAnsvar.choices)


class JournalnotatFilter(django_filters.FilterSet):
    forloeb = filters.uuid(field_name="forloeb_id")


class TilbudFilter(django_filters.FilterSet):
    forloeb = filters.uuid(field_name="forloeb_id")
    svar = filters.valg(TilbudSvar.choices)
    type = filters.valg(TilbudType.choices)
