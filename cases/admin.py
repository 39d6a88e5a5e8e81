"""The back office: organisation and users. Citizens are not edited here (see the caseworker UI)."""

import datetime as dt
import uuid

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q

from cases import frister, overgange, regelkatalog
from cases.models import (
    ApiKlient,
    FristDefinition,
    Jobcenter,
    Kommune,
    Lovhenvisning,
    Regelparameter,
    Rolle,
    Team,
    User,
    jurist_gruppe,
)
from infra import audit, datoer
from infra.models import AuditEntry


@admin.register(Kommune)
class KommuneAdmin(admin.ModelAdmin):
    list_display = ["navn", "kommunekode"]
    search_fields = ["navn", "kommunekode"]


@admin.register(Jobcenter)
class JobcenterAdmin(admin.ModelAdmin):
    list_display = ["navn", "kommune"]
    list_filter = ["kommune"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["navn", "jobcenter", "sagsnorm"]
    list_filter = ["jobcenter__kommune"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "rolle", "kommune", "is_active"]
    list_filter = ["rolle", "kommune", "is_active"]
    filter_horizontal = ["teams", "groups", "user_permissions"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("Organisation", {"fields": ["kommune", "rolle", "teams", "telefon"]}),
    ]

    def save_related(self, request, form, formsets, change):
        """A jurist gets back-office access to the rule catalogue; other roles do not."""
        super().save_related(request, form, formsets, change)
        user = form.instance
        if user.rolle == Rolle.JURIST:
            jurist_gruppe().user_set.add(user)
            if not user.is_staff:
                User.objects.filter(pk=user.pk).update(is_staff=True)
        else:
            jurist_gruppe().user_set.remove(user)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only."""

    list_display = ["tidspunkt", "actor_navn", "handling", "subject_type", "kilde"]
    list_filter = ["handling", "actor_type"]
    search_fields = ["actor_navn", "handling", "subject_id"]
    date_hierarchy = "tidspunkt"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- The rule catalogue (jurist) ---------------------------------------------------------------
class RegelkatalogAdmin(admin.ModelAdmin):
    """Rows in force are versions: a row already used by a deadline is read-only, and a change is
    made by adding a new row with a later 'gyldig fra' (the action below copies one). Every save is
    written to the audit log with before/after, so the catalogue has a full history.

    Scoped by municipality (``cases.regelkatalog.maa_aendre_regel``): a municipality's jurist sees
    the national rows and their own municipality's, and creates and changes only their own; the
    national rows are changed only by a national rule administrator (superuser or the group
    ``National regeladministrator``)."""

    actions = ["kopier_som_ny_version"]
    list_filter = ["kommune"]
    save_as = True

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if regelkatalog.er_national_regeladministrator(request.user):
            return qs
        return qs.filter(Q(kommune_id=request.user.kommune_id) | Q(kommune__isnull=True))

    def has_change_permission(self, request, obj=None):
        if obj is not None and not regelkatalog.maa_aendre_regel(request.user, obj.kommune_id):
            return False
        return super().has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "kommune" and not regelkatalog.er_national_regeladministrator(request.user):
            kwargs["queryset"] = Kommune.objects.filter(pk=request.user.kommune_id)
            kwargs["required"] = True
            kwargs["initial"] = request.user.kommune_id
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _i_brug(self, obj) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and self._i_brug(obj):
            return [f.name for f in obj._meta.fields if f.name not in ("gyldig_til",)]
        return ["oprettet"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        felter = [f.name for f in obj._meta.fields if f.name not in ("id", "oprettet")]
        foer = None
        if change:
            gemt = type(obj).objects.get(pk=obj.pk)
            if not regelkatalog.maa_aendre_regel(request.user, gemt.kommune_id):
                raise PermissionDenied
            foer = audit.snapshot(gemt, felter)
        if not regelkatalog.maa_aendre_regel(request.user, obj.kommune_id):
            raise PermissionDenied
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit.record(
                actor=request.user,
                handling=f"regelkatalog.{obj._meta.model_name}.{'aendr' if change else 'opret'}",
                subject=obj,
                kommune_id=obj.kommune_id,
                foer=foer,
                efter=audit.snapshot(obj, felter),
            )

    @admin.action(description="Kopiér som ny version (gyldig fra i morgen)")
    def kopier_som_ny_version(self, request, queryset):

        imorgen = datoer.idag() + dt.timedelta(days=1)
        if any(not regelkatalog.maa_aendre_regel(request.user, obj.kommune_id) for obj in queryset):
            raise PermissionDenied
        with transaction.atomic():
            for obj in queryset:
                obj.pk = None
                obj._state.adding = True
                obj.gyldig_fra, obj.gyldig_til = imorgen, None
                if hasattr(obj, "id"):
                    obj.id = uuid.uuid4()
                obj.save()
                audit.record(
                    actor=request.user, handling=f"regelkatalog.{obj._meta.model_name}.opret", subject=obj,
                    kommune_id=obj.kommune_id, efter={"kopi": True, "gyldig_fra": imorgen},
                )  # fmt: skip
        self.message_user(
            request, f"{queryset.count()} ny(e) version(er) oprettet med gyldighed fra {imorgen:%d.%m.%Y}."
        )


def haendelse_valg() -> list[tuple[str, str]]:
    """Every event the product emits, by its Danish label: the jurist picks what starts, meets,
    lapses or extends a deadline (e.g. which decisions meet the servicemål) instead of typing codes."""
    labels = dict(frister.HAENDELSER)
    for spec in overgange.OVERGANGE:
        for kode in spec.haendelseskoder():
            labels.setdefault(kode, f"{spec.titel} ({kode})")
    return sorted(labels.items(), key=lambda kv: kv[1].lower())


class FristDefinitionForm(forms.ModelForm):
    start_haendelser = forms.MultipleChoiceField(
        label="Starter ved hændelser", required=False, widget=forms.CheckboxSelectMultiple
    )
    slut_haendelser = forms.MultipleChoiceField(
        label="Overholdes ved hændelser",
        widget=forms.CheckboxSelectMultiple,
        help_text="Fx de afgørelser, der overholder servicemålet.",
    )
    bortfald_haendelser = forms.MultipleChoiceField(
        label="Bortfalder ved hændelser", required=False, widget=forms.CheckboxSelectMultiple
    )
    forlaeng_haendelse = forms.ChoiceField(label="Forlænges ved hændelse", required=False)

    class Meta:
        model = FristDefinition
        fields = [
            "art", "navn", "start_haendelser", "laengde", "enhed", "foer_start", "slut_haendelser",
            "bortfald_haendelser", "forlaeng_haendelse", "gentages", "lovgrundlag", "type", "ansvar",
            "rul_til_hverdag", "varsler_dage", "varsel_handling", "beskrivelse", "gyldig_fra", "gyldig_til", "kommune",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        valg = haendelse_valg()
        kendte = {k for k, _ in valg}
        # A stored code the product no longer emits stays visible (and selectable) rather than vanishing.
        for navn in ("start_haendelser", "slut_haendelser", "bortfald_haendelser"):
            gemte = getattr(self.instance, navn, None) or []
            self.fields[navn].choices = valg + [(k, k) for k in gemte if k not in kendte]
        self.fields["forlaeng_haendelse"].choices = [("", "Ingen"), *valg]


@admin.register(FristDefinition)
class FristDefinitionAdmin(RegelkatalogAdmin):
    form = FristDefinitionForm
    list_display = ["art", "navn", "laengde", "enhed", "type", "kommune", "gyldig_fra", "gyldig_til"]
    list_filter = ["kommune", "type"]
    search_fields = ["art", "navn", "lovgrundlag"]

    def _i_brug(self, obj) -> bool:
        return obj.frister.exists()


@admin.register(Regelparameter)
class RegelparameterAdmin(RegelkatalogAdmin):
    list_display = ["kode", "vaerdi", "type", "kommune", "gyldig_fra", "gyldig_til"]
    list_filter = ["kommune", "type"]
    search_fields = ["kode", "beskrivelse"]

    def _i_brug(self, obj) -> bool:
        return obj.gyldig_fra <= datoer.idag()


@admin.register(Lovhenvisning)
class LovhenvisningAdmin(RegelkatalogAdmin):
    list_display = ["kode", "lov", "paragraf", "titel", "type", "gyldig_fra", "gyldig_til"]
    list_filter = ["type"]
    search_fields = ["kode", "lov", "titel"]


@admin.register(ApiKlient)
class ApiKlientAdmin(admin.ModelAdmin):
    list_display = ["navn", "kommune", "token_prefix", "aktiv", "sidst_brugt"]
    readonly_fields = ["token_prefix", "sidst_brugt", "oprettet"]
    exclude = ["token_hash"]

    def has_add_permission(self, request):
        return False  # tokens are created with manage.py opret_api_klient, shown once
