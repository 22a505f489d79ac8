"""Site admins load the owners' wording of the validated questionnaires here
(/django-admin/wellbeing/instrumentwording/, "Load wording"). Check-ins, sharing choices and
the access record are deliberately not in the admin: they are the volunteers' own."""

from django.contrib import admin, messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from . import instruments, services
from .forms import WordingUploadForm
from .models import InstrumentWording


@admin.register(InstrumentWording)
class InstrumentWordingAdmin(admin.ModelAdmin):
    list_display = ["instrument", "language", "item", "text", "reverse", "scale", "loaded_at"]
    list_filter = ["instrument", "language"]
    search_fields = ["text"]
    change_list_template = "admin/wellbeing/instrumentwording/change_list.html"

    def has_add_permission(self, request):
        return False  # whole files only: a questionnaire is loaded complete or not at all

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "load/",
                self.admin_site.admin_view(self.load_view),
                name="wellbeing_instrumentwording_load",
            ),
            *super().get_urls(),
        ]

    def load_view(self, request):
        if not request.user.is_superuser:
            return redirect("admin:index")
        form = WordingUploadForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            try:
                loaded = services.wording_load(text=form.cleaned_data["file"])
            except instruments.WordingError as error:
                errors = error.errors
            else:
                for (instrument, language), count in sorted(loaded.items()):
                    messages.success(
                        request,
                        _("%(instrument)s (%(language)s): %(count)s items loaded.")
                        % {"instrument": instrument, "language": language, "count": count},
                    )
                return redirect("admin:wellbeing_instrumentwording_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "errors": errors,
            "title": _("Load questionnaire wording"),
        }
        status = 400 if (errors or form.errors) else 200
        return render(
            request, "admin/wellbeing/instrumentwording/load.html", context, status=status
        )
