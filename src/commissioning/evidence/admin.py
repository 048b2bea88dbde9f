from django.contrib import admin

from .models import EvidenceItem


@admin.register(EvidenceItem)
class EvidenceItemAdmin(admin.ModelAdmin):
    """Which versions exist and when, for operators; never what they say or their files.

    Read-only for everyone: versions change only through the services.
    """

    list_display = ["organisation", "item", "version", "valid_until", "created_at", "superseded_at"]
    list_filter = ["item"]
    search_fields = ["organisation__name"]
    fields = ["organisation", "item", "version", "valid_until", "created_at", "superseded_at"]
    readonly_fields = fields
    list_select_related = ["organisation"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
