from django.urls import path

from atiende.reports import sla_views, views

app_name = "reports"
urlpatterns = [
    path("reports/", views.dashboard, name="dashboard"),
    path("reports/dashboard.xlsx", views.dashboard_xlsx, name="dashboard-xlsx"),
    path("reports/workload/", views.workload, name="workload"),
    # The service-level pages keep the addresses they had before the reports existed.
    path("sla/", sla_views.at_risk, name="at-risk"),
    path("sla/report/", sla_views.monthly_report, name="sla-report"),
    path("sla/report.csv", sla_views.monthly_report_csv, name="sla-report-csv"),
]
