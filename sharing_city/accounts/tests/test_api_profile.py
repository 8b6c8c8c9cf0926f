"""The profile over the API: the page's form, the same refusals, the member's own row only."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

JSON = "application/json"


def profile_body(district, **overrides):
    body = {
        "full_name": "김하늘",
        "phone": "010-5555-6666",
        "district": district.pk,
        "preferred_language": "en",
    }
    body.update(overrides)
    return body


def test_profile_saves_name_phone_district_and_language_as_the_page_does(client, resident, gangnam):
    client.force_login(resident)

    response = client.post(
        reverse("api:accounts-me-profile"), profile_body(gangnam), content_type=JSON
    )

    assert response.status_code == 200
    assert response.json()["full_name"] == "김하늘"
    assert response.json()["district"]["id"] == gangnam.pk
    resident.refresh_from_db()
    assert resident.full_name == "김하늘"
    assert resident.phone == "+821055556666"  # stored in E.164, as the page stores it
    assert resident.district == gangnam
    assert resident.preferred_language == "en"


def test_profile_refuses_a_phone_the_page_refuses_and_changes_nothing(client, resident, mapo):
    client.force_login(resident)

    response = client.post(
        reverse("api:accounts-me-profile"),
        profile_body(mapo, phone="12"),
        content_type=JSON,
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    # In the member's language (Korean), as the page shows it.
    assert response.json()["detail"]["phone"] == ["010-1234-5678 형식으로 전화번호를 입력하세요."]
    resident.refresh_from_db()
    assert resident.phone == "+821011112222" and resident.full_name == "Resident"


def test_profile_refuses_a_district_of_another_city_with_the_forms_message(client, resident):
    client.force_login(resident)

    response = client.post(
        reverse("api:accounts-me-profile"),
        {"full_name": "x", "district": 999999, "preferred_language": "ko"},
        content_type=JSON,
    )

    assert response.status_code == 400
    assert "district" in response.json()["detail"]
    resident.refresh_from_db()
    assert resident.full_name == "Resident"


def test_a_body_of_the_wrong_types_is_a_400_not_a_500(client, resident):
    client.force_login(resident)

    response = client.post(
        reverse("api:accounts-me-profile"),
        {"full_name": ["a"], "district": {"x": 1}, "preferred_language": "fr"},
        content_type=JSON,
    )

    assert response.status_code == 400 and response.json()["code"] == "invalid"


def test_profile_is_refused_to_someone_not_signed_in(client, mapo):
    response = client.post(
        reverse("api:accounts-me-profile"), profile_body(mapo), content_type=JSON
    )

    assert response.status_code == 403


@pytest.mark.parametrize("district", [10**30, -1, 0])
def test_profile_refuses_a_district_that_cannot_be_an_id(client, resident, gangnam, district):
    client.force_login(resident)
    body = profile_body(gangnam) | {"district": district}

    response = client.post(reverse("api:accounts-me-profile"), body, content_type=JSON)

    assert response.status_code == 400
    assert "district" in response.json()["detail"]
