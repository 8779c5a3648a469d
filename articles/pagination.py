"""Pages of a list: a page number nobody can break, and a cap for lists counted in SQL."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

PAGE_SIZE = 20


class CappedPaginator(Paginator):
    """
    A Paginator over at most `cap` rows, for the lists PostgreSQL counts (articles,
    a source's articles). Past the cap the total reads "10,000+" and the pages end there:
    narrowing the filters reaches the rest. (Claims lists are counted exactly by the read
    engine and need no cap.)
    """

    cap = 10_000

    @cached_property
    def counted(self):
        # A count of the first cap + 1 ids, unordered, without the rows' annotations:
        # enough to know it goes on.
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @cached_property
    def count(self):
        return min(self.counted, self.cap)

    @property
    def more(self):
        """True when rows beyond the cap exist and are left out."""
        return self.counted > self.cap

    @property
    def total(self):
        return f"{self.count:,}+" if self.more else f"{self.count:,}"


class ExactPaginator(Paginator):
    """A Paginator whose total is exact (the read engine's): formatted like CappedPaginator's."""

    more = False

    @property
    def total(self):
        return f"{self.count:,}"


def paginate(request, object_list, per_page=PAGE_SIZE, paginator=CappedPaginator):
    """A page of `object_list`; nonsense or out-of-range page numbers land on a real page."""
    return paginator(object_list, per_page).get_page(request.GET.get("page"))
