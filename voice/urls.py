from django.urls import path

from . import views

app_name = "voice"

urlpatterns = [
    path("", views.ask_list, name="list"),
    path("new/", views.ask_create, name="create"),
    path("inbox/", views.inbox, name="inbox"),
    path("<int:pk>/", views.ask_detail, name="detail"),
    path("<int:pk>/me-too/", views.me_too, name="me-too"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/status/", views.set_status, name="status"),
    path("<int:pk>/merge/", views.merge, name="merge"),
    path("<int:pk>/hold/", views.hold, name="hold"),
]
