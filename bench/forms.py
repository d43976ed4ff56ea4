"""Reading forms out of a page as a browser would: fields, hidden inputs, select options."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Field:
    name: str
    kind: str  # input type, "select" or "textarea"
    value: str = ""
    options: list[str] = field(default_factory=list)
    required: bool = False
    checked: bool = False


@dataclass
class Form:
    action: str
    method: str
    fields: list[Field] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", ""), a.get("method", "get").lower()))
        elif not self.forms:
            return
        elif tag == "input" and a.get("name"):
            self.forms[-1].fields.append(
                Field(
                    a["name"],
                    a.get("type", "text").lower(),
                    a.get("value", ""),
                    required="required" in a,
                    checked="checked" in a,
                )
            )
        elif tag == "select" and a.get("name"):
            self._select = Field(a["name"], "select", required="required" in a)
            self.forms[-1].fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
            if "selected" in a:
                self._select.value = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = Field(a["name"], "textarea", required="required" in a)
            self.forms[-1].fields.append(self._textarea)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data


def forms_in(html: str) -> list[Form]:
    parser = _Parser()
    parser.feed(html)
    return parser.forms


def select_options(html: str, name: str) -> list[str]:
    """The non-empty option values of every <select name=...> on the page."""
    values = []
    for form in forms_in(html):
        for f in form.fields:
            if f.kind == "select" and f.name == name:
                values.extend(v for v in f.options if v)
    return values
