# Booking asks no consent to be contacted about the session: that contact is the service itself.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('training', '0006_adaptedsessionrequest_anonymised_at'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='booking',
            name='consent_contact',
        ),
        migrations.RemoveField(
            model_name='historicalbooking',
            name='consent_contact',
        ),
    ]
