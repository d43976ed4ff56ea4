"""{% load sentences %}: `{{ said|one_full_stop }}` after
`{% blocktranslate ... asvar said %}` where a name or date may end the sentence."""

from django import template

from iomuk.sentences import one_full_stop as _one_full_stop

register = template.Library()


@register.filter(is_safe=True)
def one_full_stop(value):
    return _one_full_stop(str(value))
