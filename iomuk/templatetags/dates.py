"""{% load dates %}: `{{ d|long_date }}`, `{{ d|long_date:"weekday" }}`, `{{ dt|long_datetime }}`
and `{{ dt|long_datetime:"weekday" }}`, in the reader's language (iomuk.dates)."""

from django import template

from iomuk import dates

register = template.Library()


@register.filter
def long_date(value, arg=""):
    return dates.long_date(value, weekday=arg == "weekday")


@register.filter
def long_datetime(value, arg=""):
    return dates.long_date(value, weekday=arg == "weekday", time=True)
