from django.urls import reverse

from trainings.models import Programme, Training


def test_coordinator_creates_a_programme_and_a_training_with_trainers(
    client_for, coordinator, trainer, member_organisation
):
    client = client_for(coordinator)
    response = client.post(
        reverse("trainings:programme_create"),
        {
            "name": "Programma Impact",
            "description": "Impact meten",
            "introduced_by": member_organisation.pk,
        },
    )
    programme = Programme.objects.get(name="Programma Impact")
    assert response.status_code == 302
    assert programme.introduced_by == member_organisation
    response = client.post(
        reverse("trainings:training_create", args=[programme.pk]),
        {
            "programme": programme.pk,
            "name": "Training Social Impact meting",
            "trainers": [trainer.pk],
        },
    )
    assert response.status_code == 302
    training = Training.objects.get(name="Training Social Impact meting")
    assert list(training.trainers.all()) == [trainer]


def test_only_trainers_can_be_assigned(client_for, coordinator, participant, training):
    response = client_for(coordinator).post(
        reverse("trainings:training_edit", args=[training.pk]),
        {"programme": training.programme_id, "name": training.name, "trainers": [participant.pk]},
    )
    assert "trainers" in response.context["form"].errors


def test_coordinator_edits_a_programme(client_for, coordinator, training):
    programme = training.programme
    client_for(coordinator).post(
        reverse("trainings:programme_edit", args=[programme.pk]), {"name": "Programma Impact 2"}
    )
    programme.refresh_from_db()
    assert programme.name == "Programma Impact 2"


def test_trainer_sees_the_trainings_they_train_in_read_only(client_for, trainer, cohort):
    response = client_for(trainer).get(reverse("trainings:programme_list"))
    assert cohort.training.name in response.text
    assert reverse("trainings:programme_create") not in response.text
    detail = client_for(trainer).get(cohort.training.get_absolute_url())
    assert list(detail.context["cohorts"]) == [cohort]
    assert detail.context["can_edit"] is False


def test_trainer_cannot_edit_a_training(client_for, trainer, training, cohort):
    response = client_for(trainer).post(
        reverse("trainings:training_edit", args=[training.pk]),
        {"programme": training.programme_id, "name": "Gekaapt"},
    )
    assert response.status_code == 403
    training.refresh_from_db()
    assert training.name != "Gekaapt"
