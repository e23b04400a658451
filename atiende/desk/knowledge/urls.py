from django.urls import path

from atiende.desk.knowledge import views as desk

urlpatterns = [
    path("", desk.article_list, name="kb-articles"),
    path("new/", desk.article_new, name="kb-article-new"),
    path("<int:pk>/", desk.article_edit, name="kb-article-edit"),
    path("insert/", desk.article_insert, name="kb-insert"),
    path("report/", desk.self_service_report, name="kb-report"),
    path("tickets/<int:number>/suggestions/", desk.ticket_suggestions, name="kb-ticket-suggestions"),
]
