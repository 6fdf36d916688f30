from django.urls import path

from trainings import views

app_name = "trainings"

urlpatterns = [
    path("programmas/", views.programme_list, name="programme_list"),
    path("rondes/", views.cohort_list, name="cohort_list"),
    path("rondes/<int:pk>/", views.cohort_detail, name="cohort_detail"),
]
