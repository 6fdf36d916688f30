from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ImpactlabConfig(AppConfig):
    """The project package: the dashboard, demo data and project-wide commands."""

    name = "impactlab"
    default = True


class ImpactlabAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "impactlab.admin.ImpactlabAdminSite"
