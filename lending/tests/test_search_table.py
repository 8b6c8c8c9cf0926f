"""The forgiving search, as a table over the demo catalogue (lending/demo.py): what a resident
types → the titles that must come first, group by group in rank order (within a group in any
order), and titles that must not appear at all. It runs on SQLite, and on PostgreSQL with
DATABASE_URL pointing at a PostgreSQL database (CI); the `postgres`-marked test below also
checks that each kind of query is answered from an index there.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lending import demo
from lending.filters import CatalogueFilter
from lending.models import Title

pytestmark = pytest.mark.django_db

DRILL = "충전식 전동드릴 18V"
HAMMER = "해머드릴"
IMPACT = "임팩트 드라이버"
SUITCASES = {"여행가방 20인치 기내용", "여행가방 28인치"}
HAN_KANG = {"채식주의자", "소년이 온다", "작별하지 않는다"}
POWER_TOOLS = {
    DRILL,
    HAMMER,
    IMPACT,
    "원형톱",
    "직소기",
    "앵글 그라인더",
    "원형 샌더",
    "글루건",
    "열풍기",
}
CAMPING = {"4인용 텐트", "캠핑 의자", "아이스박스 45L"}

# (query, groups that must come first in this order, titles that must not appear)
TABLE: list[tuple[str, list[set[str]], set[str]]] = [
    # exact names, Korean and English
    ("해머드릴", [{HAMMER}], {DRILL, IMPACT}),
    ("사피엔스", [{"사피엔스"}], {"코스모스"}),
    ("hammer drill", [{HAMMER}], {DRILL}),
    ("projector", [{"빔프로젝터"}], {"제습기"}),
    # spaces left out: the spaced title is found
    ("캠핑의자", [{"캠핑 의자"}], {"4인용 텐트", "아이스박스 45L"}),
    ("카펫청소기", [{"카펫 청소기"}], {"스팀청소기"}),
    ("접이식테이블", [{"접이식 테이블"}], set()),
    ("여행가방28인치", [{"여행가방 28인치"}], {"여행가방 20인치 기내용"}),
    ("소년이온다", [{"소년이 온다"}], {"채식주의자"}),
    ("총균쇠", [{"총 균 쇠"}], set()),
    ("sewingmachine", [{"재봉틀"}], set()),
    ("foldingtable", [{"접이식 테이블"}], set()),
    # spaces added: the unspaced title is found
    ("전동 드릴", [{DRILL}, {HAMMER, IMPACT}], {"원형톱"}),  # 2nd: category 전동공구 > 드릴
    ("빔 프로젝터", [{"빔프로젝터"}], set()),
    ("파이프 렌치", [{"파이프렌치"}], set()),
    ("고압 세척기", [{"고압세척기"}], {"스팀청소기"}),
    ("cool box", [{"아이스박스 45L"}], set()),
    # one wrong jamo (Korean's most common typo)
    ("전둥드릴", [{DRILL}], {HAMMER}),
    ("해머드랄", [{HAMMER}], {DRILL}),
    ("재봉툴", [{"재봉틀"}], {"제습기"}),
    ("제습가", [{"제습기"}], {"재봉틀"}),
    ("사피언스", [{"사피엔스"}], set()),
    ("파친꼬", [{"파친코"}], set()),
    ("아몬두", [{"아몬드"}], set()),
    # one wrong, missing or added letter in English
    ("hamer", [{HAMMER}], {"열풍기"}),
    ("cordles", [{DRILL}], {HAMMER}),
    ("projecter", [{"빔프로젝터"}], set()),
    ("trimer", [{"예초기"}], set()),
    ("vegetarin", [{"채식주의자"}], set()),
    ("dehumidifer", [{"제습기"}], set()),
    # initial consonants only (초성)
    ("ㅈㄷㄷㄹ", [{DRILL}], {HAMMER}),
    ("ㅎㅁㄷㄹ", [{HAMMER}], {DRILL}),
    ("ㅅㅍㅇㅅ", [{"사피엔스"}], set()),
    ("ㅍㅊㅋ", [{"파친코"}], set()),
    ("ㅈㅅㄱ", [{"직소기", "제습기"}], {HAMMER}),
    # English plurals and stems
    ("drills", [{DRILL, HAMMER}, {IMPACT}], {"원형톱"}),
    ("ladders", [{"A형 사다리 2m"}], set()),
    ("tents", [{"4인용 텐트"}], {"캠핑 의자"}),
    ("chairs", [{"캠핑 의자"}], {"4인용 텐트"}),
    ("suitcases", [SUITCASES], {"캠핑 의자"}),
    ("miracle", [{"나미야 잡화점의 기적"}], set()),
    ("teaching", [{"세이노의 가르침"}], set()),
    # ranking: name before author/ISBN before category only
    ("드릴", [{DRILL, HAMMER}, {IMPACT}], {"원형톱"}),
    ("공구", [{"가정용 공구세트"}], {"채식주의자"}),
    ("camping", [{"캠핑 의자"}, {"4인용 텐트", "아이스박스 45L"}], {"여행가방 28인치"}),
    ("전동", [{DRILL}], {"채식주의자"}),
    ("톱", [{"원형톱"}, {"직소기"}], set()),
    ("원형", [{"원형톱", "원형 샌더"}], set()),
    ("여행가방", [SUITCASES], {"4인용 텐트"}),
    # author, ISBN, category names
    ("한강", [HAN_KANG], {"아몬드"}),
    ("하라리", [{"사피엔스"}], set()),
    ("978-89-364-3359-8", [{"채식주의자"}], {"소년이 온다"}),
    ("9788936434120", [{"소년이 온다"}], {"채식주의자"}),
    ("캠핑용품", [CAMPING], {"여행가방 28인치"}),
    ("power tools", [POWER_TOOLS], {"재봉틀", "가정용 공구세트"}),
    # every word must match; nothing close gives nothing
    ("드릴 텐트", [], {DRILL, "4인용 텐트"}),
    ("자전거", [], {"A형 사다리 2m"}),
]


def search(words: str) -> list[str]:
    found = CatalogueFilter({"q": words}, queryset=Title.objects.all(), counts=False)
    assert found.is_valid(), found.errors
    return list(found.qs.values_list("name_ko", flat=True))


def mismatch(words: str, groups: list[set[str]], absent: set[str]) -> str | None:
    found = search(words)
    at = 0
    for group in groups:
        head = set(found[at : at + len(group)])
        if head != group:
            return f"{words!r}: expected {sorted(group)} at {at}, got {found}"
        at += len(group)
    if not groups and any(name in absent for name in found):
        return f"{words!r}: expected none of {sorted(absent)}, got {found}"
    shown = absent & set(found)
    if shown:
        return f"{words!r}: {sorted(shown)} must not appear, got {found}"
    return None


@pytest.fixture
def demo_catalogue(districts):
    demo.load_catalogue()


def test_the_table_covers_every_kind_of_query_in_both_languages():
    assert len(TABLE) >= 40


def test_forgiving_search_finds_what_each_query_should_and_nothing_it_should_not(
    demo_catalogue,
):
    # One demo load for the whole table; every failing row reported.
    failures = [m for words, groups, absent in TABLE if (m := mismatch(words, groups, absent))]
    assert failures == [], "\n".join(failures)


def test_did_you_mean_offers_the_corrected_words_only_when_nothing_matches_exactly(
    demo_catalogue,
):
    typo = CatalogueFilter({"q": "전둥드릴"}, queryset=Title.objects.all(), counts=False)
    assert typo.is_valid()
    list(typo.qs)
    exact = CatalogueFilter({"q": "드릴"}, queryset=Title.objects.all(), counts=False)
    assert exact.is_valid()
    list(exact.qs)

    assert typo.query is not None and typo.query.suggestion == "전동드릴"
    assert exact.query is not None and exact.query.suggestion == ""


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("words", "index"),
    [
        ("드릴", "title_search_grams"),  # a fragment
        ("캠핑의자", "title_search_grams"),  # spaces left out
        ("ㅈㄷㄷㄹ", "title_search_grams"),  # initial consonants
        ("ladders", "title_search_grams"),  # a stem
        ("978-89-364-3359-8", "title_search_grams"),  # an ISBN
        ("전둥드릴", "title_search_grams"),  # one wrong jamo
        ("hamer", "title_name_en_lower_trgm"),  # one letter missing
    ],
)
def test_on_postgres_every_query_of_a_search_reads_an_index(demo_catalogue, words, index):
    with connection.cursor() as cursor:
        # The demo is small enough to read whole; forbid that to show the index is usable.
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_indexscan = off")  # (a full scan of the name index)
    with CaptureQueriesContext(connection) as queries:
        list(Title.objects.matching(words).values_list("pk", flat=True))
    plans = []
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            cursor.execute("EXPLAIN " + query["sql"])
            plans.append("\n".join(row[0] for row in cursor.fetchall()))

    # exact matches up to a page and the typo candidates (words that may be typos), the titles
    assert 1 <= len(plans) <= 3
    assert all("Seq Scan" not in plan for plan in plans), plans
    assert index in "\n".join(plans)


def test_the_page_asks_did_you_mean_when_only_typos_match(demo_catalogue, client):
    typo = client.get(reverse("lending:catalogue"), {"q": "전둥드릴"}, HTTP_ACCEPT_LANGUAGE="ko")
    exact = client.get(reverse("lending:catalogue"), {"q": "전동드릴"}, HTTP_ACCEPT_LANGUAGE="ko")

    assert typo.status_code == 200
    assert "전동드릴</a>을 찾으셨나요?" in typo.text
    assert "충전식 전동드릴 18V" in typo.text  # the typo match is listed too
    assert "찾으셨나요" not in exact.text
