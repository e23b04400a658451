from django.urls import path

from atiende.portal.billing import views

app_name = "billing-portal"
urlpatterns = [
    path("", views.portal_services, name="services"),
    path("statements/<str:statement>/", views.portal_statement, name="statement"),
    path("statements/<str:statement>/<str:kind>/", views.portal_download, name="download"),
]
