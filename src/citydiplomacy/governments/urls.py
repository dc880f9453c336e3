"""Web pages of the registry's identity corrections (under /local-governments/)."""

from django.urls import path

from . import views

app_name = "governments"

urlpatterns = [
    path("corrections/", views.correction_queue, name="corrections"),
    path("corrections/<int:pk>/", views.correction_detail, name="correction"),
    path("corrections/<int:pk>/accept/", views.accept, name="correction-accept"),
    path("corrections/<int:pk>/reject/", views.reject, name="correction-reject"),
    path("<int:pk>/correct/", views.propose, name="correction-propose"),
]
