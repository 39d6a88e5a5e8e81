"""The back office of decisions: the jurist's standard phrases, scoped by municipality. Saves go
through :mod:`decisions.standardtekster` (validated and audited like the page's)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from . import standardtekster
from .models import Standardtekst


class StandardtekstAdminForm(forms.ModelForm):
    class Meta:
        model = Standardtekst
        fields = ["dokument_type", "afsnit", "titel", "tekst", "aktiv"]

    kommune_id = None  # set by the admin from the user: duplicates are per municipality

    def clean(self):
        data = super().clean()
        fejl = standardtekster.standardtekst_fejl(data, kommune_id=self.kommune_id, pk=self.instance.pk)
        for felt, besked in fejl.items():
            if felt not in self.errors:
                self.add_error(felt, besked)
        return data


@admin.register(Standardtekst)
class StandardtekstAdmin(admin.ModelAdmin):
    form = StandardtekstAdminForm
    list_display = ["titel", "dokument_type", "afsnit", "aktiv", "aendret", "aendret_af"]
    list_filter = ["dokument_type", "afsnit", "aktiv"]
    search_fields = ["titel", "tekst"]
    fields = ["dokument_type", "afsnit", "titel", "tekst", "aktiv"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.kommune_id = getattr(request.user, "kommune_id", None)
        return form

    def get_queryset(self, request):
        return standardtekster.standardtekster_for(request.user)

    def _maa(self, request) -> bool:
        return standardtekster.maa_vedligeholde(request.user)

    def has_module_permission(self, request):
        return self._maa(request)

    def has_view_permission(self, request, obj=None):
        return self._maa(request)

    def has_add_permission(self, request):
        return self._maa(request)

    def has_change_permission(self, request, obj=None):
        return self._maa(request) and (obj is None or obj.kommune_id == request.user.kommune_id)

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: the editor's history keeps what was inserted

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data[f] for f in self.fields}
        try:
            if change:
                gemt = standardtekster.standardtekst_opdater(
                    actor=request.user, standardtekst=Standardtekst.objects.get(pk=obj.pk), **data
                )
            else:
                gemt = standardtekster.standardtekst_opret(actor=request.user, **data)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        obj.pk, obj.kommune_id, obj.aendret, obj.aendret_af = gemt.pk, gemt.kommune_id, gemt.aendret, gemt.aendret_af
