"""Template filters for text in narrow places."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from impact.worksheet.chain import hyphenator

register = template.Library()

SOFT_HYPHEN = "\u00ad"
# Shorter words fit any column; hyphenating them only makes the text harder to read.
MIN_WORD = 10


@register.filter
def soft_hyphens(text) -> SafeString:
    """The text escaped, with soft hyphens where the language allows a break in long words,
    so a narrow column breaks "Kringloop-centrum" rather than "Kringloopcent-rum"."""
    words = str(text).split(" ")
    hyphenated = [
        hyphenator().inserted(word, hyphen=SOFT_HYPHEN) if len(word) >= MIN_WORD else word
        for word in words
    ]
    return mark_safe(conditional_escape(" ".join(hyphenated)))
