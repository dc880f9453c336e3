"""URL of the policy board (agreements/policy_board.py), mounted at /policy/ under the
`policy` namespace so that `policy:board` names it as before."""

from django.urls import path

from citydiplomacy.agreements import policy_board

app_name = "policy"

urlpatterns = [
    path("", policy_board.board, name="board"),
]
