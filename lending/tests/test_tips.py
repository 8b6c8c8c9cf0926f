"""Tips from the last borrower: only a returner may leave one, no contact details, most helpful
first, members flag and mark helpful, the place's volunteers hide; the API goes the same way."""

import pytest
from django.db import DataError, IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from lending import services
from lending.exceptions import NotAtYourPlace, OwnTip, TipAlreadyLeft, TipHasContact, TipNotAllowed
from lending.models import Event, Tip, TipMark

pytestmark = pytest.mark.django_db


def api(user=None, language="en"):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies["django_language"] = language
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def returner(resident, drill, volunteer):
    services.check_out(item=drill, member=resident, by=volunteer)
    services.check_in(item=drill, by=volunteer)
    return resident


def borrow_and_return(member, item, volunteer):
    services.check_out(item=item, member=member, by=volunteer)
    services.check_in(item=item, by=volunteer)
    return member


# --- who may leave one ---------------------------------------------------------------------


def test_a_returner_leaves_a_one_line_tip(returner, drill_title, tool_centre):
    tip = services.leave_tip(
        title=drill_title, by=returner, text="  battery lasts ~30 min;\n bring a 10 mm bit "
    )

    assert tip.text == "battery lasts ~30 min; bring a 10 mm bit"
    assert tip.place == tool_centre
    assert Event.objects.filter(action="tip", member=returner).count() == 1


def test_someone_still_holding_the_item_may_not_leave_a_tip(
    resident, drill, drill_title, volunteer
):
    services.check_out(item=drill, member=resident, by=volunteer)

    with pytest.raises(TipNotAllowed):
        services.leave_tip(title=drill_title, by=resident, text="works well")
    assert not Tip.objects.exists()


def test_someone_who_never_borrowed_may_not_leave_a_tip(other_resident, drill_title, returner):
    with pytest.raises(TipNotAllowed):
        services.leave_tip(title=drill_title, by=other_resident, text="works well")


def test_one_tip_per_member_per_title(returner, drill_title):
    services.leave_tip(title=drill_title, by=returner, text="first")

    with pytest.raises(TipAlreadyLeft):
        services.leave_tip(title=drill_title, by=returner, text="second")
    assert list(Tip.objects.values_list("text", flat=True)) == ["first"]


@pytest.mark.parametrize(
    "text",
    [
        "call me 010-1234-5678",
        "문의 01012345678 으로",
        "+82 10 9876 5432 any time",
        "02-312-4567 is the shop",
        "mail kim@example.org",
        "kim @ naver . com",
        "kim＠example.co.kr",
    ],
)
def test_a_tip_with_a_phone_number_or_email_is_refused(returner, drill_title, text):
    with pytest.raises(TipHasContact):
        services.leave_tip(title=drill_title, by=returner, text=text)
    assert not Tip.objects.exists()


@pytest.mark.parametrize(
    "text",
    [
        "battery lasts ~30 min; bring a 10 mm bit",
        "18 V, 2 batteries, 1.5 Ah each",
        "배터리 30분 정도, 10mm 비트 챙기세요",
        "set torque to 12 before screwing into 2024 pine",
        "part code 12345678 is on the box",
    ],
)
def test_ordinary_tips_with_numbers_pass(returner, drill_title, text):
    assert services.leave_tip(title=drill_title, by=returner, text=text).text == text


def test_the_database_refuses_a_tip_longer_than_140(returner, drill_title, tool_centre):
    # SQLite: the CHECK constraint; PostgreSQL: varchar(140) itself.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Tip.objects.create(
            title=drill_title,
            author=returner,
            place=tool_centre,
            text="x" * 141,
            created_at=timezone.now(),
        )


# --- order, marks, hiding -----------------------------------------------------------------


@pytest.fixture
def three_tips(make_member, drill, drill_title, volunteer):
    authors = [borrow_and_return(make_member(f"b{i}"), drill, volunteer) for i in range(3)]
    return [
        services.leave_tip(title=drill_title, by=a, text=f"tip {i}") for i, a in enumerate(authors)
    ]


