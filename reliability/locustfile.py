"""Locust load profile: a realistic mix for the registry.

Readers (viewers, oversight) browse the agreement list (web and API), the maps (İstanbul's map
page and the world map's data), open agreements and search places; officers create letters of goodwill, record activities and move the letters
through the lifecycle (draft → signed → active). Every write the server acknowledged (2xx) is
recorded and written to RELIABILITY_ACKS at the end, so that the runner can prove that each is
in the database. Tokens come from RELIABILITY_TOKENS (JSON username → token).
"""

from __future__ import annotations

import json
import os
import random
import re
import threading

from locust import HttpUser, between, events, task

TOKENS = json.loads(os.environ.get("RELIABILITY_TOKENS", "{}"))
PASSWORD = os.environ.get("CITYDIPLOMACY_DEMO_PASSWORD", "")
PARTNER_ID = int(os.environ.get("RELIABILITY_PARTNER_ID", "0") or 0)
ACKS = {"agreements": [], "activities": [], "transitions": {}}
LOCK = threading.Lock()
PLACE_QUERIES = ["İstanbul", "Berlin", "Paris", "Kyiv", "Baku", "Rotterdam", "Tokyo", "Almaty",
                 "Sarajevo", "Buenos Aires", "izmir", "Münster", "Saint Petersburg"]


def _read(user, url, name):
    with user.client.get(url, name=name, catch_response=True) as response:
        if response.status_code != 200:
            response.failure(f"{response.status_code}")


class Reader(HttpUser):
    """Viewers and national oversight reading the registry."""

    weight = 3
    wait_time = between(0.5, 2.0)

    def on_start(self):
        who = random.choice(["ibb-viewer", "oversight", "ibb-approver"])
        self.client.headers["Authorization"] = f"Token {TOKENS[who]}"
        self.ids = []

    @task(4)
    def list_agreements(self):
        with self.client.get("/api/agreements/?page_size=50", name="GET /api/agreements/",
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(str(response.status_code))
                return
            self.ids = [row["id"] for row in response.json()["results"]] or self.ids

    @task(3)
    def open_agreement(self):
        if self.ids:
            pk = random.choice(self.ids)
            _read(self, f"/api/agreements/{pk}/", "GET /api/agreements/{id}/")
            _read(self, f"/api/agreements/{pk}/events/", "GET /api/agreements/{id}/events/")

    @task(3)
    def search_places(self):
        _read(self, f"/api/places/search/?q={random.choice(PLACE_QUERIES)}", "GET /api/places/search/")

    @task(2)
    def browse_partners(self):
        _read(self, "/api/local-governments/?country=DE", "GET /api/local-governments/")

    @task(1)
    def reminders(self):
        _read(self, "/api/reminders/?days=365", "GET /api/reminders/")


class WebReader(HttpUser):
    """A person using the web pages (session login, HTML lists and detail pages)."""

    weight = 2
    wait_time = between(1.0, 3.0)

    def on_start(self):
        page = self.client.get("/login/", name="GET /login/")
        token = self.client.cookies.get("csrftoken") or re.search(
            r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        self.client.post("/login/", {"username": "ibb-viewer", "password": PASSWORD,
                                     "csrfmiddlewaretoken": token},
                         headers={"Referer": f"{self.host}/login/"}, name="POST /login/")

    @task(3)
    def registry_page(self):
        _read(self, "/agreements/", "GET /agreements/ (web list)")

    @task(1)
    def dashboard(self):
        _read(self, "/", "GET / (dashboard)")

    @task(2)
    def maps(self):
        _read(self, "/analytics/map/", "GET /analytics/map/ (İstanbul map)")
        _read(self, "/analytics/world/data.json", "GET /analytics/world/data.json (world map data)")


class Officer(HttpUser):
    """Officers recording the registry: new letters, their steps, activities."""

    weight = 2
    wait_time = between(0.5, 2.0)

    def on_start(self):
        self.client.headers["Authorization"] = f"Token {TOKENS[random.choice(['ibb-officer', 'ibb-admin'])]}"
        self.mine = []

    def _write(self, method, url, payload, name):
        with self.client.request(method, url, json=payload, name=name, catch_response=True) as response:
            if response.status_code not in (200, 201):
                response.failure(f"{response.status_code} {response.text[:200]}")
                return None
            return response.json()

    @task(2)
    def create_letter(self):
        body = self._write("POST", "/api/agreements/", {
            "instrument": "letter_of_goodwill", "partner": PARTNER_ID,
            "title": f"Load letter {random.randint(0, 10**9)}", "areas": ["culture_arts"]},
            "POST /api/agreements/")
        if body:
            with LOCK:
                ACKS["agreements"].append(body["id"])
            self.mine.append({"id": body["id"], "step": 0})

    @task(3)
    def move_through_lifecycle(self):
        pending = [a for a in self.mine if a["step"] < 2]
        if not pending:
            return
        agreement = pending[0]
        target = ["signed", "active"][agreement["step"]]
        body = self._write("POST", f"/api/agreements/{agreement['id']}/transition/",
                           {"to": target, "date": "2025-01-15"}, "POST /api/agreements/{id}/transition/")
        if body:
            agreement["step"] += 1
            with LOCK:
                ACKS["transitions"][str(agreement["id"])] = ACKS["transitions"].get(str(agreement["id"]), 0) + 1

    @task(2)
    def record_activity(self):
        body = self._write("POST", "/api/activities/", {
            "kind": "event", "title": f"Load activity {random.randint(0, 10**9)}",
            "starts_on": "2025-03-01", "partner": PARTNER_ID}, "POST /api/activities/")
        if body:
            with LOCK:
                ACKS["activities"].append(body["id"])

    @task(2)
    def read_own(self):
        if self.mine:
            _read(self, f"/api/agreements/{random.choice(self.mine)['id']}/", "GET /api/agreements/{id}/")


@events.quitting.add_listener
def _write_acks(environment, **kwargs):
    path = os.environ.get("RELIABILITY_ACKS")
    if path:
        with open(path, "w") as handle:
            json.dump(ACKS, handle)
