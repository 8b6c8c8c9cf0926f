from django.urls import path
from rest_framework.routers import SimpleRouter

from . import rentals, staff, views

router = SimpleRouter()
router.register("garments", views.GarmentViewSet, basename="closets-garments")

urlpatterns = [
    path("suggestions/", views.SuggestionsView.as_view(), name="closets-suggestions"),
    path("fittings/", views.BookFittingView.as_view(), name="closets-book-fitting"),
    path("my/measurements/", rentals.Measurements.as_view(), name="closets-measurements"),
    path("my/fittings/", rentals.MyFittings.as_view(), name="closets-my-fittings"),
    path(
        "fittings/<int:pk>/cancel/", rentals.CancelFitting.as_view(), name="closets-cancel-fitting"
    ),
    path("advice/<int:pk>/book/", rentals.BookAdvice.as_view(), name="closets-book-advice"),
    path("my/rentals/", rentals.MyRentals.as_view(), name="closets-my-rentals"),
    path("rentals/<int:pk>/", rentals.RentalDetail.as_view(), name="closets-rental"),
    path("rentals/<int:pk>/extend/", rentals.ExtendRental.as_view(), name="closets-extend"),
    path("rentals/<int:pk>/feedback/", rentals.RentalFeedback.as_view(), name="closets-feedback"),
    path("rentals/<int:pk>/outcome/", rentals.RentalOutcome.as_view(), name="closets-outcome"),
    path("rentals/<int:pk>/return/", rentals.ReturnGarments.as_view(), name="closets-return"),
    path("visits/<int:pk>/rent/", rentals.RentOutfit.as_view(), name="closets-rent"),
    path("visits/<int:pk>/state/", rentals.VisitState.as_view(), name="closets-visit-state"),
    path("garments/<int:pk>/care/", rentals.GarmentCare.as_view(), name="closets-garment-care"),
    path("places/<slug:slug>/slots/", rentals.OfferSlots.as_view(), name="closets-offer-slots"),
    path("places/<slug:slug>/garments/", staff.AddGarment.as_view(), name="closets-add-garment"),
    path("coach/sessions/", staff.OfferSession.as_view(), name="closets-offer-session"),
    path(
        "coach/sessions/<int:pk>/notes/", staff.SessionNotes.as_view(), name="closets-session-notes"
    ),
    *router.urls,
]
