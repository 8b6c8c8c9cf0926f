"""On PostgreSQL the catalogue's word search can be served by the trigram indexes of migration
0002: the SQL the ORM writes (UPPER(col) LIKE UPPER('%word%')) matches the index expressions.

The planner still prefers a sequential scan on small tables and for one- or two-letter words
(a trigram needs three characters; "드릴" has two), which is why this test turns seq scans off:
it checks that the index *can* be used, not the planner's choice.
"""

import pytest
from django.db import connection

from lending.models import Title

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.mark.parametrize("words", ["전동드릴", "cordless", "한강"])
def test_word_search_uses_the_trigram_indexes(drills, words):
    Title.objects.bulk_create(
        [
            Title(category=drills, name_ko=f"전동드릴 {n}", name_en=f"Cordless {n}")
            for n in range(50)
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE lending_title")
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = Title.objects.matching(words).explain()

    for index in ("title_name_ko_trgm", "title_name_en_trgm", "title_author_trgm"):
        assert index in plan
