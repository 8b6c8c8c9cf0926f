"""Particles after a name follow the name: 텐트를, 드릴을, J-0025를, T-0011을."""

import pytest
from django.template import Context, Template
from django.utils import translation

from sharing_city.core.particles import resolve


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("텐트을(를) 추가했습니다.", "텐트를 추가했습니다."),
        ("드릴을(를) 추가했습니다.", "드릴을 추가했습니다."),
        ("J-0025을(를) 등록했습니다.", "J-0025를 등록했습니다."),
        ("T-0011은(는) 대출 중입니다.", "T-0011은 대출 중입니다."),
        ("책이(가) 준비되었습니다.", "책이 준비되었습니다."),
        ("정장이(가) 준비되었습니다.", "정장이 준비되었습니다."),
        ("재킷이(가) 준비되었습니다.", "재킷이 준비되었습니다."),
        ("반납일이 2026-12-07(으)로 바뀝니다.", "반납일이 2026-12-07로 바뀝니다."),
        ("반납일이 12월 6일(으)로 바뀝니다.", "반납일이 12월 6일로 바뀝니다."),
        ("보관함(으)로 옮겼습니다.", "보관함으로 옮겼습니다."),
        ("드릴과(와) 사다리", "드릴과 사다리"),
        ("텐트과(와) 사다리", "텐트와 사다리"),
        # after a closing quote, a tag or a parenthesis: the word before it
        ("「텐트」을(를) 취소했습니다.", "「텐트」를 취소했습니다."),
        (
            '<a href="?q=x">전동드릴</a>을(를) 찾으셨나요?',
            '<a href="?q=x">전동드릴</a>을 찾으셨나요?',
        ),
        ("충전식 드릴(TC-0001)이(가) 분실로", "충전식 드릴(TC-0001)이 분실로"),
        # capitals are read by their names: 브이, 엠
        ("전동드릴 18V이(가) 분실로", "전동드릴 18V가 분실로"),
        ("3M을(를) 샀습니다", "3M을 샀습니다"),
        # two in one message
        ("텐트은(는) 망원점(으)로", "텐트는 망원점으로"),
    ],
)
def test_pairs_become_the_particle_the_word_takes(written, shown):
    assert resolve(written) == shown


def test_what_cannot_be_read_keeps_the_pair_and_other_brackets_are_left_alone():
    assert resolve("Drill을(를) 추가했습니다.") == "Drill을(를) 추가했습니다."
    assert resolve("취업 상담(선택)") == "취업 상담(선택)"
    assert resolve("(으)로") == "(으)로"


def test_flash_messages_are_shown_with_the_particle():
    template = Template("{% include 'includes/messages.html' %}")
    with translation.override("ko"):
        html = template.render(Context({"messages": ["텐트을(를) 추가했습니다."]}))
    assert "텐트를 추가했습니다." in html
    assert "(를)" not in html


def test_the_filter_keeps_escaping():
    html = Template("{% load particles %}{{ name|particles }}").render(
        Context({"name": "<b>텐트</b>을(를)"})
    )
    assert html == "&lt;b&gt;텐트&lt;/b&gt;를"
