from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class ImpactlabAdminSite(admin.AdminSite):
    """The admin for coordinators of the cooperative, behind the site's own login."""

    site_header = _("impactlab administration")
    site_title = _("impactlab")
    index_title = _("Manage impactlab")

    def has_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_coordinator
