from django.urls import path

from atiende.billing import views

app_name = "billing-portal"
urlpatterns = [
    path("", views.portal_services, name="services"),
    path("statements/<str:number>/", views.portal_statement, name="statement"),
    path("statements/<str:number>/<str:kind>/", views.portal_download, name="download"),
]
