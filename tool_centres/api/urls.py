from django.urls import path

from . import actions, day, views

urlpatterns = [
    path("places/", views.PlaceList.as_view(), name="tool-centres-places"),
    path("places/<slug:slug>/check-out/", views.CheckOut.as_view(), name="tool-centres-check-out"),
    path("places/<slug:slug>/check-in/", views.CheckIn.as_view(), name="tool-centres-check-in"),
    path(
        "places/<slug:slug>/repairs/",
        views.RepairTicketList.as_view(),
        name="tool-centres-repairs",
    ),
    path(
        "places/<slug:slug>/repairs/open/",
        actions.OpenTicket.as_view(),
        name="tool-centres-open-ticket",
    ),
    path(
        "places/<slug:slug>/repairs/<int:pk>/<str:action>/",
        actions.TicketAction.as_view(),
        name="tool-centres-ticket-action",
    ),
    path("places/<slug:slug>/items/", actions.AddItem.as_view(), name="tool-centres-add-item"),
    path(
        "places/<slug:slug>/items/<str:code>/retire/",
        actions.RetireItem.as_view(),
        name="tool-centres-retire-item",
    ),
    path(
        "places/<slug:slug>/items/<str:code>/",
        actions.EditItem.as_view(),
        name="tool-centres-edit-item",
    ),
    path(
        "places/<slug:slug>/transfers/",
        actions.RequestTransfer.as_view(),
        name="tool-centres-transfers",
    ),
    path(
        "places/<slug:slug>/transfers/<int:pk>/<str:action>/",
        actions.TransferAction.as_view(),
        name="tool-centres-transfer-action",
    ),
    path(
        "places/<slug:slug>/members/<str:number>/briefing/",
        actions.RecordBriefing.as_view(),
        name="tool-centres-briefing",
    ),
    path(
        "places/<slug:slug>/members/<str:number>/verify/",
        actions.VerifyMember.as_view(),
        name="tool-centres-verify",
    ),
    path(
        "places/<slug:slug>/cash/close/", actions.CloseDay.as_view(), name="tool-centres-close-day"
    ),
    path(
        "places/<slug:slug>/cash/check/",
        actions.CheckCloseOut.as_view(),
        name="tool-centres-check-close-out",
    ),
    path("places/<slug:slug>/kits/", actions.PublishKit.as_view(), name="tool-centres-kits"),
    path(
        "places/<slug:slug>/kits/<int:pk>/withdraw/",
        actions.WithdrawKit.as_view(),
        name="tool-centres-withdraw-kit",
    ),
    path(
        "places/<slug:slug>/receipt/email/",
        actions.EmailReceipt.as_view(),
        name="tool-centres-receipt-email",
    ),
    path("places/<slug:slug>/today/", day.Today.as_view(), name="tool-centres-today"),
    path("places/<slug:slug>/hours/", day.Hours.as_view(), name="tool-centres-hours"),
    path(
        "places/<slug:slug>/hours/<int:pk>/",
        day.HoursPeriod.as_view(),
        name="tool-centres-hours-period",
    ),
]
