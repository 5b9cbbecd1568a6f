from django.urls import path

from background.health import healthz

urlpatterns = [path("healthz", healthz, name="healthz")]
