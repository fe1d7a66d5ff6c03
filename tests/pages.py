"""Reading pages in tests as a person reads them."""

import html
import re


def page_text(response) -> str:
    """The visible text of a response on one line: tags removed, entities decoded, spaces collapsed."""
    without_tags = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(without_tags)).strip()
