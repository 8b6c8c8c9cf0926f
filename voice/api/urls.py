from django.urls import path

from . import views

asks = views.AskViewSet.as_view({"get": "list", "post": "create"})
ask = views.AskViewSet.as_view({"get": "retrieve"})
inbox = views.InboxViewSet.as_view({"get": "list"})

urlpatterns = [
    path("asks/", asks, name="voice-asks-list"),
    path("asks/<int:pk>/", ask, name="voice-asks-detail"),
    path("inbox/", inbox, name="voice-inbox-list"),
    path("asks/<int:pk>/me-too/", views.MeTooView.as_view(), name="voice-me-too"),
    path("asks/<int:pk>/answer/", views.AnswerView.as_view(), name="voice-answer"),
    path("asks/<int:pk>/status/", views.StatusView.as_view(), name="voice-status"),
    path("asks/<int:pk>/merge/", views.MergeView.as_view(), name="voice-merge"),
    path("asks/<int:pk>/hold/", views.HoldView.as_view(), name="voice-hold"),
]
