"""
The editors' workbench: an article's sentences with what each names, the claims already
made from it, and for each sentence a claim ready to be made: its quote, actors, kind and
date suggested. The views are in admin.py (ArticleAdmin.workbench_view); this module
reads and suggests, and writes nothing.
"""

import dataclasses
import datetime
import itertools
import re
from urllib.parse import urlencode

from babel import Locale
from django import forms
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import detection, sentences
from .models import MIN_QUOTE_LENGTH, Actor, Claim, ClaimActor, ClaimLink, Evidence, Status
from .search import fold

# Words (folded beginnings of words) that suggest a claim's kind, in English and Serbian.
# On a tie the kind listed first wins: the more specific kinds come first.
KIND_WORDS = {
    Claim.Kind.ARMS: "weapon arms missile drone acquired bought purchas supplied deliver "
    "naoruzanj oruzj raket dron kupil isporuc наоружањ оружј ракет дрон купил испоруч",
    Claim.Kind.CONFLICT: "attack strike shell killed war clash invasion invaded fighting "
    "napad rat sukob ubijen напад рат сукоб убијен",
    Claim.Kind.ECONOMIC: "sanction trade invest loan gas oil deal tariff econom transaction "
    "sankcij trgovin investic gas ekonom санкциј трговин инвестиц гас економ",
    Claim.Kind.POLICY: "policy neutral law adopt strategy doctrine "
    "politik neutraln zakon strategij политик неутралн закон стратегиј",
    Claim.Kind.DIPLOMATIC: "met meeting talks visit friend relations ambassador minister "
    "negotiat member candidate summit agreement unease "
    "sastan sastao razgovor poset prijatelj odnos ambasador pregovor clan kandidat samit "
    "састан састао разговор посет пријатељ однос амбасадор преговор члан кандидат самит",
    Claim.Kind.MILITARY: "exercise drill troops military militaries army armies forces "
    "soldier training combat defen "
    "vezb vojsk vojn vojnic obuk odbran вежб војск војн војниц обук одбран",
}
KIND_PATTERNS = {
    kind: re.compile(r"\b(?:" + "|".join(map(re.escape, words.split())) + r")\w*")
    for kind, words in KIND_WORDS.items()
}


def month_names():
    """
    Month names as a sentence writes them, from CLDR (Babel): English capitalised (so
    that "may" the verb is no month), Serbian in both scripts with the case forms a date
    takes ("jula", "септембра", "u julu").
    """
    names = {}
    for locale in ("en", "sr", "sr_Latn"):
        for number, name in Locale.parse(locale).months["format"]["wide"].items():
            if locale == "en":
                names[name] = number
                continue
            stem = name[:-2] + name[-1] if name.endswith(("bar", "бар")) else name
            a, u = ("а", "у") if detection.CYRILLIC.search(name) else ("a", "u")
            for form in (name, stem + a, stem + u):
                names[form] = number
    return names


MONTHS = month_names()
MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b"
DATE_PATTERNS = [
    # 28 July 2025, 28. jula 2025.
    (re.compile(rf"\b(?P<day>\d{{1,2}})\.? {MONTH},? (?P<year>\d{{4}})\b"), "day"),
    # July 28, 2025
    (re.compile(rf"\b{MONTH} (?P<day>\d{{1,2}}),? (?P<year>\d{{4}})\b"), "day"),
    # 28 July
    (re.compile(rf"\b(?P<day>\d{{1,2}})\.? {MONTH}"), "day"),
    # July 2025
    (re.compile(rf"\b{MONTH},? (?P<year>\d{{4}})\b"), "month"),
    # in May, back in May
    (re.compile(rf"\b{MONTH}"), "month"),
    # this month
    (re.compile(r"\b(this|last) month\b|\bovog meseca\b|\bовог месеца\b"), "this_month"),
    # since 2012
    (re.compile(r"\b(?P<year>(?:19|20)\d{2})\b"), "year"),
]


def suggested_kind(text):
    """The kind of claim a sentence's words suggest, or "other"."""
    folded = fold(text)
    scores = {kind: len(pattern.findall(folded)) for kind, pattern in KIND_PATTERNS.items()}
    best = max(scores, key=lambda kind: scores[kind])  # the first of the highest
    return best if scores[best] else Claim.Kind.OTHER


