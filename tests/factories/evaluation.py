"""Factories for KIPP part 2 (evaluation). Proposals are made in the 2021 edition (created by the
competition's data migration) and start as passed the administrative selection.

    proposal = EvalProposalFactory()                         # Umum, in a new agency
    proposal = EvalProposalFactory(group_kind="khusus")
    member = EvaluatorMemberFactory(edition=edition)         # an evaluator account + membership
    member = PanelistMemberFactory(edition=edition)
"""

import factory

from jipp.accounts.models import Role
from jipp.competition.evaluation.models import Member
from jipp.competition.models import Edition, Group, Proposal, ProposalAnswer
from tests.factories import UserFactory
from tests.factories.registry import InnovationFactory


def edition_2021() -> Edition:
    return Edition.objects.get(year=2021)


class EvalProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal
        skip_postgeneration_save = True

    class Params:
        group_kind = "umum"

    edition = factory.LazyFunction(edition_2021)
    group = factory.LazyAttribute(lambda o: Group.objects.get(edition=o.edition, kind=o.group_kind))
    innovation = factory.SubFactory(InnovationFactory)
    unit = factory.SelfAttribute("innovation.unit")
    agency = factory.SelfAttribute("innovation.agency")
    province = factory.SelfAttribute("innovation.province")
    title = factory.SelfAttribute("innovation.title")
    status = Proposal.Status.PASSED_ADMINISTRATION

    @factory.post_generation
    def answers(obj, create, extracted, **kwargs):
        """Fill every section (a dict key -> text overrides the default text)."""
        if not create:
            return
        texts = extracted or {}
        ProposalAnswer.objects.bulk_create(
            [
                ProposalAnswer(
                    proposal=obj,
                    section=s,
                    text=texts.get(s.key, f"Jawaban {s.title} untuk inovasi {obj.title}."),
                    word_count=8,
                )
                for s in obj.group.sections.all()
            ]
        )

    @factory.post_generation
    def categories(obj, create, extracted, **kwargs):
        if create and extracted:
            from jipp.registry.models import Category

            obj.categories.set([c if isinstance(c, Category) else Category.objects.get(code=c) for c in extracted])


class EvaluatorUserFactory(UserFactory):
    role = Role.EVALUATOR
    affiliation = "Universitas Indonesia"


class PanelistUserFactory(UserFactory):
    role = Role.PANELIS
    affiliation = "Universitas Gadjah Mada"


class EvaluatorMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member
        skip_postgeneration_save = True

    edition = factory.LazyFunction(edition_2021)
    user = factory.SubFactory(EvaluatorUserFactory)
    kind = Member.Kind.EVALUATOR

    @factory.post_generation
    def expertise(obj, create, extracted, **kwargs):
        if create and extracted:
            from jipp.registry.models import Category

            obj.expertise.set([c if isinstance(c, Category) else Category.objects.get(code=c) for c in extracted])


class PanelistMemberFactory(EvaluatorMemberFactory):
    user = factory.SubFactory(PanelistUserFactory)
    kind = Member.Kind.PANELIST
