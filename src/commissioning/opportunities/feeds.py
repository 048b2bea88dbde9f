"""Atom feeds of opportunities (PR-1): all of them, or any finder search through its query string."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from commissioning.core.formats import format_datetime

from . import selectors
from .forms import FinderForm
from .views.public import finder_filters

FEED_SIZE = 50


class OpportunityFeed(Feed):
    """The newest published opportunities matching the same filters as the finder."""

    feed_type = Atom1Feed
    title = "Opportunities: Leeds Commissioning Hub"
    subtitle = "Tenders and grant rounds for the third sector in Leeds"

    def get_object(self, request):
        form = FinderForm(request.GET or None)
        filters = finder_filters(form)
        if not form.is_bound:
            filters = selectors.FinderFilter(state="all")
        self._query = request.GET.urlencode()
        return filters

    def link(self, filters):
        return reverse("opportunities:finder") + (f"?{self._query}" if self._query else "")

    def items(self, filters):
        newest_first = selectors.FinderFilter(**{**filters.__dict__, "sort": "newest"})
        return selectors.finder(filters=newest_first)[:FEED_SIZE]

    def item_title(self, item):
        return f"{item.title} ({item.get_kind_display()}, {item.display_status})"

    def item_description(self, item):
        deadline = f" Closes {format_datetime(item.submission_deadline)}." if item.submission_deadline else ""
        return f"{item.summary} Value £{item.total_value:,.0f}.{deadline}"

    def item_link(self, item):
        return reverse("opportunities:detail", args=[item.reference])

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.service_area.name, item.get_kind_display()]
