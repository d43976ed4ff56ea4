from django.core.management import call_command

from returns.models import CaseNote, Country, ReturnCase, ReturnPlanItem, Stage


def test_the_demo_has_a_case_in_every_stage_for_each_country(db, settings):
    settings.DEMO_PASSWORD = "demo-pass-for-tests"
    call_command("seed_demo")
    pairs = set(ReturnCase.objects.values_list("country", "stage"))
    assert pairs == {(c, s) for c in Country.values for s in Stage.values}
    assert ReturnCase.objects.filter(assigned_caseworker__username="caseworker").exists()
    assert ReturnCase.objects.filter(assigned_caseworker__isnull=True).exists()
    assert ReturnCase.objects.filter(referred_by__username="referrer").exists()
    assert ReturnPlanItem.objects.exists() and CaseNote.objects.exists()
    closed = ReturnCase.objects.filter(stage="closed").first()
    assert [t.to_stage for t in closed.transitions.all()][-1] == "closed"


def test_running_the_demo_twice_adds_no_cases(db, settings):
    settings.DEMO_PASSWORD = "demo-pass-for-tests"
    call_command("seed_demo")
    count = ReturnCase.objects.count()
    call_command("seed_demo")
    assert ReturnCase.objects.count() == count == 36
