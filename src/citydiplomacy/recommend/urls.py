"""URLs of the recommender pages and the public list of partner-seeking profiles."""

from django.urls import path

from citydiplomacy.recommend import views

app_name = "recommend"

urlpatterns = [
    path("recommendations/", views.recommendations, name="recommendations"),
    path("recommendations/draft/", views.add_draft, name="add-draft"),
    path("recommendations/profile/", views.profile, name="profile"),
    path("public/partner-profiles/", views.public_profiles, name="public-profiles"),
]
