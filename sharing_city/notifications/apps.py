from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "sharing_city.notifications"
    label = "notifications"
