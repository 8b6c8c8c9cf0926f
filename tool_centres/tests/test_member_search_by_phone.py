"""The desk finds a member by their phone typed any way: phones are stored in E.164."""

import pytest

from tool_centres.selectors import find_members

pytestmark = pytest.mark.django_db


def test_the_desk_finds_a_member_by_the_number_typed_any_way(resident):
    for typed in ("010-1111-2222", "01011112222", "+82 10 1111 2222", "2222"):
        assert find_members(typed) == [resident], typed
    assert find_members("010-1111-2223") == []
