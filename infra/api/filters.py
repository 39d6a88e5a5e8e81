"""List filters as django-filter FilterSets: typed, documented in the schema, Danish field errors.

A viewset declares ``filterset_class``; :class:`FilterBackend` (the API's default filter backend)
applies it to ``list`` only, and a malformed value answers 400 with every field error at once.
``StrictQueryParamsMixin`` takes the FilterSet's parameters as the allowed ones. The filter kinds
below carry the API's messages:

- :func:`valg`: one of a set of values (``Ukendt værdi. Brug en af: ...``),
- :func:`uuid`: an id (``Skal være et UUID.``),
- :func:`dato`: an ISO date (``Angiv en dato som ÅÅÅÅ-MM-DD.``).
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django_filters.rest_framework import DjangoFilterBackend

UGYLDIGT_UUID = "Skal være et UUID."
UGYLDIG_DATO = "Angiv en dato som ÅÅÅÅ-MM-DD."


class FilterBackend(DjangoFilterBackend):
    """django-filter on ``list``: a retrieve or an action is never narrowed by a list's filters."""

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", None) != "list":
            return queryset
        return super().filter_queryset(request, queryset, view)


class IsoDatoFelt(forms.DateField):
    """A date exactly as ``datetime.date.fromisoformat`` reads it (no locale formats)."""

    default_error_messages = {"invalid": UGYLDIG_DATO}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class DatoFilter(django_filters.DateFilter):
    field_class = IsoDatoFelt


def valg(choices, **kwargs) -> django_filters.ChoiceFilter:
    """One of ``choices`` (a Django ``Choices`` class's ``.choices``, or ``(value, label)`` pairs)."""
    choices = list(choices)
    values = ", ".join(str(v) for v, _ in choices)
    return django_filters.ChoiceFilter(
        choices=choices, error_messages={"invalid_choice": f"Ukendt værdi. Brug en af: {values}."}, **kwargs
    )


def uuid(**kwargs) -> django_filters.UUIDFilter:
    return django_filters.UUIDFilter(error_messages={"invalid": UGYLDIGT_UUID}, **kwargs)


def dato(**kwargs) -> DatoFilter:
    return DatoFilter(**kwargs)
