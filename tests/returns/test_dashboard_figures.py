"""A figure on the staff workspace and the list its link opens count the same cases."""

import re

from iomuk import roles
from returns.models import Stage

from .factories import ReturnCaseFactory, UserFactory


def _intake_link(html: str) -> str:
    panel = html[html.index('data-panel="intake-queue"') :]
    return re.search(r'<li><a href="(/returns/cases/[^"]*)"', panel).group(1).replace("&amp;", "&")


def test_the_intake_queue_figure_equals_the_cases_its_link_lists(client, db):
    manager = UserFactory(username="cm", role=roles.CASE_MANAGERS)
    colleague = UserFactory(username="cw", role=roles.CASEWORKERS)
    ReturnCaseFactory.create_batch(5)
    # Finished without ever being taken: not waiting for anyone.
    ReturnCaseFactory.create_batch(2, stage=Stage.NOT_ELIGIBLE)
    ReturnCaseFactory(stage=Stage.WITHDRAWN)
    ReturnCaseFactory(assigned_caseworker=colleague)
    client.force_login(manager)

    workspace = client.get("/staff/").content.decode()
    figure = int(re.search(r"(\d+) cases waiting to be assigned", workspace).group(1))
    listed = client.get(_intake_link(workspace)).content.decode()
    rows = set(re.findall(r'href="/returns/cases/(RR-[0-9-]+)/"', listed))

    assert figure == 5
    assert len(rows) == figure
    assert "5 cases" in listed


def _my_cases_link(html: str) -> str:
    panel = html[html.index('data-panel="my-cases"') :]
    return re.search(r'<li><a href="(/returns/cases/[^"]*)"', panel).group(1).replace("&amp;", "&")


def test_my_open_cases_figure_equals_the_cases_its_link_lists(client, db):
    caseworker = UserFactory(username="cw", role=roles.CASEWORKERS)
    ReturnCaseFactory.create_batch(3, assigned_caseworker=caseworker)
    ReturnCaseFactory(assigned_caseworker=caseworker, stage=Stage.NOT_ELIGIBLE)
    ReturnCaseFactory(assigned_caseworker=caseworker, stage=Stage.CLOSED)
    client.force_login(caseworker)

    workspace = client.get("/staff/").content.decode()
    figure = int(re.search(r"of your (\d+) open cases", workspace).group(1))
    listed = client.get(_my_cases_link(workspace)).content.decode()
    rows = set(re.findall(r'href="/returns/cases/(RR-[0-9-]+)/"', listed))

    assert figure == 3
    assert len(rows) == figure
