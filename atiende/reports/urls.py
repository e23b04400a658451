from django.urls import path

from atiende.reports import review_views, sla_views, views

app_name = "reports"
urlpatterns = [
    path("reports/", views.dashboard, name="dashboard"),
    path("reports/dashboard.xlsx", views.dashboard_xlsx, name="dashboard-xlsx"),
    path("reports/workload/", views.workload, name="workload"),
    path("reports/reviews/", review_views.companies, name="reviews"),
    path("reports/reviews/<int:company>/", review_views.company_months, name="review-months"),
    path("reports/reviews/<int:company>/sending/", review_views.sending, name="review-sending"),
    path("reports/reviews/<int:company>/<str:month>/", review_views.review, name="review"),
    path("reports/reviews/<int:company>/<str:month>/email/", review_views.email_preview, name="review-email"),
    path(
        "reports/reviews/<int:company>/<str:month>/<str:kind>/",
        review_views.review_download,
        name="review-download",
    ),
    # The service-level pages keep the addresses they had before the reports existed.
    path("sla/", sla_views.at_risk, name="at-risk"),
    path("sla/report/", sla_views.monthly_report, name="sla-report"),
    path("sla/report.csv", sla_views.monthly_report_csv, name="sla-report-csv"),
]
