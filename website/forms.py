"""Form fields shared by the apps."""

from django import forms

from .converters import MAX_DATABASE_ID


class ModelIdChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that refuses an id no database could hold (past 2⁶³ SQLite raises
    OverflowError) with the field's usual "not one of the choices" message."""

    def to_python(self, value):
        if value not in self.empty_values and self.to_field_name is None:
            text = str(value).strip()
            if not text.isdigit() or not 1 <= int(text) <= MAX_DATABASE_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice"
                )
        return super().to_python(value)


class ModelIdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """The same for a choice of several: any id no database could hold is "not one of the
    choices"."""

    def _check_values(self, value):
        if self.to_field_name is None:
            for item in value or ():
                text = str(item).strip()
                if not text.isdigit() or not 1 <= int(text) <= MAX_DATABASE_ID:
                    raise forms.ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": text[:40]},
                    )
        return super()._check_values(value)


def form_add_service_error(form, error, *, default_field: str | None = None) -> None:
    """Show a service's ValidationError on the form: each message on its field when the
    form has that field, otherwise on ``default_field`` (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else default_field
            for item in errors:
                form.add_error(target, item)
    else:
        form.add_error(default_field, error)
