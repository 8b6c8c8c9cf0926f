from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("titles", views.TitleViewSet, basename="lending-titles")
router.register("items", views.ItemViewSet, basename="lending-items")
router.register("my/bookings", views.MyBookingViewSet, basename="lending-my-bookings")
router.register("my/loans", views.MyLoanViewSet, basename="lending-my-loans")

urlpatterns = [
    path("bookings/", views.BookView.as_view(), name="lending-book"),
    path("bookings/<int:pk>/cancel/", views.CancelBookingView.as_view(), name="lending-cancel"),
    path("holds/", views.JoinQueueView.as_view(), name="lending-join-queue"),
    path("loans/<int:pk>/renew/", views.RenewView.as_view(), name="lending-renew"),
    path("desk/check-out/", views.CheckOutView.as_view(), name="lending-check-out"),
    path("desk/check-in/", views.CheckInView.as_view(), name="lending-check-in"),
    *router.urls,
]
