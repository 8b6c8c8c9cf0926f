"""CSV import into an apartment library: every row or none, each bad row named with its line."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from lending.models import Event, Item, Place, Title
from lending.services.imports import ImportRefused, import_items, template_csv
from sharing_city.core.errors import NotAllowed

from .factories import CategoryFactory, PlaceFactory, TitleFactory, assign

pytestmark = pytest.mark.django_db

HEADER = "code,name_ko,name_en,author,publisher,year,isbn,category\n"


@pytest.fixture
def books():
    return CategoryFactory(slug="books", name_ko="도서", name_en="Books")


@pytest.fixture
def library(mapo):
    return PlaceFactory(
        slug="mapo-apt",
        name_ko="작은도서관",
        name_en="Mini library",
        district=mapo,
        kind=Place.Kind.APARTMENT_LIBRARY,
    )


@pytest.fixture
def steward(make_member, library):
    user = make_member("steward", role="volunteer")
    assign(user, library, role="lead")
    return user


def csv_file(text):
    return io.BytesIO(text.encode("utf-8"))


def test_good_file_creates_titles_and_items_with_given_or_generated_codes(books, library, steward):
    existing = TitleFactory(category=books, name_ko="채식주의자", isbn="9788936433598")
    text = HEADER + (
        ",채식주의자,The Vegetarian,한강,창비,2007,89-364-3359-8,books\n"  # ISBN-10 of existing
        "LIB-0001,우리 동네 이야기,,마을 주민,,,,\n"
        ",우리 동네 이야기,,마을 주민,,,,books\n"
    )

    result = import_items(place=library, upload=csv_file(text), by=steward)

    assert len(result.items) == 3 and result.titles_created == 1
    codes = sorted(Item.objects.filter(place=library).values_list("code", flat=True))
    assert codes == ["LIB-0001", f"P{library.pk}-00001", f"P{library.pk}-00002"]
    assert Item.objects.filter(title=existing).count() == 1  # reused by ISBN
    local = Title.objects.get(name_ko="우리 동네 이야기")
    assert local.items.count() == 2 and local.isbn == ""
    assert Event.objects.get(reason="import").data == {"items": 3, "titles_created": 1}


def test_one_bad_row_imports_nothing_and_every_bad_row_is_listed(books, library, steward):
    TitleFactory(category=books)
    Item.objects.create(code="TAKEN-1", title=Title.objects.first(), place=library)
    text = HEADER + (
        ",좋은 책,,,,2001,,\n"
        ",,,,,,,\n"  # blank line: skipped
        ",나쁜 ISBN,,,,,978-0-00-000000-1,\n"
        "TAKEN-1,중복 코드,,,,,,\n"
        "bad code!,이상한 코드,,,,19x9,,no-such\n"
    )
    items_before = Item.objects.count()

    with pytest.raises(ImportRefused) as refused, translation.override("en"):
        import_items(place=library, upload=csv_file(text), by=steward)

    lines = [line for line, _ in refused.value.errors]
    assert lines == [4, 5, 6, 6, 6]
    reasons = " ".join(reason for _, reason in refused.value.errors)
    assert "ISBN" in reasons and "already used" in reasons and "not a year" in reasons
    assert Item.objects.count() == items_before
    assert not Title.objects.filter(name_ko="좋은 책").exists()


def test_volunteer_of_another_place_cannot_import_there(books, library, volunteer_elsewhere):
    with pytest.raises(NotAllowed):
        import_items(place=library, upload=csv_file(HEADER + ",책,,,,,,\n"), by=volunteer_elsewhere)
    assert not Item.objects.exists()


def test_not_utf8_or_missing_header_is_refused(books, library, steward):
    with pytest.raises(ImportRefused):
        import_items(place=library, upload=io.BytesIO("이름\n".encode("cp949")), by=steward)
    with pytest.raises(ImportRefused) as refused:
        import_items(place=library, upload=csv_file("title,writer\nx,y\n"), by=steward)
    assert refused.value.errors[0][0] == 1


def test_import_page_lists_bad_rows_and_imports_nothing(client, books, library, steward):
    client.cookies["django_language"] = "en"
    client.force_login(steward)
    upload = SimpleUploadedFile(
        "books.csv", (HEADER + ",좋은 책,,,,,,\n,나쁜 책,,,,3000,,\n").encode(), "text/csv"
    )

    response = client.post(reverse("lending:import"), {"place": library.pk, "file": upload})

    assert response.status_code == 400
    assert "Nothing was imported" in response.text
    assert "Line 3" in response.text and "is not a year" in response.text
    assert not Item.objects.exists()


def test_import_page_imports_a_good_file(client, books, library, steward):
    client.force_login(steward)
    upload = SimpleUploadedFile("books.csv", (HEADER + ",좋은 책,,,,,,\n").encode(), "text/csv")

    response = client.post(reverse("lending:import"), {"place": library.pk, "file": upload})

    assert response.status_code == 302
    assert Item.objects.get().place == library


def test_import_page_is_for_desk_people_only(client, resident, books, library):
    client.force_login(resident)
    assert client.get(reverse("lending:import")).status_code == 403


def test_volunteer_cannot_choose_a_place_they_do_not_work_at(client, books, library, volunteer):
    client.force_login(volunteer)
    upload = SimpleUploadedFile("b.csv", (HEADER + ",책,,,,,,\n").encode(), "text/csv")

    response = client.post(reverse("lending:import"), {"place": library.pk, "file": upload})

    assert response.status_code == 400
    assert not Item.objects.exists()


def test_template_csv_downloads_and_imports_cleanly(client, books, library, steward):
    client.force_login(steward)
    response = client.get(reverse("lending:import-template"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")

    result = import_items(place=library, upload=csv_file(template_csv()), by=steward)
    assert len(result.items) == 2
