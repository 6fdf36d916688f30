from django.contrib import admin
from django.utils.translation import gettext_lazy as _

# Names the libraries give their apps and models without a translation: django-tasks-db's
# app is "Tasks Database Backend" and allauth.mfa's model has no verbose name at all.
# (TaskResult's own names are translated in our catalogue.)
APP_NAMES = {
    "django_tasks_database": _("Background tasks"),
    "mfa": _("Two-step verification"),
}
MODEL_NAMES = {
    ("mfa", "Authenticator"): _("Authenticators"),
}


class ImpactlabAdminSite(admin.AdminSite):
    """The admin for coordinators of the cooperative, behind the site's own login."""

    site_header = _("impactlab administration")
    site_title = _("impactlab")
    index_title = _("Manage impactlab")

    def has_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_coordinator

    def _build_app_dict(self, request, label=None):
        """Django's list of apps and models, with the names above in the user's language."""
        app_dict = super()._build_app_dict(request, label)
        for app_label, app in app_dict.items():
            if app_label in APP_NAMES:
                app["name"] = APP_NAMES[app_label]
            for model in app["models"]:
                if (app_label, model["object_name"]) in MODEL_NAMES:
                    model["name"] = MODEL_NAMES[app_label, model["object_name"]]
        return app_dict
