from django.urls import path

from atiende.sla import views

app_name = "sla"
urlpatterns = [
    path("", views.at_risk, name="at-risk"),
    path("report/", views.monthly_report, name="report"),
    path("report.csv", views.monthly_report_csv, name="report-csv"),
]
