"""The administrator's evaluation page: the published scoring scale."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from commissioning.frontend.access import administrator_required
from commissioning.frontend.forms import posted, refused_into

from .. import page_selectors, services
from ..forms import ScaleForm
from ..services import EvaluationError


@administrator_required
@require_http_methods(["GET", "POST"])
def scale(request: HttpRequest) -> HttpResponse:
    """The published scoring scale: the label and the descriptor of each score."""
    levels = page_selectors.scale_levels()
    form = ScaleForm(
        posted(request),
        levels=levels,
        initial={
            **{f"label-{level.score}": level.label for level in levels},
            **{f"descriptor-{level.score}": level.descriptor for level in levels},
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.scale_update(actor=request.user, levels=form.levels_given())
        except EvaluationError as error:
            refused_into(form, error)
        else:
            messages.success(request, "The scoring scale is saved. Evaluations started from now on use it.")
            return redirect("evaluation:scale")
    return render(request, "evaluation/administration/scale.html", {"form": form})
