from django.contrib.auth.models import Group

from iomuk import roles


def test_each_role_exists_as_a_group(db):
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ALL)


def test_partner_referrers_cannot_open_the_staff_workspace(db):
    group = Group.objects.get(name=roles.PARTNER_REFERRERS)
    assert not group.permissions.filter(codename="view_staff_workspace").exists()
