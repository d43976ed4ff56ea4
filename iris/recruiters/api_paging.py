"""How the API's roster list is paged for a partner keeping a copy: by a key that never changes
(a name can change between two pages of a sync), with RFC 8288 Link headers and a total count;
in name order, accented letters in their place, when asked."""

from rest_framework import exceptions, serializers
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

# `order` -> the fields a page is cut by. The id never changes; a name can, mid-sync. Names are
# ordered by their normalised form (lower case, accents set aside: "Ábel" between "Abbot" and
# "Baker") so both databases agree whatever their collation.
ORDERS = {"added": ("id",), "name": ("search_name", "id")}


class PagingQuerySerializer(serializers.Serializer):
    order = serializers.ChoiceField(
        choices=list(ORDERS),
        required=False,
        default="added",
        help_text="`added` (the default): oldest first, by a key that never changes, so a "
        "partner keeping a copy misses nothing while names change. `name`: alphabetical, "
        "accents in their place (a recruiter renamed during paging may be seen twice or not at "
        "all).",
    )
    page_size = serializers.IntegerField(
        required=False,
        default=PAGE_SIZE,
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        help_text=f"Recruiters per page: {PAGE_SIZE} unless asked, at most {MAX_PAGE_SIZE}.",
    )


class RosterCursor(CursorPagination):
    """Pages by cursor in the order asked; each answer has `count` (every match, across pages)
    and a `Link` header with the next and previous pages."""

    page_size = PAGE_SIZE
    ordering = ORDERS["added"]

    def __init__(self, *, order: str = "added", page_size: int = PAGE_SIZE):
        self.ordering = ORDERS[order]
        self.page_size = page_size

    def paginate_queryset(self, queryset, request, view=None):
        page = super().paginate_queryset(queryset, request, view)
        # Each row carries the total (selectors.roster_with_page_facts): no second query.
        self.count = page[0].total if page and hasattr(page[0], "total") else queryset.count()
        return page

    def decode_cursor(self, request):
        # DRF answers a cursor it cannot read with a 404; it is a bad parameter.
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound:
            raise exceptions.ValidationError(
                {"cursor": ["This cursor is not one the API gave: follow `next` or `previous`."]}
            ) from None

    def get_paginated_response(self, data):
        next_link, previous_link = self.get_next_link(), self.get_previous_link()
        links = [
            f'<{link}>; rel="{rel}"'
            for link, rel in ((next_link, "next"), (previous_link, "prev"))
            if link
        ]
        response = Response(
            {"count": self.count, "next": next_link, "previous": previous_link, "results": data}
        )
        if links:
            response["Link"] = ", ".join(links)
        return response

    def get_paginated_response_schema(self, schema):
        paged = super().get_paginated_response_schema(schema)
        paged["properties"] = {
            "count": {"type": "integer", "description": "Every match, across all pages."},
            **paged["properties"],
        }
        paged["required"] = ["count", "next", "previous", "results"]
        return paged
