"""Every write to what a worksheet's pages show moves its ``content_version`` on.

The step pages keep their rendered rows per worksheet, content version, language and role
(``impact.worksheet.presenters``). Whatever writes a row, a review or a comment (a service,
the starter kit, the demo builders, the admin, a test factory) saves or deletes a model
instance or records a revision, and each of those lands here, in the same transaction as the
change: a page rendered before a colleague's save is never served after it. Bulk updates
that bypass ``save()`` record a revision (every service write does) or call
``Worksheet.objects.filter(...).content_changed()`` themselves (``move_row``).
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from impact import models as m


def _worksheets(instance) -> m.WorksheetQuerySet:
    """The worksheet a row belongs to, as a queryset (no query until it is updated)."""
    worksheets = m.Worksheet.objects
    if isinstance(instance, m.Worksheet):
        return worksheets.filter(pk=instance.pk)
    if isinstance(instance, m.Output):
        return worksheets.filter(activities__pk=instance.activity_id)
    if isinstance(instance, m.Indicator):
        return worksheets.filter(effects__pk=instance.effect_id)
    if isinstance(instance, m.Result):
        return worksheets.filter(effects__indicators__pk=instance.indicator_id)
    if isinstance(instance, m.Response):  # step 5 counts the finished responses
        return worksheets.filter(questionnaires__links__pk=instance.link_id)
    return worksheets.filter(pk=instance.worksheet_id)


def content_changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):  # loading fixtures
        return
    if isinstance(instance, m.Worksheet) and kwargs.get("created"):
        return  # a new worksheet starts at version 0 with nothing cached
    _worksheets(instance).content_changed()


def links_changed(sender, instance, action: str, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        m.Worksheet.objects.filter(pk=instance.worksheet_id).content_changed()


CONTENT_MODELS = (
    m.Worksheet,
    m.TargetGroup,
    m.Stakeholder,
    m.Activity,
    m.Output,
    m.Effect,
    m.Indicator,
    m.Result,
    m.StepReview,
    m.Comment,
    m.Revision,
    m.Questionnaire,
    m.Response,
    m.ValueStep,  # the step menu shows the value step once it is switched on
)


def connect() -> None:
    for model in CONTENT_MODELS:
        uid = f"impact-content-{model._meta.model_name}"
        post_save.connect(content_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(content_changed, sender=model, dispatch_uid=uid + "-delete")
    for through in (m.Activity.stakeholders.through, m.Effect.activities.through):
        m2m_changed.connect(links_changed, sender=through, dispatch_uid=f"impact-{through}")
