from django.urls import path

from atiende.desk.inbox import views

urlpatterns = [
    path("", views.home, name="home"),
    path("unassigned/", views.unassigned, name="unassigned"),
    path("all/", views.everything, name="all"),
    path("queues/<slug:slug>/", views.queue_tickets, name="queue"),
    path("views/<int:pk>/", views.saved_view, name="saved-view"),
    path("views/new/", views.saved_view_create, name="saved-view-create"),
    path("views/<int:pk>/delete/", views.saved_view_delete, name="saved-view-delete"),
    path("bulk/", views.bulk_review, name="bulk"),
    path("bulk/apply/", views.bulk_apply, name="bulk-apply"),
]
