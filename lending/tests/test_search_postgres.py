"""On PostgreSQL the catalogue's word search is served by the GIN index of character grams
(migration 0004), two-syllable Korean words included, with the planner's own choice: real
statistics after ANALYZE on a catalogue of 20,000 titles, sequential scans allowed."""

import pytest
from django.db import connection

from lending import search
from lending.models import Title

from .factories import CategoryFactory

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.django_db]

NOUNS = [
    "사다리",
    "텐트",
    "가방",
    "망치",
    "청소기",
    "재봉틀",
    "프로젝터",
    "원형톱",
    "캐리어",
    "렌치",
]
ENGLISH = ["ladder", "tent", "bag", "hammer", "vacuum", "sewing machine", "projector", "saw"]


@pytest.fixture
def catalogue():
    things = CategoryFactory(slug="things", name_ko="생활용품", name_en="Household")
    Title.objects.bulk_create(
        [
            Title(
                category=things,
                name_ko=f"{NOUNS[n % len(NOUNS)]} {n}호",
                name_en=f"{ENGLISH[n % len(ENGLISH)].title()} no. {n}",
            )
            for n in range(20_000)
        ],
        batch_size=5000,
    )
    Title.objects.create(category=things, name_ko="충전식 전동드릴 18V", name_en="Cordless drill")
    search.refresh(Title.objects.iterator(chunk_size=5000))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE lending_title")


@pytest.mark.parametrize("words", ["드릴", "텐트 7호", "dril"])
def test_short_korean_and_partial_english_words_use_the_gram_index(catalogue, words):
    plan = Title.objects.matching(words).explain()

    assert "title_search_grams" in plan
    assert "Seq Scan on lending_title" not in plan


def test_the_index_finds_exactly_the_substring_matches(catalogue):
    assert list(Title.objects.matching("드릴").values_list("name_ko", flat=True)) == [
        "충전식 전동드릴 18V"
    ]
    assert Title.objects.matching("텐트").count() == 2_000
    assert Title.objects.matching("텐트 19999호").count() == 0  # 19999 is a 렌치 (wrench)
    assert Title.objects.matching("렌치 19999호").count() == 1
