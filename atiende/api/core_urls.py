"""The API's own pages: the schema, its documentation, `me` and the catalog."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from atiende.api import views_core

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views_core.docs, name="docs"),
    path("redoc/", views_core.redoc, name="redoc"),
    path("v1/me/", views_core.MeView.as_view(), name="me"),
    path("v1/catalog/types/", views_core.TicketTypeList.as_view(), name="catalog-types"),
    path("v1/catalog/categories/", views_core.CategoryList.as_view(), name="catalog-categories"),
    path("v1/catalog/priorities/", views_core.PriorityList.as_view(), name="catalog-priorities"),
    path("v1/catalog/statuses/", views_core.StatusList.as_view(), name="catalog-statuses"),
    path("v1/catalog/queues/", views_core.QueueList.as_view(), name="catalog-queues"),
    path("v1/catalog/tags/", views_core.TagList.as_view(), name="catalog-tags"),
]
