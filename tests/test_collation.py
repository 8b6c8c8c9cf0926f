"""Lists of names follow the reader's language: 가나다 order of the Korean names on Korean pages,
A–Z of the English names (letter case aside) on English pages. Runs on SQLite, and with
DATABASE_URL on PostgreSQL, where the order comes from ICU collations."""

from typing import Any

import pytest
from django.core.cache import cache
from django.utils import translation

from homeshare.forms import StudentApplicationForm
from homeshare.models import University
from lending import reference
from lending.models import Category

pytestmark = pytest.mark.django_db

UNIVERSITIES = [
    ("zz-yonsei", "연세대학교", "Yonsei University"),
    ("zz-korea", "고려대학교", "Korea University"),
    ("zz-ewha", "이화여자대학교", "ewha Womans University"),
    ("zz-snu", "서울대학교", "Seoul National University"),
    ("zz-hanyang", "한양대학교", "Hanyang University"),
]


def university_labels() -> list[str]:
    field: Any = StudentApplicationForm().fields["university"]
    codes = {code for code, _ko, _en in UNIVERSITIES}
    return [
        str(label)
        for value, label in field.choices
        if value and University.objects.get(pk=value.value).code in codes
    ]


def test_universities_by_the_readers_name():
    for code, ko, en in UNIVERSITIES:
        University.objects.create(city="seoul", code=code, name_ko=ko, name_en=en)

    with translation.override("ko"):
        assert university_labels() == [
            "고려대학교",
            "서울대학교",
            "연세대학교",
            "이화여자대학교",
            "한양대학교",
        ]
    with translation.override("en"):
        assert university_labels() == [
            "ewha Womans University",
            "Hanyang University",
            "Korea University",
            "Seoul National University",
            "Yonsei University",
        ]


def test_categories_by_the_readers_name_not_their_slug():
    cache.clear()
    for slug, ko, en in [
        ("m-tents", "텐트", "Camping tents"),
        ("a-drills", "드릴", "power drills"),
        ("z-books", "도서", "Reading books"),
    ]:
        Category.objects.create(slug=slug, name_ko=ko, name_en=en)
    ours = {"m-tents", "a-drills", "z-books"}

    with translation.override("ko"):
        assert [c.slug for c in reference.categories() if c.slug in ours] == [
            "z-books",  # 도서
            "a-drills",  # 드릴
            "m-tents",  # 텐트
        ]
    with translation.override("en"):
        assert [c.slug for c in reference.categories() if c.slug in ours] == [
            "m-tents",  # Camping tents
            "a-drills",  # power drills
            "z-books",  # Reading books
        ]
