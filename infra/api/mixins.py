"""Small mixins and helpers every viewset of the API shares."""

from __future__ import annotations

import uuid

from rest_framework import serializers

PAGINATION_PARAMS = {"cursor", "page_size"}


class StrictQueryParamsMixin:
    """Unknown query parameters answer 400 instead of being silently ignored."""

    allowed_query_params: set[str] = set()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        unknown = set(request.query_params) - self.allowed_query_params - PAGINATION_PARAMS - {"format"}
        if unknown:
            raise serializers.ValidationError({p: ["Ukendt forespørgselsparameter."] for p in sorted(unknown)})


def is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
