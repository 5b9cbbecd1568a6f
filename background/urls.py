from django.urls import path

from background.health import healthz
from background.webhooks import marketplace_push

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("webhooks/<slug:slug>/", marketplace_push, name="marketplace_push"),
]
