"""PDF rendering with WeasyPrint that cannot read local files or the network.

Everything a user typed is escaped by the Django template engine; the renderer's URL fetcher
refuses every URL (file://, http(s)://, data: included), so an ``<img src="file:///etc/passwd">``
typed into a journal note renders as text and nothing is fetched.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetchingError


def _no_fetch(url: str, *args, **kwargs):
    raise URLFetchingError(f"fetching is disabled for document rendering: {url[:60]}")


def html(dokument) -> str:
    borger = dokument.forloeb.borger
    jobcenter = dokument.forloeb.team.jobcenter
    return render_to_string(
        "decisions/pdf/dokument.html",
        {
            "d": dokument,
            "borger": borger,
            "kommune": dokument.kommune,
            "jobcenter": jobcenter,
            "fakta": list(dokument.fakta.all()),
            "lovhenvisninger": list(dokument.lovhenvisninger.order_by("kode")),
            "afgoerelse": dokument.er_afgoerelse,
        },
    )


def render(dokument) -> bytes:
    return HTML(string=html(dokument), base_url=None, url_fetcher=_no_fetch).write_pdf()