def suggested_date(text, published):
    """
    (date, precision) stated in the sentence, the article's publication date (a
    datetime) filling in a missing year; else the article's date, to the day.
    """
    today = published.date()
    for pattern, precision in DATE_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        found = match.groupdict()
        if precision == "this_month":
            return today.replace(day=1), Claim.Precision.MONTH
        year = int(found["year"]) if found.get("year") else None
        month = MONTHS[found["month"]] if found.get("month") else 1
        if year is None:
            # A month without a year is the latest one up to the article's date.
            year = today.year if month <= today.month else today.year - 1
        day = int(found["day"]) if found.get("day") else 1
        try:
            when = datetime.date(year, month, day)
        except ValueError:
            continue
        return when, {"day": Claim.Precision.DAY, "month": Claim.Precision.MONTH}.get(
            precision, Claim.Precision.YEAR
        )
    return today, Claim.Precision.DAY


def claim_actors(found, states):
    """
    The actors a claim made from a sentence starts with: the actors it names, and for
    each country it names without a more specific actor of that country, the country's
    state actor (so the claim's countries come out right). `states`: code → state actor.
    """
    actors = list(found.actors)
    represented = {actor.country for actor in actors if actor.country}
    for code in found.countries:
        if code not in represented and code in states:
            actors.append(states[code])
    return actors


@dataclasses.dataclass
class Row:
    """One sentence of the article on the workbench."""

    sentence: sentences.Sentence
    html: SafeString
    countries: list
    actors: list
    claim_actors: list
    kind: str
    occurred_on: datetime.date
    precision: str
    event: object
    add_url: str
    quotable: bool


def rows(article, evidence):
    """
    The workbench's rows: every sentence of the article with what it names and the
    claim a click makes of it. `evidence`: the article's evidence with their claims.
    """
    gazetteer = detection.gazetteer()
    paragraphs = sentences.paragraphs(article.body)
    found = {sentence: gazetteer.detect(sentence.text) for sentence in itertools.chain(*paragraphs)}
    codes = {code for result in found.values() for code in result.countries}
    states = {
        actor.country.code: actor
        for actor in Actor.objects.filter(kind=Actor.Kind.STATE, country__code__in=codes)
        .select_related("country")
        .only("pk", "slug", "name", "kind", "country__code", "country__name")
    }
    names = {code: actor.name for code, actor in states.items()}
    spans = [(*span, item) for item in evidence if (span := item.span()) is not None]
    made = []
    for paragraph in paragraphs:
        row_list = []
        for sentence in paragraph:
            result = found[sentence]
            actors = claim_actors(result, states)
            kind = suggested_kind(sentence.text)
            occurred_on, precision = suggested_date(sentence.text, article.published_at)
            event = result.events[0] if result.events else None
            params = [
                ("article", article.pk),
                ("quote", sentence.text),
                ("statement", ""),
                ("kind", kind),
                ("occurred_on", occurred_on.isoformat()),
                ("date_precision", precision),
                *(("actor", actor.pk) for actor in actors),
            ]
            if event:
                params.append(("event", event.pk))
            row_list.append(
                Row(
                    sentence=sentence,
                    html=marked(article.body, sentence, spans),
                    countries=[names.get(code, code) for code in result.countries],
                    actors=result.actors,
                    claim_actors=actors,
                    kind=kind,
                    occurred_on=occurred_on,
                    precision=precision,
                    event=event,
                    add_url=reverse("admin:articles_claim_add") + "?" + urlencode(params),
                    quotable=len(sentence.text) >= MIN_QUOTE_LENGTH,
                )
            )
        made.append(row_list)
    return made


def marked(body, sentence, spans):
    """The sentence as HTML, with the parts that claims already quote in <mark>."""
    cuts = {sentence.start, sentence.end}
    for start, end, _claim in spans:
        cuts |= {p for p in (start, end) if sentence.start < p < sentence.end}
    pieces = []
    for start, end in itertools.pairwise(sorted(cuts)):
        text = escape(body[start:end])
        quoting = any(s <= start < e for s, e, _ in spans)
        pieces.append(f"<mark>{text}</mark>" if quoting else text)
    return SafeString("".join(pieces))  # nosec B703: each piece of it was escaped


def article_evidence(article):
    """The evidence from this article, with their claims and the claims' actors."""
    return list(
        article.evidence.select_related("claim")
        .prefetch_related("claim__roles__actor")
        .order_by("claim__created_at", "claim_id")
    )


