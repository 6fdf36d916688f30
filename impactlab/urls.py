from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from impactlab import views

# The admin signs in through allauth, with its rate limits and two-factor step.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", views.dashboard, name="dashboard"),
    path("mijn-gegevens.json", views.personal_data_download, name="personal_data"),
    path("personen/<int:pk>/wissen/", views.person_erase, name="person_erase"),
    path("team/rollen/<int:pk>/afnemen/", views.role_remove, name="role_remove"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("organisations.urls")),
    path("", include("trainings.urls")),
    path("", include("impact.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
