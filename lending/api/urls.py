from django.urls import path
from rest_framework.routers import SimpleRouter

from . import uploads, views

router = SimpleRouter()
router.register("titles", views.TitleViewSet, basename="lending-titles")
router.register("items", views.ItemViewSet, basename="lending-items")
router.register("my/bookings", views.MyBookingViewSet, basename="lending-my-bookings")
router.register("kits", views.KitViewSet, basename="lending-kits")
router.register("my/loans", views.MyLoanViewSet, basename="lending-my-loans")

urlpatterns = [
    path("bookings/", views.BookView.as_view(), name="lending-book"),
    path("bookings/<int:pk>/cancel/", views.CancelBookingView.as_view(), name="lending-cancel"),
    path("holds/", views.JoinQueueView.as_view(), name="lending-join-queue"),
    path("loans/<int:pk>/renew/", views.RenewView.as_view(), name="lending-renew"),
    path("desk/check-out/", views.CheckOutView.as_view(), name="lending-check-out"),
    path("desk/check-in/", views.CheckInView.as_view(), name="lending-check-in"),
    path("titles/<int:pk>/tips/", views.TitleTipsView.as_view(), name="lending-title-tips"),
    path("tips/<int:pk>/mark/", views.MarkTipView.as_view(), name="lending-mark-tip"),
    path("tips/<int:pk>/hide/", views.HideTipView.as_view(), name="lending-hide-tip"),
    path("my/lists/", views.MyListsView.as_view(), name="lending-my-lists"),
    path("titles/<int:pk>/photos/", uploads.TitlePhotos.as_view(), name="lending-title-photos"),
    path("desk/import/", uploads.ImportItems.as_view(), name="lending-import"),
    path("kits/<int:pk>/book/", views.BookKitView.as_view(), name="lending-book-kit"),
    *router.urls,
]
