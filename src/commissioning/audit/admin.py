from django.contrib import admin

from .models import AuditEvent
from .selectors import audit_events_visible


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only for everyone, superusers included."""

    list_display = ["occurred_at", "actor_label", "verb", "object_type", "object_id", "object_repr"]
    list_filter = ["verb", "object_type"]
    search_fields = ["actor_label", "object_repr", "object_id", "reason"]

    def get_queryset(self, request):
        # The same events as the log's page: sealed bids' events stay out until their deadline.
        return audit_events_visible()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
