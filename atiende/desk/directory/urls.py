from django.urls import path

from atiende.desk.directory import views

urlpatterns = [
    path("companies/", views.companies, name="companies"),
    path("companies/suggestions/", views.company_suggestions, name="company-suggestions"),
    path("companies/new/", views.company_edit, name="company-new"),
    path("companies/<int:pk>/", views.company_detail, name="company"),
    path("companies/<int:pk>/edit/", views.company_edit, name="company-edit"),
    path("companies/<int:pk>/sites/", views.company_add_site, name="company-add-site"),
    path("contacts/", views.contacts, name="contacts"),
    path("contacts/new/", views.contact_new, name="contact-new"),
    path("contacts/<int:pk>/", views.contact_detail, name="contact"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact-edit"),
    path("contacts/<int:pk>/invite/", views.contact_invite, name="contact-invite"),
    path("contacts/<int:pk>/active/", views.contact_active, name="contact-active"),
]
