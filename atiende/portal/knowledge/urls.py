from django.urls import path

from atiende.portal.knowledge import views as portal

urlpatterns = [
    path("", portal.kb_home, name="kb"),
    path("<int:pk>/", portal.kb_article, name="kb-article"),
    path("<int:pk>/seen/", portal.kb_seen, name="kb-seen"),
    path("<int:pk>/vote/", portal.kb_vote, name="kb-vote"),
    path("files/<int:pk>/<str:name>", portal.kb_file, name="kb-file"),
    path("suggestions/", portal.kb_suggestions, name="kb-suggestions"),
]
