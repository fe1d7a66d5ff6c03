"""Reading pages in tests as a person reads them."""

import html
import re
from html.parser import HTMLParser


def page_text(response) -> str:
    """The visible text of a response on one line: tags removed, entities decoded, spaces collapsed."""
    without_tags = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(without_tags)).strip()


# What a browser sends back when a page's form is submitted as shown (Django writes every option's
# value, so an option's text is never its value here).
SKIPPED_INPUTS = {"submit", "button", "file", "image", "reset"}


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, list[str]]] = []
        self.form: dict[str, list[str]] | None = None
        self.select: dict | None = None
        self.textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.form = {}
            self.forms.append(self.form)
        elif self.form is None:
            return
        elif tag == "input" and "name" in attrs:
            kind = (attrs.get("type") or "text").lower()
            if kind in SKIPPED_INPUTS or (kind in {"checkbox", "radio"} and "checked" not in attrs):
                return
            self.form.setdefault(attrs["name"], []).append(attrs.get("value") or "")
        elif tag == "select" and "name" in attrs:
            self.select = {"name": attrs["name"], "multiple": "multiple" in attrs, "options": []}
        elif tag == "option" and self.select is not None:
            self.select["options"].append((attrs.get("value") or "", "selected" in attrs))
        elif tag == "textarea" and "name" in attrs:
            self.textarea = {"name": attrs["name"], "text": []}

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea["text"].append(data)

    def handle_endtag(self, tag):
        if self.form is None:
            return
        if tag == "select" and self.select is not None:
            options = self.select["options"]
            chosen = [value for value, selected in options if selected]
            if not chosen and options and not self.select["multiple"]:
                chosen = [options[0][0]]  # a single select with none selected sends its first option
            self.form.setdefault(self.select["name"], []).extend(chosen)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            text = "".join(self.textarea["text"]).removeprefix("\n")
            self.form.setdefault(self.textarea["name"], []).append(text)
            self.textarea = None
        elif tag == "form":
            self.form = None


def sent_form(response, field: str) -> dict[str, list[str]]:
    """The values the page's POST form holding `field` sends when submitted as shown: fields as
    filled in, checked boxes and radios only, each select's selected option (or its first one)."""
    reader = _FormReader()
    reader.feed(response.content.decode())
    return next(form for form in reader.forms if field in form)
