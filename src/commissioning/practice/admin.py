"""The technical admin site's view of the Code.

Principles and the Code's words come from the catalogue and are read-only
here. A rule's settings and whether it is in use can be changed, through the
same services as the administration pages, so every change is checked and
audited. Outcomes are history and cannot be changed.
"""

import json

from django import forms
from django.contrib import admin

from .models import Explanation, Principle, Rule, RuleOutcome
from .services import SettingsError, rule_active_set, rule_settings_update, settings_validate


@admin.register(Principle)
class PrincipleAdmin(admin.ModelAdmin):
    list_display = ["number", "title"]
    readonly_fields = ["number", "title", "text"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RuleAdminForm(forms.ModelForm):
    class Meta:
        model = Rule
        fields = ["settings", "active"]

    def clean_settings(self):
        values = self.cleaned_data.get("settings")
        if not isinstance(values, dict):
            raise forms.ValidationError("Settings must be a JSON object of setting names and values")
        try:
            return settings_validate(self.instance.code, values)
        except SettingsError as exc:
            raise forms.ValidationError([f"{key}: {message}" for key, message in exc.errors.items()]) from exc


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    form = RuleAdminForm
    list_display = ["code", "title", "stage", "guards_step", "active"]
    list_filter = ["stage", "guards_step", "active"]
    search_fields = ["code", "title", "code_text"]
    readonly_fields = [
        "code",
        "stage",
        "title",
        "code_text",
        "check_text",
        "guards_step",
        "principle_numbers",
        "defaults",
    ]
    fields = [*readonly_fields, "settings", "active"]

    @admin.display(description="principles")
    def principle_numbers(self, obj: Rule) -> str:
        return ", ".join(str(p.number) for p in obj.principles.all())

    @admin.display(description="Leeds defaults")
    def defaults(self, obj: Rule) -> str:
        return json.dumps({d.key: d.stored(d.default) for d in obj.setting_definitions})

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if "settings" in form.changed_data:
            rule_settings_update(actor=request.user, rule_code=obj.code, values=form.cleaned_data["settings"])
        if "active" in form.changed_data:
            rule_active_set(actor=request.user, rule_code=obj.code, active=form.cleaned_data["active"])

    def save_related(self, request, form, formsets, change):
        # The rule's principles come from the catalogue; nothing related is edited here.
        pass


@admin.register(RuleOutcome)
class RuleOutcomeAdmin(admin.ModelAdmin):
    list_display = [
        "rule",
        "object_type",
        "object_id",
        "outcome",
        "step",
        "recorded_at",
        "superseded_at",
    ]
    list_filter = ["outcome", "step", "rule"]
    search_fields = ["object_type", "object_id", "reason", "agreed_by"]
    list_select_related = ["rule"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Explanation)
class ExplanationAdmin(admin.ModelAdmin):
    """Explanations are read here; they are written, confirmed and declined only in the hub's pages."""

    list_display = ["rule", "object_type", "object_id", "status", "written_by", "confirmer", "written_at"]
    list_filter = ["status", "rule"]
    search_fields = ["object_type", "object_id", "reason", "decision_note", "recorded_agreed_by"]
    list_select_related = ["rule", "written_by", "confirmer"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
