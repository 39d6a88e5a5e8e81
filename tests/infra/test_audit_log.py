import pytest
from django.db import DatabaseError, connection, transaction

from cases.models import Borger
from infra import audit
from infra.models import AuditEntry


def test_auditraekker_kan_ikke_aendres_eller_slettes_i_databasen(borger):
    entry = AuditEntry.objects.filter(borger_ids__contains=[borger.pk]).first()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE cases_auditentry SET handling = 'skjult' WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()  # a queryset delete bypasses model.delete()
    with pytest.raises(PermissionError):
        entry.delete()
    entry.handling = "skjult"
    with pytest.raises(PermissionError):
        entry.save()


def test_sletning_af_borger_sletter_ikke_auditsporet(borger, sagsbehandler):
    borger_id = borger.pk
    with transaction.atomic():
        audit.record_read(actor=sagsbehandler, handling="borger.laes", borgere=[borger])
    Borger.objects.filter(pk=borger_id).delete()
    handlinger = list(audit.for_borger(borger_id).values_list("handling", flat=True))
    assert handlinger == ["borger.opret", "borger.laes"]


def test_laesning_logges_med_aktoer_og_kilde(borger, sagsbehandler, client):
    from infra import context

    with context.bound(context.RequestContext(request_id="r-1", kilde="GET /borgere/x/")):
        audit.record_read(actor=sagsbehandler, handling="borger.laes", borgere=[borger], subject=borger)
    entry = audit.for_borger(borger.pk).last()
    assert (entry.handling, entry.actor_navn, entry.request_id, entry.kilde) == (
        "borger.laes",
        sagsbehandler.get_full_name(),
        "r-1",
        "GET /borgere/x/",
    )


def test_listevisning_logges_for_hver_viste_borger(team, sagsbehandler):
    from tests import factories

    a = factories.borger(team, actor=sagsbehandler)
    b = factories.borger(team, actor=sagsbehandler)
    audit.record_read(actor=sagsbehandler, handling="borger.liste", borgere=[a, b])
    assert audit.for_borger(a.pk).filter(handling="borger.liste").count() == 1
    assert audit.for_borger(b.pk).filter(handling="borger.liste").count() == 1
