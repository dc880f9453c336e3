"""Web pages of the registry's identity corrections and of activating a municipality as an
organisation (under /local-governments/)."""

from django.urls import path

from . import activation_views, views

app_name = "governments"

urlpatterns = [
    path("corrections/", views.correction_queue, name="corrections"),
    path("corrections/<int:pk>/", views.correction_detail, name="correction"),
    path("corrections/<int:pk>/accept/", views.accept, name="correction-accept"),
    path("corrections/<int:pk>/reject/", views.reject, name="correction-reject"),
    path("<int:pk>/correct/", views.propose, name="correction-propose"),
    path("municipalities/activate/", activation_views.activate, name="municipality-activate"),
]
