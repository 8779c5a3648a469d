"""Pages of a list: a page number nobody can break, and a cap for lists counted in SQL."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext

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
        total = number_format(self.count, force_grouping=True)
        return f"{total}+" if self.more else total


class ExactPaginator(Paginator):
    """A Paginator whose total is exact (the read engine's): formatted like CappedPaginator's."""

    more = False

    @property
    def total(self):
        return number_format(self.count, force_grouping=True)


class PastTheEnd(Http404):
    """
    A page number beyond the pages there are: 404, as Django's own list views answer,
    with the address of the last page (handler404 links to it).
    """

    def __init__(self, message, last_url):
        super().__init__(message)
        self.last_url = last_url


def paginate(request, object_list, per_page=PAGE_SIZE, paginator=CappedPaginator):
    """
    A page of `object_list`. Nonsense page numbers (abc, 1.5) land on the first page, and
    "last" on the last (Django's convention); a number past the end, or below 1, is a 404
    that links to the last page.
    """
    paginator = paginator(object_list, per_page)
    number = request.GET.get("page")
    if number == "last":
        return paginator.page(paginator.num_pages)
    try:
        return paginator.page(number or 1)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        params = request.GET.copy()
        params["page"] = paginator.num_pages
        if paginator.num_pages == 1:
            params.pop("page")
        query = params.urlencode()
        raise PastTheEnd(
            gettext("There is no page %(number)s: the last is page %(last)s.")
            % {"number": number[:30], "last": paginator.num_pages},
            request.path + (f"?{query}" if query else ""),
        ) from None
