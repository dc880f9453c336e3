"""Admins manage their own organisation's users; nobody sees another organisation's."""

from citydiplomacy.accounts.models import User


def test_admin_adds_a_member_to_own_organisation(api_client_for, istanbul):
    response = api_client_for("admin").post("/api/members/", {"username": "new-officer",
                                                              "role": "officer"}, format="json")
    assert response.status_code == 201
    assert User.objects.get(username="new-officer").organisation == istanbul


def test_other_organisation_member_is_not_found(api_client_for, users):
    response = api_client_for("other_officer").get(f"/api/members/{users['viewer'].pk}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_member_list_is_scoped(api_client_for):
    names = {m["username"] for m in api_client_for("other_officer").get("/api/members/").json()["results"]}
    assert names == {"ankara-officer"}
    everyone = {m["username"] for m in api_client_for("oversight").get("/api/members/").json()["results"]}
    assert {"ankara-officer", "ibb-viewer", "ibb-admin"} <= everyone


def test_oversight_cannot_be_created_as_member(api_client_for):
    response = api_client_for("admin").post("/api/members/", {"username": "sneaky", "role": "oversight"},
                                            format="json")
    assert response.status_code == 400
    assert not User.objects.filter(username="sneaky").exists()


def test_admin_cannot_switch_off_self(api_client_for, users):
    response = api_client_for("admin").patch(f"/api/members/{users['admin'].pk}/", {"is_active": False},
                                             format="json")
    assert response.status_code == 400
    users["admin"].refresh_from_db()
    assert users["admin"].is_active
