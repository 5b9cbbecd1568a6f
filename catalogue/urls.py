"""Public URLs outside the page tree: short product URLs, QR codes, robots and sitemap.
Included before Wagtail's catch-all in ocop_site/urls.py."""

from django.urls import path
from wagtail.contrib.sitemaps.views import sitemap

from catalogue import qr_views, seo_views

urlpatterns = [
    path("p/<slug:code>/", qr_views.short_url_redirect, name="catalogue_short_url"),
    path("p/<slug:code>/qr.svg", qr_views.qr_svg_view, name="catalogue_qr_svg"),
    path("p/<slug:code>/qr.png", qr_views.qr_png_view, name="catalogue_qr_png"),
    path("robots.txt", seo_views.robots_txt, name="catalogue_robots"),
    path("sitemap.xml", sitemap, name="catalogue_sitemap"),
]
