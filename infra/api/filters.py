"""List filters as django-filter FilterSets: typed, documented in the schema, Danish field errors.

A viewset declares ``filterset_class``; :class:`FilterBackend` (the API's default filter backend)
applies it to ``list`` only, and a malformed value answers 400 with every field error at once.
``StrictQueryParamsMixin`` takes the FilterSet's parameters as the allowed ones. The filter kinds
below carry the API's messages:

- :func:`valg`: one of a set of values (``Ukendt værdi. Brug en af: ...``),
- :func:`uuid`: an id (``Skal være et UUID.``),
- :func:`dato`: an ISO date (``Angiv en dato som ÅÅÅÅ-MM-DD.``).

A hot list (``direkte_filtre = True`` on the viewset) is filtered by :func:`anvend` instead: the same
FilterSet's declared filters, each query parameter read and cleaned by the filter's own form field
and applied by the filter itself, but without building a FilterSet and its form per request (a deep
copy of every filter and field: most of a list's filtering time, issue #14). The answer to bad input
is the same 400 with the same field errors; the FilterSet stays what the schema describes.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

UGYLDIGT_UUID = "Skal være et UUID."
UGYLDIG_DATO = "Angiv en dato som ÅÅÅÅ-MM-DD."


class FilterBackend(DjangoFilterBackend):
    """django-filter on ``list``: a retrieve or an action is never narrowed by a list's filters."""

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", None) != "list":
            return queryset
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is not None and getattr(view, "direkte_filtre", False):
            return anvend(filterset_class, request.query_params, queryset)
        return super().filter_queryset(request, queryset, view)


def anvend(filterset_class: type[django_filters.FilterSet], params, queryset: QuerySet) -> QuerySet:
    """``filterset_class(params, queryset).qs`` (400 with every field's errors when a value is bad, as
    django-filter's backend answers), without instantiating the FilterSet or its form.

    Each given parameter is read by its filter's widget and cleaned by its form field, as the form
    would; an absent one is skipped (every filter is optional, so the form would skip it too). The
    filters must be simple: one widget value per parameter, and a ``method`` given as a function
    (a method name needs a FilterSet instance)."""
    filtre = filterset_class.base_filters
    fejl: dict[str, list[ErrorDetail]] = {}
    vaerdier = []
    for navn, f in filtre.items():
        if isinstance(f.method, str) or f.field.required:
            raise ImproperlyConfigured(f"{filterset_class.__name__}.{navn}: not a filter anvend() can apply")
        if navn not in params:
            continue
        try:
            vaerdier.append((f, f.field.clean(f.field.widget.value_from_datadict(params, {}, navn))))
        except ValidationError as e:  # django_filters.utils.translate_validation's rendering of the errors
            fejl[navn] = [ErrorDetail(m.message % (m.params or ()), code=m.code) for m in e.error_list]
    if fejl:
        raise serializers.ValidationError(fejl)
    for f, vaerdi in vaerdier:
        queryset = f.filter(queryset, vaerdi)
    return queryset


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
