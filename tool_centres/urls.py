from django.urls import path

from . import views

app_name = "tool_centres"

urlpatterns = [
    path("", views.my_places, name="my-places"),
    path("<slug:slug>/", views.desk, name="desk"),
    path("<slug:slug>/scan/", views.scan, name="scan"),
    path("<slug:slug>/member/<str:number>/", views.choose_member, name="choose-member"),
    path("<slug:slug>/finish/", views.finish_member, name="finish-member"),
    path("<slug:slug>/briefing/", views.record_briefing, name="record-briefing"),
    path("<slug:slug>/verify/", views.verify_member, name="verify-member"),
    path("<slug:slug>/basket/<str:code>/remove/", views.remove_from_basket, name="basket-remove"),
    path("<slug:slug>/check-out/", views.check_out, name="check-out"),
    path("<slug:slug>/check-in/", views.check_in, name="check-in"),
    path("<slug:slug>/receipt/", views.receipt, name="receipt"),
    path("<slug:slug>/receipt/email/", views.send_receipt, name="receipt-email"),
    path("<slug:slug>/today/", views.today, name="today"),
    path("<slug:slug>/loans/<int:pk>/renew/", views.renew, name="renew"),
    path("<slug:slug>/repairs/", views.repairs, name="repairs"),
    path("<slug:slug>/repairs/<int:pk>/<str:action>/", views.ticket_action, name="ticket-action"),
    path("<slug:slug>/transfers/", views.transfers, name="transfers"),
    path(
        "<slug:slug>/transfers/<int:pk>/<str:action>/",
        views.transfer_action,
        name="transfer-action",
    ),
    path("<slug:slug>/inventory/", views.inventory, name="inventory"),
    path("<slug:slug>/inventory/<str:code>/", views.edit_item, name="edit-item"),
    path("<slug:slug>/inventory/<str:code>/retire/", views.retire_item, name="retire-item"),
    path("<slug:slug>/place/", views.place_settings, name="place"),
    path("<slug:slug>/place/<str:what>/", views.place_change, name="place-change"),
    path("<slug:slug>/place/<str:what>/<int:pk>/remove/", views.place_remove, name="place-remove"),
    path("<slug:slug>/labels/", views.labels, name="labels"),
    path("<slug:slug>/cards/", views.cards, name="cards"),
    path("<slug:slug>/cash/", views.cash_book, name="cash"),
    path("<slug:slug>/cash/close/", views.close_day, name="close-day"),
    path("<slug:slug>/cash/check/", views.check_close_out, name="check-close-out"),
    path("<slug:slug>/cash.csv", views.cash_csv, name="cash-csv"),
]
