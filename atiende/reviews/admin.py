from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from atiende.reviews.models import SentReview


@admin.register(SentReview)
class SentReviewAdmin(admin.ModelAdmin):
    """The months sent, read only. Deleting a month's row lets the job send it again; the
    sending itself is switched on and off in the desk (`actions.change_review_sending`)."""

    list_display = ["organization", "period", "sent_at", "recipients"]
    list_filter = ["period"]
    readonly_fields = ["organization", "period", "sent_at", "recipients"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
