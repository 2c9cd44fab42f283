"""The lean select widget writes exactly WTForms' HTML, escaping included."""

import pytest
from wtforms import SelectChoice
from wtforms import SelectField as WTFormsSelectField

from matchhub.forms import Form, SelectField

CHOICES = [
    SelectChoice("", "Any"),
    SelectChoice('a"b', "<b>bold</b> & co"),
    SelectChoice("x", "Chọn <script>"),
    SelectChoice("with-attrs", "Disabled", render_kw={"disabled": True}),
    SelectChoice("plain", ""),
]


def _forms(data):
    class Lean(Form):
        class Meta:
            csrf = False

        pick = SelectField("Pick", choices=CHOICES)

    class Stock(Form):
        class Meta:
            csrf = False

        pick = WTFormsSelectField("Pick", choices=CHOICES)

    return Lean(data=data), Stock(data=data)


@pytest.mark.parametrize("value", ["", 'a"b', "x", "with-attrs", "plain", "missing"])
def test_lean_select_renders_what_wtforms_renders(app, value):
    with app.test_request_context("/"):
        lean, stock = _forms({"pick": value})
        assert str(lean.pick(class_="form-select")) == str(stock.pick(class_="form-select"))


def test_lean_select_escapes_values_and_labels(app):
    with app.test_request_context("/"):
        lean, _ = _forms({"pick": 'a"b'})
        html = str(lean.pick())
    assert "<script>" not in html and "<b>" not in html
    assert '<option selected value="a&#34;b">&lt;b&gt;bold&lt;/b&gt; &amp; co</option>' in html
    assert "<option disabled" in html  # render_kw goes through WTForms' own path
