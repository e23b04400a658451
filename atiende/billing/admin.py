from django.contrib import admin

from atiende.billing.models import Adjustment, BillingProfile, ContractTerms, Statement


@admin.register(ContractTerms)
class ContractTermsAdmin(admin.ModelAdmin):
    list_display = [
        "contract",
        "effective_from",
        "kind",
        "currency",
        "hourly_rate",
        "bank_hours",
        "overage_rate",
    ]
    list_filter = ["kind", "currency"]
    autocomplete_fields = ["contract"]
    fieldsets = [
        (None, {"fields": ["contract", "effective_from", "kind", "currency", "tax_rate"]}),
        (None, {"fields": ["hourly_rate", "bank_hours", "bank_period", "rollover", "overage_rate"]}),
        (None, {"fields": ["increment_minutes", "minimum_minutes", "after_hours_multiplier"]}),
    ]


@admin.register(BillingProfile)
class BillingProfileAdmin(admin.ModelAdmin):
    list_display = ["organization", "account_manager"]
    filter_horizontal = ["contacts"]


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    """Issued statements are read-only: corrections are adjustments."""

    list_display = ["number", "organization", "period", "total", "currency", "issued_at"]
    list_filter = ["period"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Adjustment)
class AdjustmentAdmin(admin.ModelAdmin):
    list_display = ["organization", "amount", "reason", "statement"]
    readonly_fields = ["organization", "contract", "corrects", "amount", "reason", "created_by", "statement"]

    def has_add_permission(self, request: object) -> bool:
        return False
