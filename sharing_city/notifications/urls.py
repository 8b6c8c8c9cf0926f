from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("notices/", views.my_notices, name="my-notices"),
    path("notices/channels/", views.save_channels, name="channels"),
    path("notices/failed/", views.failed_notices, name="failed"),
    path("notices/<int:pk>/retry/", views.retry, name="retry"),
    path("calendar/renew/", views.renew_calendar_feed, name="renew-calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
]
