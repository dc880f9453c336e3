"""Web pages of the places app: the review queue for unresolved and ambiguous names."""

from django.urls import path

from . import views

app_name = "places"

urlpatterns = [
    path("review/", views.review_list, name="review"),
    path("review/<int:pk>/", views.review_detail, name="review-detail"),
    path("review/<int:pk>/choose/", views.review_choose, name="review-choose"),
    path("merge/", views.merge, name="merge"),
]
