from django.urls import path

from . import views

app_name = "closets"

urlpatterns = [
    path("", views.start, name="start"),
    path("measurements/", views.profile, name="profile"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("<slug:slug>/fitting/", views.fitting, name="fitting"),
    path("visits/<int:pk>/cancel/", views.cancel_visit, name="cancel-visit"),
    path("advice/<int:pk>/book/", views.book_session, name="book-session"),
    path("rentals/<int:pk>/", views.rental, name="rental"),
    path("rentals/<int:pk>/<slug:action>/", views.rental_action, name="rental-action"),
    path("desk/<slug:slug>/", views.desk, name="desk"),
    path("desk/<slug:slug>/slots/", views.offer_slots, name="offer-slots"),
    path("desk/<slug:slug>/garments/new/", views.add_garment, name="add-garment"),
    path("desk/visits/<int:pk>/", views.desk_visit, name="desk-visit"),
    path("desk/visits/<int:pk>/state/", views.visit_state, name="visit-state"),
    path("desk/rentals/<int:pk>/", views.desk_rental, name="desk-rental"),
    path("desk/garments/<int:pk>/care/", views.garment_care, name="garment-care"),
    path("outcome/<str:token>/", views.outcome_answer, name="outcome-answer"),
    path("donor/", views.donor, name="donor"),
    path("coach/", views.coach, name="coach"),
]
