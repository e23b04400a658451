"""The desk's article editor: the article's settings and both language versions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from atiende.accounts.models import Agent, Organization
from atiende.errors import InvalidValue
from atiende.knowledge.actions import ArticleDraft, Text
from atiende.knowledge.models import Article, ArticleState, Category, Visibility
from atiende.tickets.forms import MultipleFileField

MARKDOWN_HELP = _(
    "Markdown: **bold**, *italics*, lists with “- ”, links as [text](https://…), images as ![description](address)."
)


class ArticleForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.all())
    visibility = forms.ChoiceField(label=_("Who may read it"), choices=Visibility.choices)
    companies = forms.ModelMultipleChoiceField(
        label=_("Companies"),
        queryset=Organization.objects.filter(is_active=True).order_by("name"),
        required=False,
        help_text=_("Only for “Contacts of chosen companies”."),
    )
    state = forms.ChoiceField(label=_("State"), choices=ArticleState.choices)
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=Agent.objects.engineers().select_related("user"),
        required=False,
    )
    last_reviewed = forms.DateField(
        label=_("Last reviewed"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    title_es = forms.CharField(label=_("Title (Spanish)"), max_length=200, required=False)
    body_es = forms.CharField(
        label=_("Text (Spanish)"), max_length=100_000, required=False, widget=forms.Textarea(attrs={"rows": 14}),
        help_text=MARKDOWN_HELP,
    )  # fmt: skip
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    body_en = forms.CharField(
        label=_("Text (English)"), max_length=100_000, required=False, widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Leave the English version blank to hide the article from readers in English."),
    )  # fmt: skip
    uploads = MultipleFileField(label=_("Files and images"), required=False)

    @classmethod
    def initial_for(cls, article: Article) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "category": article.category_id,
            "visibility": article.visibility,
            "companies": list(article.companies.all()),
            "state": article.state,
            "owner": article.owner_id,
            "last_reviewed": article.last_reviewed,
        }
        for text in article.texts.all():
            initial[f"title_{text.language}"] = text.title
            initial[f"body_{text.language}"] = text.body_markdown
        return initial

    def draft(self) -> ArticleDraft:
        data = self.cleaned_data
        return ArticleDraft(
            category=data["category"],
            visibility=data["visibility"],
            state=data["state"],
            companies=list(data["companies"]),
            owner=data["owner"],
            last_reviewed=data["last_reviewed"],
            texts={lang: Text(data[f"title_{lang}"], data[f"body_{lang}"]) for lang in ("es", "en")},
        )

    def refuse(self, error: InvalidValue) -> None:
        self.add_error(error.field if error.field in self.fields else None, str(error))
