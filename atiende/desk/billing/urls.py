from django.urls import path

from atiende.desk.billing import views

app_name = "billing"
urlpatterns = [
    path("", views.desk_index, name="index"),
    path("export.csv", views.desk_export, name="export"),
    path("companies/<int:company>/", views.desk_draft, name="draft"),
    path("contracts/<int:pk>/", views.desk_contract, name="contract"),
    path("statements/<str:statement>/", views.desk_statement, name="statement"),
    path("statements/<str:statement>/adjust/", views.desk_adjust, name="adjust"),
    path("statements/<str:statement>/<str:kind>/", views.desk_download, name="download"),
]
