"""Catalogue word search (Title.objects.matching): what a resident types finds what it should and
nothing it shouldn't, on SQLite and PostgreSQL alike; the search text follows edits."""

import pytest

from lending import search, services
from lending.models import Title

from .factories import CategoryFactory, TitleFactory

pytestmark = pytest.mark.django_db


def found(words):
    return set(Title.objects.matching(words).values_list("name_ko", flat=True))


@pytest.fixture
def shelf(drill_title):
    TitleFactory(name_ko="캠핑 텐트 4인용", name_en="Camping tent for 4")
    TitleFactory(name_ko="바다의 별", name_en="Stars of the sea", author="한강")
    TitleFactory(name_ko="드라이버 세트", name_en="Screwdriver set", isbn="9788936434120")
    return drill_title


@pytest.mark.parametrize(
    "words", ["드릴", "drill", "dril", "DRILL", "전동드릴", "18v", "충전식 드릴"]
)
def test_words_find_the_cordless_drill_by_part_of_a_word_in_either_language(shelf, words):
    assert found(words) == {"충전식 전동드릴 18V"}


def test_every_word_must_match(shelf):
    assert found("드릴 텐트") == set()
    assert found("텐트 camping") == {"캠핑 텐트 4인용"}


def test_one_syllable_finds_titles_containing_it_and_no_others(shelf):
    assert found("별") == {"바다의 별"}
    assert found("텐") == {"캠핑 텐트 4인용"}


def test_author_and_isbn_with_dashes_find_the_book(shelf):
    assert found("한강") == {"바다의 별"}
    assert found("978-89-364-3412-0") == {"드라이버 세트"}


def test_words_that_appear_nowhere_find_nothing(shelf):
    assert found("사다리") == set()
    assert found("drills tent") == set()


def test_a_title_is_found_by_its_category_and_parent_category_names(drills):
    tools = CategoryFactory(slug="tools", name_ko="공구", name_en="Tools")
    drills.parent = tools
    drills.save()
    title = TitleFactory(category=drills, name_ko="임팩트", name_en="Impact driver")

    assert found("공구") == {"임팩트"}
    assert "tools" in Title.objects.get(pk=title.pk).search_text


def test_renaming_a_title_or_its_category_updates_what_finds_it(drill_title, drills):
    drill_title.name_en = "Battery drill"
    drill_title.save(update_fields=["name_en"])
    drills.name_en = "Boring tools"
    drills.save()

    assert found("battery") == {"충전식 전동드릴 18V"}
    assert found("boring") == {"충전식 전동드릴 18V"}
    assert found("cordless") == set()


def test_refresh_fills_titles_written_without_save(drills):
    Title.objects.bulk_create([Title(category=drills, name_ko="접이식 사다리", name_en="Ladder")])
    assert found("사다리") == set()

    assert search.refresh(Title.objects.all()) == 1

    assert found("사다리") == {"접이식 사다리"}
    assert search.refresh(Title.objects.all()) == 0  # already up to date: nothing written


def test_check_out_counts_towards_most_borrowed(drill, resident, volunteer, drill_title):
    services.check_out(item=drill, member=resident, by=volunteer)
    drill_title.refresh_from_db()

    assert drill_title.loan_count == 1
    assert search.refresh_loan_counts() == 0  # the recount agrees with what check_out counted
    Title.objects.update(loan_count=0)  # as after loading loans with COPY
    assert search.refresh_loan_counts() == 1
    drill_title.refresh_from_db()
    assert drill_title.loan_count == 1


def test_query_grams_are_what_an_indexed_title_must_contain():
    assert search.grams("드릴") == ["드릴"]
    assert search.grams("별") == ["별"]
    assert search.grams("drill") == ["dr", "il", "ll", "ri"]
    assert search.query_words("  Ｄｒｉｌｌ   978-89 ") == ["drill", "97889"]


def typo_matches(words):
    query = search.parse(words)
    list(Title.objects.matching(query))
    return {Title.objects.get(pk=typo.title_id).name_ko for typo in query.typos}


def test_typo_matches_are_found_once_then_read_from_the_cache(shelf, django_assert_num_queries):
    assert typo_matches("전둥드릴") == {"충전식 전동드릴 18V"}  # one jamo off: 동 → 둥
    query = search.parse("전둥드릴")
    with django_assert_num_queries(0):  # the candidates are not looked for again
        Title.objects.matching(query)
    assert [typo.suggestion for typo in query.typos] == ["전동드릴"]


def test_a_title_saved_or_refreshed_after_a_search_is_a_typo_match_at_once(shelf, drills):
    assert typo_matches("사더리") == set()  # cached: nothing one jamo away (다 → 더)
    TitleFactory(name_ko="접이식 사다리", name_en="Folding ladder")
    assert typo_matches("사더리") == {"접이식 사다리"}

    Title.objects.bulk_create([Title(category=drills, name_ko="알루미늄 사다리", name_en="Ladder")])
    search.refresh(Title.objects.all())
    assert typo_matches("사더리") == {"접이식 사다리", "알루미늄 사다리"}


def test_typos_are_not_looked_for_behind_a_page_of_exact_matches(drills):
    for n in range(search.TYPOS_ONLY_BELOW):
        TitleFactory(name_ko=f"전동드릴 {n}호", name_en=f"Drill {n}", category=drills)
    TitleFactory(name_ko="전둥드릴 세트", name_en="Odd drill set", category=drills)

    assert typo_matches("전동드릴") == set()  # 20 exact matches: "전둥" is not looked for
    assert typo_matches("전둥드릴") == {f"전동드릴 {n}호" for n in range(20)}  # one exact only
