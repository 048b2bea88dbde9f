from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import ApiToken, ApiTokenFailure, Invitation, Membership, Organisation, OrganisationIdentifier, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "job_title")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),)
    filter_horizontal = ()
    list_filter = ["is_active", "is_staff"]
    inlines = [MembershipInline]


class IdentifierInline(admin.TabularInline):
    model = OrganisationIdentifier
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "side", "legal_form", "status"]
    list_filter = ["side", "status", "legal_form"]
    search_fields = ["name", "identifiers__value"]
    readonly_fields = ["status", "verified_at"]
    inlines = [IdentifierInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "accepted_at"]
    exclude = ["token_digest"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "revoked_at"]
    exclude = ["digest"]


@admin.register(ApiTokenFailure)
class ApiTokenFailureAdmin(admin.ModelAdmin):
    """Addresses being counted for bad API tokens; deleting a row lifts its wait at once."""

    list_display = ["address", "failures", "last_failed_at"]
    readonly_fields = ["address", "failures", "last_failed_at"]
    search_fields = ["address"]

    def has_add_permission(self, request) -> bool:
        return False
