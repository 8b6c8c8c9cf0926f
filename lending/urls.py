from django.urls import path

from . import views

app_name = "lending"

urlpatterns = [
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/<int:pk>/", views.title_detail, name="title"),
    path("catalogue/<int:pk>/book/", views.book, name="book"),
    path("catalogue/<int:pk>/queue/", views.join_queue, name="join-queue"),
    path("catalogue/<int:pk>/photos/", views.upload_photo, name="upload-photo"),
    path("catalogue/<int:pk>/tips/", views.leave_tip, name="leave-tip"),
    path("catalogue/<int:pk>/save/", views.save_to_list, name="save-to-list"),
    path("tips/<int:pk>/mark/", views.mark_tip, name="mark-tip"),
    path("tips/<int:pk>/hide/", views.hide_tip, name="hide-tip"),
    path("kits/", views.kits, name="kits"),
    path("kits/<int:pk>/book/", views.book_kit, name="book-kit"),
    path("my/lists/", views.my_lists, name="my-lists"),
    path("my/bookings/", views.my_bookings, name="my-bookings"),
    path("my/bookings/<int:pk>/cancel/", views.cancel_booking, name="cancel-booking"),
    path("my/loans/", views.my_loans, name="my-loans"),
    path("my/loans/<int:pk>/renew/", views.renew, name="renew"),
    path("my/history/", views.my_history, name="my-history"),
    path("import/", views.import_list, name="import"),
    path("import/template.csv", views.import_template, name="import-template"),
]
