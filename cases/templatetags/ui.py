"""Template helpers for DKFDS markup: form fields, the error summary, icons and the demo box."""

from __future__ import annotations

from django import forms, template
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()

_INPUT_CLASS = {"checkbox": "form-checkbox", "select": "form-select", "textarea": "form-input", "input": "form-input"}


def _kind(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    return "input"


@register.inclusion_tag("includes/felt.html")
def felt(bound_field: forms.BoundField, bredde: str = "", marker_frivilligt: bool = True):
    """One form field as a DKFDS form group: label, hint, error message, input.

    ``bredde`` is a DKFDS input width (xxs, xs, s, m, l, xl). Optional fields get "(frivilligt)"
    after the label (the DKFDS convention) unless ``marker_frivilligt`` is false.
    """
    kind = _kind(bound_field.field.widget)
    field_id = bound_field.id_for_label
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{field_id}-hint")
    if bound_field.errors:
        described_by.append(f"{field_id}-error")
    css = _INPUT_CLASS[kind]
    if bredde:
        css += f" input-width-{bredde}"
    attrs = {"class": css}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return {
        "felt": bound_field,
        "felt_id": field_id,
        "kind": kind,
        "widget": bound_field.as_widget(attrs=attrs),
        "valgfrit": marker_frivilligt and not bound_field.field.required and kind != "checkbox",
    }


@register.inclusion_tag("includes/fejlopsummering.html")
def fejlopsummering(*formularer: forms.BaseForm):
    """The DKFDS error summary for one or more bound forms: non-field errors, then field links."""
    generelle, felter = [], []
    for form in formularer:
        if form is None or not form.is_bound or not form.errors:
            continue
        generelle.extend(form.non_field_errors())
        for bf in form:
            if bf.is_hidden:
                generelle.extend(bf.errors)
                continue
            felter.extend((bf.id_for_label, str(bf.label), message) for message in bf.errors)
    return {"generelle": generelle, "felter": felter, "har_fejl": bool(generelle or felter)}


@register.simple_tag
def ikon(navn: str, klasse: str = "", label: str = ""):
    """An icon from the vendored DKFDS sprite; decorative unless a label is given."""
    href = f"{static('vendor/dkfds/img/all-svg-icons.svg')}#{navn}"
    if label:
        return format_html(
            '<svg class="icon-svg {}" focusable="false" role="img" aria-label="{}"><use href="{}"></use></svg>',
            klasse, label, href,
        )  # fmt: skip
    return format_html(
        '<svg class="icon-svg {}" focusable="false" aria-hidden="true"><use href="{}"></use></svg>', klasse, href
    )


@register.simple_tag
def demo_logins():
    """Demo users for the login page, only when DEBUG is on (the demodata command creates them)."""
    if not settings.DEBUG:
        return None
    return {
        "adgangskode": getattr(settings, "DEMO_PASSWORD", ""),
        "brugere": [
            ("sagsbehandler1", "Sagsbehandler"),
            ("teamleder1", "Teamleder"),
            ("moedeleder1", "Mødeleder"),
            ("jurist1", "Jurist/administrator"),
        ],
    }


@register.inclusion_tag("includes/borger_hoved.html", takes_context=True)
def borger_hoved(context, tilbage_url: str = "", tilbage_tekst: str = ""):
    """The one citizen header of every page about a citizen or a forløb: a back link, name, masked
    CPR and, with a forløb, its phase, caseworker and team. The page's context names the forløb
    ``forloeb`` or ``fl``; a page without one shows the citizen alone."""
    forloeb = context.get("forloeb") or context.get("fl")
    borger = context.get("borger") or getattr(forloeb, "borger", None)
    return {"b": borger, "f": forloeb, "tilbage_url": tilbage_url, "tilbage_tekst": tilbage_tekst}
