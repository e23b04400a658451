from django.urls import path

from atiende.whatsapp import views

app_name = "whatsapp"
urlpatterns = [path("<int:number_id>/webhook/", views.webhook, name="webhook")]
