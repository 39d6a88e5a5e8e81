"""The one place settings are read from the environment.

Every variable the product reads is declared here through these helpers, so README's
configuration table and the production system check have a single source.
"""

from __future__ import annotations

import os
from typing import overload

_TRUE = {"1", "true", "yes", "on", "ja"}
_FALSE = {"0", "false", "no", "off", "nej", ""}

#: Every variable read through this module, with its description (for docs and checks).
DECLARED: dict[str, str] = {}


class ConfigurationError(ValueError):
    pass


def _raw(name: str, doc: str) -> str | None:
    DECLARED[name] = doc
    return os.environ.get(name)


@overload
def env_str(name: str, default: str, *, doc: str = "") -> str: ...
@overload
def env_str(name: str, default: None = None, *, doc: str = "") -> str | None: ...
def env_str(name: str, default: str | None = None, *, doc: str = "") -> str | None:
    value = _raw(name, doc)
    return default if value is None else value


def env_bool(name: str, default: bool = False, *, doc: str = "") -> bool:
    value = _raw(name, doc)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ConfigurationError(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def env_int(name: str, default: int, *, doc: str = "") -> int:
    value = _raw(name, doc)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be an integer, got {value!r}") from exc


def env_list(name: str, default: list[str] | None = None, *, doc: str = "") -> list[str]:
    value = _raw(name, doc)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]
