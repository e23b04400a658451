"""Isolation, proven exhaustively: every URL pattern of the project, read from the resolver
(the configuration site and the account pages included), requested with GET and with an
empty POST by every role, against the objects of each company, must answer the status
written in `EXPECTED`. A pattern without an entry fails the test, so a new page cannot go
unchecked. Each 200 page is also searched for the subjects of tickets its reader may not
see, and for internal notes when the reader is not an agent.

The roles are relations to the object a URL names (see `CAST` in conftest.py): against
Acme's ticket the requester is Luis and the company-wide contact Ana; against Globex's, Carla
and Gina. So one row holds for both companies, and a row whose statuses differ between
companies would be a leak.

Adding an entry: one line, `"<url name or route>": "<GET statuses> | <POST statuses>",`
with one status per role in the order of the header. URLs that name an object (a ticket,
a file, a company...) are checked against both companies' objects; those of the
configuration site (`/admin/`, staff only and not scoped by company) against Acme's.
"""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import Client

from atiende.tickets.access import tickets_visible_to
from tests.security.conftest import SecurityWorld
from tests.security.matrix import METHODS, ROLES, Outcome, observe
from tests.security.urls import Pattern, all_patterns, takes_objects

# fmt: off
EXPECTED: dict[str, str] = {
    #                                             GET: anon req co  oth qag oag sup adm root | POST, same roles
    "/favicon.ico":                              "301 301 301 301 301 301 301 301 301 | 301 301 301 301 301 301 301 301 301",
    "home":                                      "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "health":                                    "200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200 200 200",
    "attachment":                                "302 200 200 404 200 404 200 200 404 | 302 200 200 404 200 404 200 200 404",
    "account_email":                             "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "account_login":                             "200 302 302 302 302 302 302 302 302 | 200 302 302 302 302 302 302 302 302",
    "account_logout":                            "302 200 200 200 200 200 200 200 200 | 302 302 302 302 302 302 302 302 302",
    "account_inactive":                          "200 200 200 200 200 200 200 200 200 | 405 405 405 405 405 405 405 405 405",
    "account_signup":                            "200 302 302 302 302 302 302 302 302 | 200 302 302 302 302 302 302 302 302",
    "account_reauthenticate":                    "302 200 200 200 200 200 200 200 200 | 302 200 200 200 200 200 200 200 200",
    "account_email_verification_sent":           "200 200 200 200 200 200 200 200 200 | 405 405 405 405 405 405 405 405 405",
    "account_change_password":                   "302 200 200 200 200 200 200 200 200 | 302 200 200 200 200 200 200 200 200",
    "account_set_password":                      "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "account_reset_password":                    "200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200 200 200",
    "account_confirm_login_code":                "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "account_confirm_email":                     "200 200 200 200 200 200 200 200 200 | 404 404 404 404 404 404 404 404 404",
    "account_reset_password_from_key_done":      "200 200 200 200 200 200 200 200 200 | 405 405 405 405 405 405 405 405 405",
    "account_reset_password_from_key":           "200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200 200 200",
    "account_reset_password_done":               "200 200 200 200 200 200 200 200 200 | 405 405 405 405 405 405 405 405 405",
    "mfa_index":                                 "302 200 200 200 200 200 200 200 200 | 302 405 405 405 405 405 405 405 405",
    "mfa_authenticate":                          "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "mfa_reauthenticate":                        "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "mfa_activate_totp":                         "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "mfa_deactivate_totp":                       "302 404 404 404 404 404 404 404 404 | 302 404 404 404 404 404 404 404 404",
    "mfa_view_recovery_codes":                   "302 404 404 404 404 404 404 404 404 | 302 405 405 405 405 405 405 405 405",
    "mfa_generate_recovery_codes":               "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "mfa_download_recovery_codes":               "302 404 404 404 404 404 404 404 404 | 302 404 404 404 404 404 404 404 404",
    "portal:home":                               "302 200 200 200 404 404 404 404 404 | 302 200 200 200 404 404 404 404 404",
    "portal:tickets":                            "302 200 200 200 404 404 404 404 404 | 302 200 200 200 404 404 404 404 404",
    "portal:ticket-new":                         "302 200 200 200 404 404 404 404 404 | 302 200 200 200 404 404 404 404 404",
    "portal:ticket-detail":                      "302 200 200 404 404 404 404 404 404 | 302 200 200 404 404 404 404 404 404",
    "portal:ticket-receipt":                     "302 200 200 404 404 404 404 404 404 | 302 200 200 404 404 404 404 404 404",
    "portal:ticket-reply":                       "302 405 405 405 405 405 405 405 405 | 302 400 400 404 404 404 404 404 404",
    "portal:ticket-edit":                        "302 200 404 404 404 404 404 404 404 | 302 200 404 404 404 404 404 404 404",
    "portal:company-tickets":                    "302 404 200 200 404 404 404 404 404 | 302 404 200 200 404 404 404 404 404",
    "portal:company-switch":                     "302 405 405 405 405 405 405 405 405 | 302 302 302 302 404 404 404 404 404",
    "portal:search":                             "302 200 200 200 404 404 404 404 404 | 302 200 200 200 404 404 404 404 404",
    "portal:details":                            "302 200 200 200 404 404 404 404 404 | 302 200 200 200 404 404 404 404 404",
    "portal:security":                           "302 200 200 200 404 404 404 404 404 | 302 405 405 405 405 405 405 405 405",
    "desk:home":                                 "302 404 404 404 200 200 200 200 404 | 302 404 404 404 200 200 200 200 404",
    "desk:unassigned":                           "302 404 404 404 200 200 200 200 404 | 302 404 404 404 200 200 200 200 404",
    "desk:all":                                  "302 404 404 404 404 404 200 200 404 | 302 404 404 404 404 404 200 200 404",
    "desk:queue":                                "302 404 404 404 200 404 200 200 404 | 302 404 404 404 200 404 200 200 404",
    "desk:saved-view":                           "302 404 404 404 200 404 404 404 404 | 302 404 404 404 200 404 404 404 404",
    "desk:saved-view-create":                    "302 405 405 405 405 405 405 405 405 | 302 404 404 404 302 302 302 302 404",
    "desk:saved-view-delete":                    "302 405 405 405 405 405 405 405 405 | 302 404 404 404 302 404 404 404 404",
    "desk:bulk":                                 "302 405 405 405 405 405 405 405 405 | 302 404 404 404 400 400 400 400 404",
    "desk:bulk-apply":                           "302 405 405 405 405 405 405 405 405 | 302 404 404 404 400 400 400 400 404",
    "desk:ticket":                               "302 404 404 404 200 404 200 200 404 | 302 405 405 405 405 405 405 405 405",
    "desk:ticket-history":                       "302 404 404 404 200 404 200 200 404 | 302 405 405 405 405 405 405 405 405",
    "desk:ticket-canned":                        "302 404 404 404 200 404 200 200 404 | 302 405 405 405 405 405 405 405 405",
    "desk:ticket-compose":                       "302 405 405 405 405 405 405 405 405 | 302 404 404 404 400 404 400 400 404",
    "desk:ticket-property":                      "302 405 405 405 405 405 405 405 405 | 302 404 404 404 400 404 400 400 404",
    "desk:ticket-take":                          "302 405 405 405 405 405 405 405 405 | 302 404 404 404 302 404 302 302 404",
    "desk:ticket-presence":                      "302 405 405 405 405 405 405 405 405 | 302 404 404 404 200 404 200 200 404",
    "desk:ticket-time":                          "302 405 405 405 405 405 405 405 405 | 302 404 404 404 400 404 400 400 404",
    "desk:ticket-link":                          "302 405 405 405 405 405 405 405 405 | 302 404 404 404 400 404 400 400 404",
    "desk:ticket-merge":                         "302 404 404 404 200 404 200 200 404 | 302 404 404 404 400 404 400 400 404",
    "desk:ticket-split":                         "302 405 405 405 405 405 405 405 405 | 302 404 404 404 400 404 400 400 404",
    "desk:ticket-message-accept":                "302 405 405 405 405 405 405 405 405 | 302 404 404 404 302 404 302 302 404",
    "desk:intake":                               "302 404 404 404 200 200 200 200 404 | 302 404 404 404 200 200 200 200 404",
    "desk:intake-ticket":                        "302 404 404 404 200 200 200 200 404 | 302 404 404 404 200 200 200 200 404",
    "desk:companies":                            "302 404 404 404 200 200 200 200 404 | 302 404 404 404 200 200 200 200 404",
    "desk:company-suggestions":                  "302 404 404 404 200 200 200 200 404 | 302 405 405 405 405 405 405 405 405",
    "desk:company-new":                          "302 404 404 404 404 404 200 200 404 | 302 404 404 404 404 404 200 200 404",
    "desk:company":                              "302 404 404 404 200 200 200 200 404 | 302 404 404 404 200 200 200 200 404",
    "desk:company-edit":                         "302 404 404 404 404 404 200 200 404 | 302 404 404 404 404 404 200 200 404",
    "desk:company-add-site":                     "302 405 405 405 405 405 405 405 405 | 302 404 404 404 404 404 302 302 404",
    "desk:contacts":                             "302 404 404 404 200 200 200 200 404 | 302 404 404 404 200 200 200 200 404",
    "desk:contact-new":                          "302 404 404 404 200 200 200 200 404 | 302 404 404 404 200 200 200 200 404",
    "desk:contact":                              "302 404 404 404 200 200 200 200 404 | 302 404 404 404 200 200 200 200 404",
    "desk:contact-edit":                         "302 404 404 404 200 404 200 200 404 | 302 404 404 404 200 404 200 200 404",
    "desk:contact-invite":                       "302 405 405 405 405 405 405 405 405 | 302 404 404 404 302 404 302 302 404",
    "desk:contact-active":                       "302 405 405 405 405 405 405 405 405 | 302 404 404 404 302 404 302 302 404",
    "admin:index":                               "302 302 302 302 302 302 302 200 200 | 302 302 302 302 302 302 302 200 200",
    "admin:login":                               "200 200 200 200 200 200 200 302 302 | 200 200 200 200 200 200 200 200 200",
    "admin:logout":                              "302 302 302 302 302 302 302 405 405 | 302 302 302 302 302 302 302 302 302",
    "admin:password_change":                     "302 302 302 302 302 302 302 200 200 | 302 302 302 302 302 302 302 200 200",
    "admin:password_change_done":                "302 302 302 302 302 302 302 200 200 | 302 302 302 302 302 302 302 405 405",
    "admin:autocomplete":                        "302 302 302 302 302 302 302 403 403 | 302 302 302 302 302 302 302 405 405",
    "admin:jsi18n":                              "302 302 302 302 302 302 302 200 200 | 302 302 302 302 302 302 302 405 405",
    "admin:view_on_site":                        "302 302 302 302 302 302 302 404 404 | 302 302 302 302 302 302 302 404 404",
    "admin:auth_group_changelist":               "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:auth_group_add":                      "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:auth_group_history":                  "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:auth_group_delete":                   "302 302 302 302 302 302 302 403 302 | 302 302 302 302 302 302 302 403 302",
    "admin:auth_group_change":                   "302 302 302 302 302 302 302 403 302 | 302 302 302 302 302 302 302 403 302",
    "/admin/auth/group/<path:object_id>/":       "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:account_emailaddress_changelist":     "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:account_emailaddress_add":            "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:account_emailaddress_history":        "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:account_emailaddress_delete":         "302 302 302 302 302 302 302 403 302 | 302 302 302 302 302 302 302 403 302",
    "admin:account_emailaddress_change":         "302 302 302 302 302 302 302 403 302 | 302 302 302 302 302 302 302 403 302",
    "/admin/account/emailaddress/<path:object_id>/": "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:mfa_authenticator_changelist":        "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:mfa_authenticator_add":               "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:mfa_authenticator_history":           "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:mfa_authenticator_delete":            "302 302 302 302 302 302 302 403 302 | 302 302 302 302 302 302 302 403 302",
    "admin:mfa_authenticator_change":            "302 302 302 302 302 302 302 403 302 | 302 302 302 302 302 302 302 403 302",
    "/admin/mfa/authenticator/<path:object_id>/": "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:auth_user_password_change":           "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:accounts_user_changelist":            "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:accounts_user_add":                   "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:accounts_user_history":               "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:accounts_user_delete":                "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:accounts_user_change":                "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "/admin/accounts/user/<path:object_id>/":    "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:accounts_organization_changelist":    "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:accounts_organization_add":           "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:accounts_organization_history":       "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:accounts_organization_delete":        "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:accounts_organization_change":        "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "/admin/accounts/organization/<path:object_id>/": "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:accounts_location_changelist":        "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:accounts_location_add":               "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:accounts_location_history":           "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:accounts_location_delete":            "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:accounts_location_change":            "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "/admin/accounts/location/<path:object_id>/": "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:accounts_contact_changelist":         "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:accounts_contact_add":                "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:accounts_contact_history":            "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:accounts_contact_delete":             "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:accounts_contact_change":             "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "/admin/accounts/contact/<path:object_id>/": "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:accounts_agent_changelist":           "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:accounts_agent_add":                  "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:accounts_agent_history":              "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:accounts_agent_delete":               "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:accounts_agent_change":               "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "/admin/accounts/agent/<path:object_id>/":   "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:outbox_outboundemail_changelist":     "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:outbox_outboundemail_add":            "302 302 302 302 302 302 302 403 403 | 302 302 302 302 302 302 302 403 403",
    "admin:outbox_outboundemail_history":        "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:outbox_outboundemail_delete":         "302 302 302 302 302 302 302 403 403 | 302 302 302 302 302 302 302 403 403",
    "admin:outbox_outboundemail_change":         "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 403",
    "/admin/outbox/outboundemail/<path:object_id>/": "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:mail_inboundemail_changelist":        "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:mail_inboundemail_add":               "302 302 302 302 302 302 302 403 403 | 302 302 302 302 302 302 302 403 403",
    "admin:mail_inboundemail_history":           "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:mail_inboundemail_delete":            "302 302 302 302 302 302 302 403 403 | 302 302 302 302 302 302 302 403 403",
    "admin:mail_inboundemail_change":            "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 403",
    "/admin/mail/inboundemail/<path:object_id>/": "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:tickets_queue_changelist":            "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:tickets_queue_add":                   "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:tickets_queue_history":               "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:tickets_queue_delete":                "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:tickets_queue_change":                "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "/admin/tickets/queue/<path:object_id>/":    "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:tickets_service_changelist":          "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:tickets_service_add":                 "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:tickets_service_history":             "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:tickets_service_delete":              "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:tickets_service_change":              "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "/admin/tickets/service/<path:object_id>/":  "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:tickets_contract_changelist":         "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:tickets_contract_add":                "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:tickets_contract_history":            "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:tickets_contract_delete":             "302 302 302 302 302 302 302 403 302 | 302 302 302 302 302 302 302 403 302",
    "admin:tickets_contract_change":             "302 302 302 302 302 302 302 403 302 | 302 302 302 302 302 302 302 403 302",
    "/admin/tickets/contract/<path:object_id>/": "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:tickets_tickettype_changelist":       "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:tickets_tickettype_add":              "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:tickets_tickettype_history":          "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:tickets_tickettype_delete":           "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:tickets_tickettype_change":           "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "/admin/tickets/tickettype/<path:object_id>/": "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:tickets_category_changelist":         "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:tickets_category_add":                "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:tickets_category_history":            "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:tickets_category_delete":             "302 302 302 302 302 302 302 403 302 | 302 302 302 302 302 302 302 403 302",
    "admin:tickets_category_change":             "302 302 302 302 302 302 302 403 302 | 302 302 302 302 302 302 302 403 302",
    "/admin/tickets/category/<path:object_id>/": "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:tickets_priority_changelist":         "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:tickets_priority_add":                "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:tickets_priority_history":            "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:tickets_priority_delete":             "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:tickets_priority_change":             "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "/admin/tickets/priority/<path:object_id>/": "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:tickets_status_changelist":           "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:tickets_status_add":                  "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:tickets_status_history":              "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:tickets_status_delete":               "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:tickets_status_change":               "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "/admin/tickets/status/<path:object_id>/":   "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:tickets_cannedreply_changelist":      "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:tickets_cannedreply_add":             "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:tickets_cannedreply_history":         "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:tickets_cannedreply_delete":          "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:tickets_cannedreply_change":          "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "/admin/tickets/cannedreply/<path:object_id>/": "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:tickets_tag_changelist":              "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:tickets_tag_add":                     "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:tickets_tag_history":                 "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:tickets_tag_delete":                  "302 302 302 302 302 302 302 403 302 | 302 302 302 302 302 302 302 403 302",
    "admin:tickets_tag_change":                  "302 302 302 302 302 302 302 403 302 | 302 302 302 302 302 302 302 403 302",
    "/admin/tickets/tag/<path:object_id>/":      "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:tickets_ticket_changelist":           "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:tickets_ticket_add":                  "302 302 302 302 302 302 302 403 403 | 302 302 302 302 302 302 302 403 403",
    "admin:tickets_ticket_history":              "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:tickets_ticket_delete":               "302 302 302 302 302 302 302 403 403 | 302 302 302 302 302 302 302 403 403",
    "admin:tickets_ticket_change":               "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 403",
    "/admin/tickets/ticket/<path:object_id>/":   "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:app_list":                            "302 302 302 302 302 302 302 404 200 | 302 302 302 302 302 302 302 404 200",
    "/admin/(?P<url>.*)$":                       "302 302 302 302 302 302 302 404 404 | 302 302 302 302 302 302 302 404 404",
    "set_language":                              "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "healthz":                                   "200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200 200 200",
    "sla:at-risk":                               "302 404 404 404 200 200 200 200 404 | 302 405 405 405 405 405 405 405 405",
    "sla:report":                                "302 404 404 404 404 404 200 200 404 | 302 405 405 405 405 405 405 405 405",
    "sla:report-csv":                            "302 404 404 404 404 404 200 200 404 | 302 405 405 405 405 405 405 405 405",
    "admin:mail_mailbox_changelist":             "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:mail_mailbox_add":                    "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:mail_mailbox_history":                "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:mail_mailbox_delete":                 "302 302 302 302 302 302 302 403 302 | 302 302 302 302 302 302 302 403 302",
    "admin:mail_mailbox_change":                 "302 302 302 302 302 302 302 403 302 | 302 302 302 302 302 302 302 403 302",
    "/admin/mail/mailbox/<path:object_id>/":     "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:mail_inboundemail_raw":               "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:sla_calendar_changelist":             "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:sla_calendar_add":                    "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:sla_calendar_history":                "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:sla_calendar_delete":                 "302 302 302 302 302 302 302 403 302 | 302 302 302 302 302 302 302 403 302",
    "admin:sla_calendar_change":                 "302 302 302 302 302 302 302 403 302 | 302 302 302 302 302 302 302 403 302",
    "/admin/sla/calendar/<path:object_id>/":     "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:sla_slapolicy_changelist":            "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:sla_slapolicy_add":                   "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:sla_slapolicy_history":               "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:sla_slapolicy_delete":                "302 302 302 302 302 302 302 403 302 | 302 302 302 302 302 302 302 403 302",
    "admin:sla_slapolicy_change":                "302 302 302 302 302 302 302 403 302 | 302 302 302 302 302 302 302 403 302",
    "/admin/sla/slapolicy/<path:object_id>/":    "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:sla_ticketsla_changelist":            "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:sla_ticketsla_add":                   "302 302 302 302 302 302 302 403 403 | 302 302 302 302 302 302 302 403 403",
    "admin:sla_ticketsla_history":               "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:sla_ticketsla_delete":                "302 302 302 302 302 302 302 403 403 | 302 302 302 302 302 302 302 403 403",
    "admin:sla_ticketsla_change":                "302 302 302 302 302 302 302 403 302 | 302 302 302 302 302 302 302 403 403",
    "/admin/sla/ticketsla/<path:object_id>/":    "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:sla_slanotice_changelist":            "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:sla_slanotice_add":                   "302 302 302 302 302 302 302 403 403 | 302 302 302 302 302 302 302 403 403",
    "admin:sla_slanotice_history":               "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:sla_slanotice_delete":                "302 302 302 302 302 302 302 403 403 | 302 302 302 302 302 302 302 403 403",
    "admin:sla_slanotice_change":                "302 302 302 302 302 302 302 403 302 | 302 302 302 302 302 302 302 403 403",
    "/admin/sla/slanotice/<path:object_id>/":    "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    # api: core (schema, docs, me, tokens, catalog)
    "api:schema":                                "200 200 200 200 200 200 200 200 200 | 405 405 405 405 405 405 405 405 405",
    "api:docs":                                  "200 200 200 200 200 200 200 200 200 | 405 405 405 405 405 405 405 405 405",
    "api:redoc":                                 "200 200 200 200 200 200 200 200 200 | 405 405 405 405 405 405 405 405 405",
    "api:me":                                    "401 200 200 200 200 200 200 200 200 | 401 405 405 405 405 405 405 405 405",
    "api:catalog-types":                         "401 200 200 200 200 200 200 200 403 | 401 405 405 405 405 405 405 405 405",
    "api:catalog-categories":                    "401 200 200 200 200 200 200 200 403 | 401 405 405 405 405 405 405 405 405",
    "api:catalog-priorities":                    "401 403 403 403 200 200 200 200 403 | 401 405 405 405 405 405 405 405 405",
    "api:catalog-statuses":                      "401 200 200 200 200 200 200 200 403 | 401 405 405 405 405 405 405 405 405",
    "api:catalog-queues":                        "401 200 200 200 200 200 200 200 403 | 401 405 405 405 405 405 405 405 405",
    "api:catalog-tags":                          "401 403 403 403 200 200 200 200 403 | 401 405 405 405 405 405 405 405 405",
    # api: resources (tickets, messages, attachments, companies, contacts...)
    "api:tickets":                               "401 200 200 200 200 200 200 200 200 | 401 400 400 400 400 400 400 400 400",
    "api:ticket-detail":                         "401 200 200 404 200 404 200 200 404 | 401 405 405 405 405 405 405 405 405",
    "api:ticket-messages":                       "401 200 200 404 200 404 200 200 404 | 401 405 405 405 405 405 405 405 405",
    "api:ticket-replies":                        "401 405 405 405 405 405 405 405 405 | 401 400 400 404 400 404 400 400 404",
    "api:ticket-notes":                          "401 405 405 405 405 405 405 405 405 | 401 403 403 404 400 404 400 400 404",
    "api:ticket-close":                          "401 405 405 405 405 405 405 405 405 | 401 200 403 404 200 404 200 200 404",
    "api:ticket-links":                          "401 405 405 405 405 405 405 405 405 | 401 400 400 404 400 404 400 400 404",
    "api:ticket-merge":                          "401 405 405 405 405 405 405 405 405 | 401 400 400 404 400 404 400 400 404",
    "api:ticket-sla":                            "401 200 200 404 200 404 200 200 404 | 401 405 405 405 405 405 405 405 405",
    "api:ticket-time-entries":                   "401 404 404 404 200 404 200 200 404 | 401 404 404 404 400 404 400 400 404",
    "api:attachment-detail":                     "401 200 200 404 200 404 200 200 404 | 401 405 405 405 405 405 405 405 405",
    "api:attachment-content":                    "401 200 200 404 200 404 200 200 404 | 401 405 405 405 405 405 405 405 405",
    "api:companies":                             "401 200 200 200 200 200 200 200 200 | 401 405 405 405 405 405 405 405 405",
    "api:company-detail":                        "401 200 200 404 200 200 200 200 404 | 401 405 405 405 405 405 405 405 405",
    "api:company-sites":                         "401 200 200 404 200 200 200 200 404 | 401 405 405 405 405 405 405 405 405",
    "api:company-contracts":                     "401 200 200 404 200 200 200 200 404 | 401 405 405 405 405 405 405 405 405",
    "api:contacts":                              "401 404 404 404 200 200 200 200 404 | 401 404 404 404 400 400 400 400 404",
    "api:contact-deactivate":                    "401 405 405 405 405 405 405 405 405 | 401 404 404 404 200 404 200 200 404",
    # webhooks (configuration site)
    "admin:webhooks_webhooksubscription_changelist": "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:webhooks_webhooksubscription_add":    "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:webhooks_webhooksubscription_history": "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:webhooks_webhooksubscription_delete": "302 302 302 302 302 302 302 403 302 | 302 302 302 302 302 302 302 403 302",
    "admin:webhooks_webhooksubscription_change": "302 302 302 302 302 302 302 403 302 | 302 302 302 302 302 302 302 403 302",
    "/admin/webhooks/webhooksubscription/<path:object_id>/": "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:webhooks_webhookdelivery_changelist": "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:webhooks_webhookdelivery_add":        "302 302 302 302 302 302 302 403 403 | 302 302 302 302 302 302 302 403 403",
    "admin:webhooks_webhookdelivery_history":    "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:webhooks_webhookdelivery_delete":     "302 302 302 302 302 302 302 403 302 | 302 302 302 302 302 302 302 403 302",
    "admin:webhooks_webhookdelivery_change":     "302 302 302 302 302 302 302 403 302 | 302 302 302 302 302 302 302 403 403",
    "/admin/webhooks/webhookdelivery/<path:object_id>/": "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    # monitoring (alert endpoints, configuration site)
    "api:alerts-receive":                        "405 405 405 405 405 405 405 405 405 | 401 401 401 401 401 401 401 401 401",
    "api:alerts-receive-token":                  "405 405 405 405 405 405 405 405 405 | 401 401 401 401 401 401 401 401 401",
    "admin:monitoring_alertsource_changelist":   "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:monitoring_alertsource_add":          "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:monitoring_alertsource_history":      "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:monitoring_alertsource_delete":       "302 302 302 302 302 302 302 403 302 | 302 302 302 302 302 302 302 403 302",
    "admin:monitoring_alertsource_change":       "302 302 302 302 302 302 302 403 302 | 302 302 302 302 302 302 302 403 302",
    "/admin/monitoring/alertsource/<path:object_id>/": "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:monitoring_alertincident_changelist": "302 302 302 302 302 302 302 403 200 | 302 302 302 302 302 302 302 403 200",
    "admin:monitoring_alertincident_add":        "302 302 302 302 302 302 302 403 403 | 302 302 302 302 302 302 302 403 403",
    "admin:monitoring_alertincident_history":    "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
    "admin:monitoring_alertincident_delete":     "302 302 302 302 302 302 302 403 403 | 302 302 302 302 302 302 302 403 403",
    "admin:monitoring_alertincident_change":     "302 302 302 302 302 302 302 403 302 | 302 302 302 302 302 302 302 403 403",
    "/admin/monitoring/alertincident/<path:object_id>/": "302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302 302 302",
}
# fmt: on


