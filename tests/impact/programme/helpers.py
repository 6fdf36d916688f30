"""Rondes of a training with known figures, for the programme view's tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from impact.models import Questionnaire, Response, StepReview, ValueStep, Worksheet
from impact.questionnaire import services as questionnaire_services
from tests.factories import (
    AttendanceFactory,
    CohortFactory,
    EffectFactory,
    EnrolmentFactory,
    IndicatorFactory,
    OrganisationFactory,
    ResultFactory,
    SessionFactory,
    StakeholderFactory,
    TargetGroupFactory,
    WorksheetFactory,
    make_person,
)
from trainings.models import Cohort, Training


def make_ronde(
    training: Training,
    name: str,
    *,
    organisations: int = 5,
    days_ago: int = 100,
    sessions: int = 3,
    present: int | None = None,
    approved: int = 0,
    effects: int = 2,
    measured_effects: int = 1,
    results: int = 1,
    answered: int = 0,
    value_on: int = 0,
    target_group: str = "Jongeren zonder startkwalificatie",
    status: str = Cohort.Status.FINISHED,
) -> Cohort:
    """A ronde of ``organisations`` organisations (one participant each) with ``sessions``
    dagdelen in the past, the first ``present`` organisations at each (all by default), and
    per worksheet: ``approved`` approved steps, ``effects`` effects of which
    ``measured_effects`` have an indicator, ``results`` of those indicators with a result;
    the first ``answered`` organisations have an answered questionnaire and the first
    ``value_on`` the value step switched on."""
    starts_on = timezone.localdate() - dt.timedelta(days=days_ago)
    cohort = CohortFactory(
        training=training,
        name=name,
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=42),
        capacity=max(8, organisations),
        status=status,
    )
    held = [
        SessionFactory(cohort=cohort, date=starts_on + dt.timedelta(days=14 * k))
        for k in range(sessions)
    ]
    present = organisations if present is None else present
    for number in range(organisations):
        organisation = OrganisationFactory()
        person = make_person(organisation)
        enrolment = EnrolmentFactory(cohort=cohort, organisation=organisation)
        if number < present:
            for session in held:
                AttendanceFactory(session=session, person=person)
        worksheet = WorksheetFactory(enrolment=enrolment)
        fill_worksheet(
            worksheet,
            approved=approved,
            effects=effects,
            measured_effects=measured_effects,
            results=results,
            target_group=target_group,
        )
        if number < answered:
            answer_questionnaire(worksheet)
        if number < value_on:
            ValueStep.objects.create(worksheet=worksheet, is_enabled=True)
    return cohort


def fill_worksheet(
    worksheet: Worksheet,
    *,
    approved: int,
    effects: int,
    measured_effects: int,
    results: int,
    target_group: str,
) -> None:
    for step in range(1, approved + 1):
        StepReview.objects.create(worksheet=worksheet, step=step, state=StepReview.State.APPROVED)
    TargetGroupFactory(worksheet=worksheet, name=target_group)
    stakeholder = StakeholderFactory(worksheet=worksheet)
    for number in range(effects):
        effect = EffectFactory(worksheet=worksheet, stakeholder=stakeholder)
        if number < measured_effects:
            indicator = IndicatorFactory(effect=effect)
            if number < results:
                ResultFactory(indicator=indicator)


def answer_questionnaire(worksheet: Worksheet) -> Questionnaire:
    indicator = worksheet.effects.first().indicators.first()
    questionnaire = questionnaire_services.create_questionnaire(
        worksheet=worksheet, title="Hoe gaat het?", intro="", indicators=[indicator]
    )
    link = questionnaire_services.share_at_moment(
        questionnaire=questionnaire,
        name="Voormeting",
        starts_on=timezone.localdate() - dt.timedelta(days=30),
        ends_on=timezone.localdate(),
    )
    Response.objects.create(link=link, finished_at=timezone.now(), entered_from_paper=True)
    return questionnaire
