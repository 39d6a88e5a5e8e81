from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import audit
from .selectors import borger_soeg


@login_required
def borger_list(request):
    query = request.GET.get("q", "")
    borgere = list(borger_soeg(request.user, query)[:100])
    audit.record_read(actor=request.user, handling="borger.soeg" if query else "borger.liste", borgere=borgere)
    return render(request, "cases/borger_list.html", {"borgere": borgere, "q": query})
