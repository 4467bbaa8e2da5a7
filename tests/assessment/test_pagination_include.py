"""includes/pagination.html, shared by the review queue, the public register and the dashboards."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.utils import translation


def render(number: int, query: str = "") -> str:
    page = Paginator(range(120), 50).get_page(number)
    with translation.override("en"):
        return render_to_string("includes/pagination.html", {"page": page, "query": query})


def test_a_middle_page_links_both_ways_keeping_the_filters():
    html = render(2, "kind=industry&state=submitted")
    assert 'href="?kind=industry&amp;state=submitted&amp;page=1"' in html
    assert 'href="?kind=industry&amp;state=submitted&amp;page=3"' in html
    assert "Page 2 of 3" in html


def test_without_filters_the_links_carry_only_the_page():
    html = render(1)
    assert 'href="?page=2"' in html
    assert "Previous" not in html


def test_a_single_page_shows_no_navigation():
    page = Paginator(range(10), 50).get_page(1)
    assert "pagination" not in render_to_string("includes/pagination.html", {"page": page})
