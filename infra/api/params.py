"""Parsing of query parameters into typed values (400 with a Danish field error when malformed)."""

from __future__ import annotations

import datetime as dt

from rest_framework import serializers

from .mixins import is_uuid


def date_param(request, name: str) -> dt.date | None:
    value = request.query_params.get(name)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise serializers.ValidationError({name: ["Angiv en dato som ÅÅÅÅ-MM-DD."]}) from None


def choice_param(request, name: str, choices) -> str | None:
    value = request.query_params.get(name)
    if value and value not in choices:
        raise serializers.ValidationError({name: [f"Ukendt værdi. Brug en af: {', '.join(choices)}."]})
    return value or None


def uuid_param(request, name: str) -> str | None:
    value = request.query_params.get(name)
    if value and not is_uuid(value):
        raise serializers.ValidationError({name: ["Skal være et UUID."]})
    return value or None
