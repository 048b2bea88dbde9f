"""The pipeline as an Atom feed: the plans most recently put on it, with the pipeline's filters."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from commissioning.core.formats import format_date
from commissioning.core.money import format_money

from . import selectors
from .views import filter_form, pipeline_filters

FEED_SIZE = 50


class PipelineFeed(Feed):
    """The newest plans on the pipeline matching the same filters as the pipeline's page."""

    feed_type = Atom1Feed
    title = "The commissioning pipeline: Leeds Commissioning Hub"
    subtitle = "Commissioning planned by Leeds City Council and the NHS in Leeds"

    def get_object(self, request):
        self._query = request.GET.urlencode()
        return pipeline_filters(filter_form(request))

    def link(self, filters):
        return reverse("planning:pipeline") + (f"?{self._query}" if self._query else "")

    def items(self, filters):
        return selectors.pipeline(filters=filters).order_by("-published_at", "-pk")[:FEED_SIZE]

    def item_title(self, item):
        return f"{item.record.title} ({item.record.lead_body.name}, {item.get_status_display().lower()})"

    def item_description(self, item):
        value = format_money(item.record.estimated_value) if item.record.estimated_value is not None else "not known"
        return (
            f"{item.record.summary} {item.service_area.name}. Expected value {value}, "
            f"{item.get_funding_type_display().lower()}. Expected to be advertised {format_date(item.expected_advert)}."
        )

    def item_link(self, item):
        return reverse("planning:detail", args=[item.record.reference])

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.service_area.name, item.get_funding_type_display()]
