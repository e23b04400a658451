"""Under `/api/v1/alerts/` (namespace `api`)."""

from django.urls import path

from atiende.monitoring import views

urlpatterns = [
    path("<int:source_id>/", views.receive_alerts, name="alerts-receive"),
    path("<int:source_id>/<str:token>/", views.receive_alerts, name="alerts-receive-token"),
]
