"""Where in the UI the caseworker fixes what a guard rule lacks.

Each rule names a section (``cases.rules.Regel.link``); this maps the section to the page that
fixes it (URL name, anchor, Danish link text). One map for every page that lists missing
conditions: the citizen page, the transition form and the rehab editors.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

REGEL_LINKS: dict[str, tuple[str, str, str]] = {
    "forberedende": ("rehab:forberedende_del", "", "Gå til den forberedende del"),
    "bilag": ("rehab:forberedende_del", "#bilag", "Gå til bilag"),
    "rehabmoede": ("rehab:booking", "", "Gå til booking af møde"),
    "indstilling": ("rehab:indstilling", "", "Gå til indstillingen"),
    "partshoering": ("rehab:partshoering", "", "Gå til partshøring"),
    "breve": ("decisions:dokumenter", "", "Gå til breve og afgørelser"),
    "afgoerelse": ("decisions:dokumenter", "", "Gå til breve og afgørelser"),
}


def regel_link(section: str, forloeb_pk) -> tuple[str, str]:
    """The URL and link text of where a rule is fixed ('' when there is no such page)."""
    if section not in REGEL_LINKS:
        return "", ""
    name, anchor, tekst = REGEL_LINKS[section]
    try:
        return reverse(name, args=[forloeb_pk]) + anchor, tekst
    except NoReverseMatch:
        return "", ""
