"""Query parameters of the rehabilitation lists."""

from __future__ import annotations

import django_filters

from infra.api import filters


class ForloebFilter(django_filters.FilterSet):
    """Lists of one forløb's forberedende dele, bookinger, indstillinger or partshøringer."""

    forloeb = filters.uuid(field_name="forloeb_id")


class MoededagFilter(django_filters.FilterSet):
    fra = filters.dato(field_name="dato", lookup_expr="gte", help_text="Mødedage på eller efter")
    til = filters.dato(field_name="dato", lookup_expr="lte", help_text="Mødedage på eller før")
