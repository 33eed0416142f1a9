"""What users write is rendered as Markdown and never runs in another's browser."""

import pytest

from minga.common.markdown import render_markdown


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "[click](javascript:alert(1))",
        '<img src=x onerror="alert(1)">',
        "<iframe src='https://example.org'></iframe>",
        '<a href="#" onclick="steal()">x</a>',
    ],
)
def test_dangerous_markup_is_removed(text: str) -> None:
    """Scripts, event handlers, frames and javascript: links never survive rendering."""
    html = str(render_markdown(text)).lower()
    for needle in ("<script", "javascript:", "onerror", "onclick", "<iframe"):
        assert needle not in html


def test_markdown_formatting_is_kept() -> None:
    """Ordinary formatting and safe links are rendered, links marked nofollow."""
    html = str(render_markdown("**Minga** and [radio](https://radio.example.org)"))
    assert "<strong>Minga</strong>" in html
    assert 'href="https://radio.example.org"' in html
    assert "nofollow" in html
