from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("garments", views.GarmentViewSet, basename="closets-garments")

urlpatterns = [
    path("suggestions/", views.SuggestionsView.as_view(), name="closets-suggestions"),
    path("fittings/", views.BookFittingView.as_view(), name="closets-book-fitting"),
    *router.urls,
]