# A claim named by its id ("12"), its page (/claims/12/slug/) or its admin page
# (/admin/articles/claim/12/change/).
CLAIM_REFERENCE = re.compile(r"^\s*(\d+)\s*$|/claims?/(\d+)(?:/|$)")


class QuickClaimForm(forms.Form):
    """A claim from one quote of the article, made on the workbench: saved as a draft."""

    statement = forms.CharField(
        label=_("Statement"),
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One sentence saying who did what with whom, in the site's own words."),
    )
    quote = forms.CharField(
        label=_("Quote"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("From the article: select words in a sentence to narrow it."),
    )
    stance = forms.ChoiceField(
        label=_("Stance"), choices=Evidence.Stance.choices, initial=Evidence.Stance.REPORTS
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Claim.Kind.choices)
    occurred_on = forms.DateField(
        label=_("When"),
        required=False,
        # A text box, as the admin's: a date picker's parts hide its keyboard focus.
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"size": 10}),
        help_text=_("YYYY-MM-DD"),
    )
    date_precision = forms.ChoiceField(
        label=_("Precision"), choices=[("", "—"), *Claim.Precision.choices], required=False
    )

    link_type = forms.ChoiceField(
        label=_("This claim"),
        choices=[("", "—"), *ClaimLink.Type.choices],
        required=False,
        help_text=_("Optional: how it bears on a claim already made."),
    )
    link_to = forms.CharField(
        label=_("Other claim"),
        max_length=500,
        required=False,
        help_text=_("Its id, or its address on the site or in the admin."),
    )

    def __init__(self, *args, actors=(), events=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.actor_choices = list(actors)
        self.fields["actors"] = forms.MultipleChoiceField(
            label=_("Actors"),
            choices=[(str(actor.pk), actor.name) for actor in self.actor_choices],
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
        for actor in self.actor_choices:
            self.fields[f"role_{actor.pk}"] = forms.ChoiceField(
                label=gettext("Role of %(actor)s") % {"actor": actor.name},
                choices=ClaimActor.Role.choices,
                initial=ClaimActor.Role.PARTICIPANT,
            )
        self.fields["event"] = forms.ChoiceField(
            label=_("Event"),
            choices=[("", "—"), *((str(event.pk), event.name) for event in events)],
            required=False,
        )

    def clean_link_to(self):
        """The claim the text names (an id or an address), or None."""
        text = self.cleaned_data["link_to"].strip()
        if not text:
            return None
        match = CLAIM_REFERENCE.search(text)
        pk = match and int(match.group(1) or match.group(2))
        claim = pk and Claim.objects.filter(pk=pk).first()
        if not claim:
            raise forms.ValidationError(
                gettext(
                    "No claim has this id or address: give a number, or copy the claim's address."
                )
            )
        return claim

    def clean(self):
        data = super().clean()
        if bool(data.get("link_type")) != bool(data.get("link_to")):
            self.add_error(
                "link_to" if data.get("link_type") else "link_type",
                gettext("Give both how this claim bears on another and which claim, or neither."),
            )
        return data

    def actor_rows(self):
        """(actor, checkbox, role field) for the template."""
        boxes = {str(box.data["value"]): box for box in self["actors"]}
        return [
            (actor, boxes[str(actor.pk)], self[f"role_{actor.pk}"]) for actor in self.actor_choices
        ]


def candidate_actors(article_rows, evidence):
    """Every actor a claim from this article might name: detected, and already used."""
    seen, actors = set(), []
    for row in itertools.chain(*article_rows):
        for actor in row.claim_actors:
            if actor.pk not in seen:
                seen.add(actor.pk)
                actors.append(actor)
    pks = [actor.pk for actor in actors]
    loaded = {actor.pk: actor for actor in Actor.objects.filter(pk__in=pks)}
    used = [role.actor for item in evidence for role in item.claim.roles.all()]
    for actor in used:
        if actor.pk not in loaded:
            loaded[actor.pk] = actor
            pks.append(actor.pk)
    return [loaded[pk] for pk in dict.fromkeys(pks) if pk in loaded]


def readiness(claims):
    """(claim, why it cannot be published or "") for the article's draft claims."""
    checked = Claim.objects.filter(pk__in=[claim.pk for claim in claims]).with_publication_checks()
    return [(claim, claim.publication_problem()) for claim in checked.order_by("created_at", "pk")]


def draft_claims(article):
    return Claim.objects.filter(evidence__article=article, status=Status.DRAFT).distinct()