def _expected(key: str, method: str, role: str) -> int:
    rows = EXPECTED[key].split("|")
    statuses = rows[METHODS.index(method)].split()
    assert len(statuses) == len(ROLES), f"{key}: {len(statuses)} statuses for {len(ROLES)} roles"
    return int(statuses[ROLES.index(role)])


def _targets(pattern: Pattern) -> list[str]:
    if takes_objects(pattern) and not pattern.route.startswith("/admin/"):
        return ["acme", "globex"]
    return ["acme"]


def test_every_url_pattern_has_an_expectation() -> None:
    keys = [pattern.key for pattern in all_patterns()]
    missing = [key for key in keys if key not in EXPECTED]
    stale = [key for key in EXPECTED if key not in keys]

    assert not missing, "URL patterns without a row in EXPECTED (add one line each):\n" + "\n".join(missing)
    assert not stale, "Rows in EXPECTED for URL patterns that no longer exist:\n" + "\n".join(stale)


def _leaks(client: Client, sw: SecurityWorld, role: str, outcome: Outcome, html: str) -> list[str]:
    user = sw.user(outcome.target, role)
    if user is not None and user.is_superuser:  # the configuration site shows them every record
        return []
    visible = set(tickets_visible_to(user).values_list("pk", flat=True)) if user else set()
    found = [
        f"{outcome.method.upper()} {outcome.path} as {role} shows {objects.ticket.subject!r}"
        for objects in sw.objects.values()
        if objects.ticket.pk not in visible and objects.ticket.subject in html
    ]
    if (user is None or user.agent_or_none is None) and ("nota interna" in html or "interno.txt" in html):
        found.append(f"{outcome.method.upper()} {outcome.path} as {role} shows an internal note")
    return found


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_from_every_url(
    client: Client, security_world: SecurityWorld, role: str
) -> None:
    patterns = [pattern for pattern in all_patterns() if pattern.key in EXPECTED]
    pages: dict[tuple[str, str, str], str] = {}

    def keep_page(outcome: Outcome, response: HttpResponse) -> None:
        pages[(outcome.key, outcome.method, outcome.target)] = response.content.decode()

    outcomes = observe(
        client, security_world, role, patterns, {p.key: _targets(p) for p in patterns}, on_page=keep_page
    )

    mismatches = [
        f"{o.method.upper():4} {o.path:60} [{o.target}] expected {_expected(o.key, o.method, role)}, got {o.status}"
        for o in outcomes
        if o.status != _expected(o.key, o.method, role)
    ]
    leaks = [
        leak
        for o in outcomes
        if (o.key, o.method, o.target) in pages
        for leak in _leaks(client, security_world, role, o, pages[(o.key, o.method, o.target)])
    ]
    assert not mismatches, f"{len(mismatches)} of {len(outcomes)} answers differ for {role}:\n" + "\n".join(
        mismatches
    )
    assert not leaks, "\n".join(leaks)
    assert len(outcomes) >= len(patterns) * len(METHODS)
