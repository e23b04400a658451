from django.urls import path

from atiende.desk.setup import clients, engineers, importing, routing, views

urlpatterns = [
    path("", views.overview, name="setup"),
    path("engineers/", engineers.engineer_invite, name="setup-engineer-invite"),
    path("import/", importing.import_start, name="setup-import"),
    path("import/confirm/", importing.import_confirm, name="setup-import-confirm"),
    path("import/template.<str:kind>", importing.import_template, name="setup-import-template"),
    path("routing/", routing.routing, name="setup-routing"),
    path("routing/rules/<int:pk>/remove/", routing.routing_rule_remove, name="setup-routing-rule-remove"),
    path("routing/queues/<int:pk>/", routing.queue_offer, name="setup-queue-offer"),
    path("clients/new/", clients.client_company, name="setup-client-new"),
    path("clients/<int:pk>/", clients.client_company, name="setup-client-edit"),
    path("clients/<int:pk>/sites/", clients.client_sites, name="setup-client-sites"),
    path("clients/<int:pk>/contracts/", clients.client_contracts, name="setup-client-contracts"),
    path("clients/<int:pk>/service-level/", clients.client_service_level, name="setup-client-service-level"),
    path("clients/<int:pk>/contacts/", clients.client_contacts, name="setup-client-contacts"),
]
