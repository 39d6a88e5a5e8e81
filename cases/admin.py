"""The back office: organisation and users. Citizens are not edited here (see the caseworker UI)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import AuditEntry, Jobcenter, Kommune, Team, User


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
