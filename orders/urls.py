from django.contrib.auth import views as auth_views
from django.urls import path

from orders import accounts, views

urlpatterns = [
    path("gio-hang/", views.cart_view, name="orders_cart"),
    path("gio-hang/them/", views.cart_add, name="orders_cart_add"),
    path("thanh-toan/", views.checkout_address, name="orders_checkout"),
    path("thanh-toan/xac-nhan/", views.checkout_review, name="orders_checkout_review"),
    path("thanh-toan/xa-phuong/", views.communes_json, name="orders_communes"),
    path("don-hang/tra-cuu/", views.order_lookup, name="orders_lookup"),
    path("don-hang/<str:number>/", views.order_view, name="orders_order"),
    path("don-hang/<str:number>/thanh-toan/", views.order_pay, name="orders_pay"),
    path(
        "don-hang/<str:number>/thanh-toan/xac-nhan/",
        views.order_pay_confirm,
        name="orders_pay_confirm",
    ),
    path("stripe/webhook/", views.stripe_webhook, name="orders_stripe_webhook"),
    path("tai-khoan/dang-ky/", accounts.signup, name="orders_signup"),
    path(
        "tai-khoan/dang-nhap/",
        auth_views.LoginView.as_view(template_name="orders/account/login.html"),
        name="orders_login",
    ),
    path(
        "tai-khoan/dang-xuat/", auth_views.LogoutView.as_view(next_page="/"), name="orders_logout"
    ),
    path("tai-khoan/don-hang/", accounts.my_orders, name="orders_my_orders"),
    path("tai-khoan/du-lieu/", accounts.my_data, name="orders_my_data"),
    path("tai-khoan/du-lieu/tai-ve/", accounts.my_data_download, name="orders_my_data_download"),
]
