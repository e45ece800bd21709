"""`{% capture %}`: a piece of template rendered once, shown wherever the variable is used."""

from django.template import Context, Template


def test_capture_renders_once_into_a_variable_and_outputs_nothing_in_place():
    template = Template("{% load capture %}{% capture as greeting %}<b>{{ name }}</b>{% endcapture %}"
                        "[{% for i in items %}{{ greeting }}{% endfor %}]")

    html = template.render(Context({"name": "<Sari>", "items": [1, 2]}))

    assert html == "[<b>&lt;Sari&gt;</b><b>&lt;Sari&gt;</b>]"