def test_tips_show_most_helpful_first(three_tips, make_member, drill_title):
    readers = [make_member(f"reader{i}") for i in range(2)]
    for reader in readers:
        services.mark_tip(tip=three_tips[0], by=reader, kind="helpful")
    services.mark_tip(tip=three_tips[0], by=readers[0], kind="helpful")  # twice: harmless
    services.mark_tip(tip=three_tips[1], by=readers[1], kind="helpful")

    shown = list(Tip.objects.filter(title=drill_title).shown())

    assert [(t.text, t.helpful) for t in shown] == [("tip 0", 2), ("tip 1", 1), ("tip 2", 0)]


def test_an_author_cannot_mark_their_own_tip(three_tips):
    with pytest.raises(OwnTip):
        services.mark_tip(tip=three_tips[0], by=three_tips[0].author, kind="helpful")
    assert not TipMark.objects.exists()


def test_a_volunteer_of_the_place_hides_a_flagged_tip(three_tips, other_resident, volunteer):
    services.mark_tip(tip=three_tips[2], by=other_resident, kind="flag")

    services.hide_tip(tip=three_tips[2], by=volunteer)
    services.hide_tip(tip=three_tips[2], by=volunteer)  # twice: harmless

    assert [t.text for t in Tip.objects.shown()] == ["tip 1", "tip 0"]
    assert Event.objects.filter(action="tip_hidden").count() == 1


def test_a_volunteer_elsewhere_or_a_member_cannot_hide(three_tips, volunteer_elsewhere, resident):
    for who in (volunteer_elsewhere, resident):
        with pytest.raises(NotAtYourPlace):
            services.hide_tip(tip=three_tips[0], by=who)
    assert Tip.objects.filter(hidden_at__isnull=True).count() == 3


# --- API ------------------------------------------------------------------------------------


def test_api_lists_tips_to_anyone_most_helpful_first(three_tips, other_resident, drill_title):
    services.mark_tip(tip=three_tips[2], by=other_resident, kind="helpful")

    response = api().get(reverse("api:lending-title-tips", args=[drill_title.pk]))

    assert response.status_code == 200
    rows = response.json()["results"]
    assert (rows[0]["text"], rows[0]["helpful"]) == ("tip 2", 1)
    assert "author" not in rows[0]


def test_api_returner_posts_a_tip(returner, drill_title):
    response = api(returner).post(
        reverse("api:lending-title-tips", args=[drill_title.pk]), {"text": "bring a bit"}
    )

    assert response.status_code == 201, response.json()
    assert response.json()["text"] == "bring a bit"
    assert Tip.objects.get().author == returner


def test_api_refuses_a_non_borrower_and_anonymous(other_resident, drill_title):
    url = reverse("api:lending-title-tips", args=[drill_title.pk])

    assert api().post(url, {"text": "hi"}).status_code == 403
    response = api(other_resident).post(url, {"text": "hi"})
    assert response.status_code == 403
    assert response.json()["code"] == "tip_not_borrowed"
    assert not Tip.objects.exists()


def test_api_refuses_contact_details_and_overlong_tips_in_korean(returner, drill_title):
    url = reverse("api:lending-title-tips", args=[drill_title.pk])

    response = api(returner, "ko").post(url, {"text": "연락주세요 010-2222-3333"})
    assert response.status_code == 400
    assert response.json()["code"] == "tip_has_contact"
    assert "전화번호" in response.json()["detail"]
    assert api(returner).post(url, {"text": "x" * 141}).status_code == 400
    assert api(returner).post(url, {"text": ["a", "b"]}, format="json").status_code == 400
    assert not Tip.objects.exists()


