from django.urls import path

from atiende.desk.intake import views

urlpatterns = [
    path("", views.intake, name="intake"),
    path("<int:contact>/", views.intake_ticket, name="intake-ticket"),
    path("registered/<int:number>/", views.intake_registered, name="intake-registered"),
]
