"""Pages of barter rounds: the coordinators' home and running a round."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minga.common.errors import DomainError

from .. import selectors, services
from ..models import BarterRound
from . import params


@login_required
def barter_home(request: HttpRequest) -> HttpResponse:
    networks = selectors.networks_managed_by(request.user)
    rounds = BarterRound.objects.filter(network__in=networks).select_related("network")[:20]
    return render(
        request, "exchange/trade/barter_home.html", {"networks": networks, "rounds": rounds}
    )


@login_required
@require_POST
def barter_run(request: HttpRequest) -> HttpResponse:
    network = get_object_or_404(
        selectors.networks_managed_by(request.user), slug=params.text(request.POST, "network")
    )
    try:
        barter_round = services.barter_round_run(actor=request.user, network=network)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(traded)d items can trade in %(cycles)d cycles; the agreements were proposed.")
            % {
                "traded": barter_round.report["items_traded"],
                "cycles": len(barter_round.report["cycles"]),
            },
        )
    return redirect("trade:barter")
