"""The medium a statement went through: a platform, an interview, a briefing."""

from __future__ import annotations

import re

__all__ = ["SAME_OCCASION", "find_medium"]


_PLATFORMS = ("Truth Social", "Telegram", "Facebook", "Twitter", "Instagram", "YouTube", "TikTok",
              "Weibo", "VK")


_PLATFORM = re.compile(r"\b(" + "|".join(re.escape(p) for p in _PLATFORMS) + r")\b")


# "X" is a platform only where a post or an account is meant: "on X", "an X post", "via X".
_X_PLATFORM = re.compile(
    r"(?:\b(?:on|via)\s+X\b(?![-\w.])|\bX\s+(?:post|posts|account|thread|message)\b)"
)


_INTERVIEW = re.compile(
    r"\bin an? (?:\w+ )?interview with ((?:the )?[A-Z][\w.&-]*(?: [A-Z][\w.&-]*)*)"
)


_GENERIC_MEDIA: tuple[tuple[re.Pattern[str], str], ...] = (
    # One name for every press meeting, so that two outlets' wordings do not look like two media.
    (re.compile(r"\b(?:briefing|told|telling|tells|tell) (?:the )?reporters\b"
                r"|\b(?:press|news) (?:conference|briefing)\b"), "briefing reporters"),
    (re.compile(r"\bon state (?:television|TV)\b"), "state television"),
    (re.compile(r"\b(?:on|in a) televised\b|\bon (?:television|TV)\b"), "television"),
    (re.compile(r"\bin an? (?:\w+ )?interview\b"), "interview"),
    (re.compile(r"\bin an? (?:\w+ )?statement\b"), "statement"),
)


SAME_OCCASION = re.compile(
    r"\b(?:in|from) the same (?:post|statement|interview|message|video|briefing|address|speech)\b",
    re.IGNORECASE,
)


def find_medium(text: str) -> str | None:
    """The medium a frame of words names: a platform, an interview, a briefing; else None."""
    platforms = [(m.start(), m.group(1)) for m in _PLATFORM.finditer(text)]
    platforms += [(m.start(), "X") for m in _X_PLATFORM.finditer(text)]
    if platforms:
        return min(platforms)[1]
    interview = _INTERVIEW.search(text)
    if interview:
        return f"{interview.group(1)} interview"
    for pattern, medium in _GENERIC_MEDIA:
        if pattern.search(text):
            return medium
    return None
