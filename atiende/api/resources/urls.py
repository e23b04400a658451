"""Version 1 of the API's resources, under `/api/v1/` (names in the `api:` namespace)."""

from django.urls import path

from atiende.api.resources.views import articles, attachments, directory, statements, ticket_actions, tickets

urlpatterns = [
    path("tickets/", tickets.TicketList.as_view(), name="tickets"),
    path("tickets/<int:number>/", tickets.TicketDetail.as_view(), name="ticket-detail"),
    path("tickets/<int:number>/messages/", ticket_actions.TicketMessages.as_view(), name="ticket-messages"),
    path("tickets/<int:number>/replies/", ticket_actions.TicketReplies.as_view(), name="ticket-replies"),
    path("tickets/<int:number>/notes/", ticket_actions.TicketNotes.as_view(), name="ticket-notes"),
    path("tickets/<int:number>/close/", ticket_actions.TicketClose.as_view(), name="ticket-close"),
    path("tickets/<int:number>/links/", ticket_actions.TicketLinks.as_view(), name="ticket-links"),
    path("tickets/<int:number>/merge/", ticket_actions.TicketMerge.as_view(), name="ticket-merge"),
    path("tickets/<int:number>/sla/", ticket_actions.TicketSlaView.as_view(), name="ticket-sla"),
    path(
        "tickets/<int:number>/time-entries/",
        ticket_actions.TicketTimeEntries.as_view(),
        name="ticket-time-entries",
    ),
    path("attachments/<int:pk>/", attachments.AttachmentDetail.as_view(), name="attachment-detail"),
    path("attachments/<int:pk>/content/", attachments.AttachmentContent.as_view(), name="attachment-content"),
    path("companies/", directory.CompanyList.as_view(), name="companies"),
    path("companies/<int:pk>/", directory.CompanyDetail.as_view(), name="company-detail"),
    path("companies/<int:pk>/sites/", directory.CompanySites.as_view(), name="company-sites"),
    path("companies/<int:pk>/contracts/", directory.CompanyContracts.as_view(), name="company-contracts"),
    path("contacts/", directory.ContactList.as_view(), name="contacts"),
    path("articles/", articles.ArticleList.as_view(), name="articles"),
    path("articles/<int:pk>/", articles.ArticleDetail.as_view(), name="article-detail"),
    path("statements/", statements.StatementList.as_view(), name="statements"),
    path("statements/<str:statement>/", statements.StatementDetail.as_view(), name="statement-detail"),
    path("statements/<str:statement>/lines/", statements.StatementLines.as_view(), name="statement-lines"),
    path("contacts/<int:pk>/deactivate/", directory.ContactDeactivate.as_view(), name="contact-deactivate"),
]
