"""The public start page and the public page's true "as of" history: ties in force on the
date, ended ties shown as ended, the table following the date."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def _section(html: str, testid: str) -> str:
    return html.split(f'data-testid="{testid}"')[1].split("</table>")[0]


def test_anonymous_start_page_links_to_the_public_record(client, ibb_relations, istanbul):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/public/"' in html and f'href="/public/{istanbul.pk}/"' in html
    assert "Kamuya açık kayıt" in html and 'href="/login/"' in html


def test_signed_in_user_still_gets_the_dashboard(client_for, users):
    assert "Gösterge paneli" in client_for("viewer").get("/").content.decode()


def test_public_page_as_of_is_the_history_on_that_date(client, ibb_relations, istanbul):
    before = client.get(f"/public/{istanbul.pk}/?as_of=2017-03-14").content.decode()
    assert "Rotterdam" in _section(before, "public-ties")
    assert "Rotterdam" not in _section(before, "public-ended")
    after = client.get(f"/public/{istanbul.pk}/?as_of=2017-03-16").content.decode()
    assert "Rotterdam" not in _section(after, "public-ties")
    ended = _section(after, "public-ended")
    assert re.search(r"Rotterdam</td><td>Hollanda</td><td>[^<]+</td><td>Feshedildi</td><td>2017-03-15", ended)
    # today too: the ended tie is shown as ended, never left out
    assert "Rotterdam" in _section(client.get(f"/public/{istanbul.pk}/").content.decode(), "public-ended")
    # a tie signed later is not in force in 2017
    assert "2018-" not in _section(before, "public-ties")


def test_public_page_bad_date_is_said_and_today_shown(client, ibb_relations, istanbul):
    html = client.get(f"/public/{istanbul.pk}/?as_of=2017-13-45").content.decode()
    assert "Geçerli bir tarih girin." in html
