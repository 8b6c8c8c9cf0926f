from django.urls import path

from . import views

urlpatterns = [
    path("", views.MyNotices.as_view(), name="notifications-notices"),
    path("channels/", views.Channels.as_view(), name="notifications-channels"),
    path("calendar/", views.Calendar.as_view(), name="notifications-calendar"),
    path("failed/", views.FailedNotices.as_view(), name="notifications-failed"),
    path("<int:pk>/retry/", views.RetryNotice.as_view(), name="notifications-retry"),
]