def test_api_marks_a_tip_helpful_or_flags_it_but_not_ones_own(three_tips, other_resident):
    url = reverse("api:lending-mark-tip", args=[three_tips[1].pk])

    helpful = api(other_resident).post(url, {"kind": "helpful"})
    again = api(other_resident).post(url, {"kind": "helpful"})
    own = api(three_tips[1].author, "ko").post(url, {"kind": "flag"})
    nonsense = api(other_resident).post(url, {"kind": "love"})

    assert helpful.status_code == again.status_code == 201
    assert helpful.json() == {"tip": three_tips[1].pk, "kind": "helpful"}
    assert own.status_code == 409 and own.json()["detail"]
    assert nonsense.status_code == 400 and "kind" in nonsense.json()["detail"]
    assert list(TipMark.objects.values_list("tip_id", "kind")) == [(three_tips[1].pk, "helpful")]


def test_api_hides_a_tip_for_its_places_volunteer_only(
    three_tips, volunteer, volunteer_elsewhere, drill_title
):
    url = reverse("api:lending-hide-tip", args=[three_tips[0].pk])

    elsewhere = api(volunteer_elsewhere).post(url)
    hidden = api(volunteer).post(url)
    listed = api().get(reverse("api:lending-title-tips", args=[drill_title.pk])).json()

    assert elsewhere.status_code == 403
    assert hidden.status_code == 200 and hidden.json()["id"] == three_tips[0].pk
    assert [t["text"] for t in listed["results"]] == ["tip 2", "tip 1"]
    assert (
        api(volunteer)
        .post(reverse("api:lending-mark-tip", args=[three_tips[0].pk]), {"kind": "helpful"})
        .status_code
        == 404
    )


def test_api_saves_titles_to_the_members_own_lists(resident, other_resident, drill_title):
    url = reverse("api:lending-my-lists")

    saved = api(resident).post(url, {"title": drill_title.pk, "name": "  bathroom   project "})
    api(resident).post(url, {"title": drill_title.pk, "name": "bathroom project"})  # harmless
    too_long = api(resident).post(url, {"title": drill_title.pk, "name": "x" * 200})
    missing = api(resident).post(url, {"title": 999999, "name": "garden"})

    assert saved.status_code == 201
    assert saved.json()["name"] == "bathroom project"
    assert saved.json()["titles"] == [drill_title.pk]
    assert too_long.status_code == 400 and missing.status_code == 400
    mine = api(resident).get(url).json()["results"]
    assert [(r["name"], r["titles"]) for r in mine] == [("bathroom project", [drill_title.pk])]
    assert api(other_resident).get(url).json()["results"] == []


def test_api_tips_of_a_missing_title_is_404(returner):
    assert api().get(reverse("api:lending-title-tips", args=[999999])).status_code == 404


# --- the title page -------------------------------------------------------------------------


def test_title_page_shows_tips_and_the_form_only_to_a_returner(
    client, returner, other_resident, drill_title, volunteer
):
    url = reverse("lending:title", args=[drill_title.pk])
    client.force_login(other_resident)
    assert 'name="text"' not in client.get(url).content.decode()

    client.force_login(returner)
    assert 'name="text"' in client.get(url).content.decode()
    posted = client.post(
        reverse("lending:leave-tip", args=[drill_title.pk]), {"text": "bring a bit"}
    )
    assert posted.status_code == 302
    page = client.get(url).content.decode()
    assert "bring a bit" in page
    assert 'name="text"' not in page  # one tip each

    refused = client.post(
        reverse("lending:leave-tip", args=[drill_title.pk]), {"text": "mail me a@b.co"}
    )
    assert refused.status_code in (400, 409)

    tip = Tip.objects.get()
    client.force_login(other_resident)
    client.post(reverse("lending:mark-tip", args=[tip.pk]), {"kind": "flag"})
    assert client.post(reverse("lending:hide-tip", args=[tip.pk])).status_code == 403
    client.force_login(volunteer)
    assert client.post(reverse("lending:hide-tip", args=[tip.pk])).status_code == 302
    assert "bring a bit" not in client.get(url).content.decode()
