"""Pages of the ledger: the exchange's home, an account with its journal and the payment
form, and the coordinators' forms for units and accounts. Thin: parse, check permission,
call a service or selector, render.

Every form works without JavaScript: it posts, and the page redirects back with a message.
Amounts are shown with ``Unit.format`` (the unit's own decimals and code).
"""

from __future__ import annotations

import uuid as uuid_lib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from minga.common.errors import DomainError
from minga.common.permissions import has_perm, require
from minga.core.ledger import RefusalCode, TransferKind

from .. import selectors, services
from ..forms import FreezeForm, LimitsForm, OpenAccountForm, PaymentForm, UnitForm
from ..models import Account, Unit

PAGE_SIZE = 50

REFUSALS = {
    RefusalCode.EXCEEDS_CREDIT_LIMIT: gettext_lazy(
        "This payment would take the account beyond its credit limit."
    ),
    RefusalCode.EXCEEDS_UPPER_LIMIT: gettext_lazy(
        "The recipient's account cannot hold that much (its upper limit)."
    ),
    RefusalCode.ACCOUNT_FROZEN: gettext_lazy("One of the two accounts is frozen."),
    RefusalCode.AMOUNT_NOT_POSITIVE: gettext_lazy("The amount must be more than zero."),
    RefusalCode.SAME_ACCOUNT: gettext_lazy("An account cannot pay itself."),
    RefusalCode.UNIT_MISMATCH: gettext_lazy("Both accounts must be in the same unit."),
    RefusalCode.UNKNOWN_ACCOUNT: gettext_lazy("This account does not exist any more."),
    RefusalCode.IDEMPOTENCY_CONFLICT: gettext_lazy(
        "This form was already used for another payment. Open the page again to make a new one."
    ),
}

KIND_LABELS = {
    TransferKind.POSTED: gettext_lazy("Payment"),
    TransferKind.PENDING: gettext_lazy("Reservation"),
    TransferKind.POST_PENDING: gettext_lazy("Reservation paid"),
    TransferKind.VOID_PENDING: gettext_lazy("Reservation cancelled"),
    TransferKind.EXPIRE_PENDING: gettext_lazy("Reservation expired"),
}


def _with_amounts(account: Account) -> Account:
    """Attach the account's figures, formatted in its unit, for the templates."""
    unit = account.unit
    available = account.balance - account.pending_debits - account.lowest_balance
    account.figures = {  # type: ignore[attr-defined]
        "balance": unit.format(account.balance),
        "pending_debits": unit.format(account.pending_debits),
        "pending_credits": unit.format(account.pending_credits),
        "credit_limit": unit.format(-account.lowest_balance),
        "upper_limit": None
        if account.highest_balance is None
        else unit.format(account.highest_balance),
        "available": unit.format(available),
    }
    return account


def _journal_rows(account: Account, transfers: Any) -> list[dict[str, Any]]:
    rows = []
    for transfer in transfers:
        outgoing = transfer.debit_id == account.pk
        counterpart = transfer.credit if outgoing else transfer.debit
        reserved = transfer.kind in (TransferKind.PENDING, TransferKind.VOID_PENDING) or (
            transfer.kind == TransferKind.EXPIRE_PENDING
        )
        amount = transfer.unit.format(transfer.amount)
        rows.append(
            {
                "transfer": transfer,
                "kind": _("Correction") if transfer.reverses_id else KIND_LABELS[transfer.kind],
                "counterpart": counterpart.organization,
                "outgoing": outgoing,
                "amount": amount if reserved else ("−" if outgoing else "+") + amount,
                "moves_balance": not reserved,
                "submitted_by": transfer.submitted_by,
                "access_token": transfer.access_token,
            }
        )
    return rows


def _back(request: HttpRequest, default: str) -> HttpResponse:
    """Back to the page the form was on (a path on this site), or to ``default``."""
    target = request.POST.get("next", "")
    if (
        not target.startswith("/")
        or not target.isprintable()
        or not url_has_allowed_host_and_scheme(target, {request.get_host()})
    ):
        target = default
    return HttpResponseRedirect(target)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The person's organizations' accounts; for coordinators, the units they manage."""
    user = request.user
    mine = [_with_amounts(a) for a in selectors.accounts_of_user_organizations(user)]
    units = list(selectors.units_managed_by(user))
    context: dict[str, Any] = {"accounts": mine, "units": units}
    if units:
        chosen = request.GET.get("unit", "")
        unit = next((u for u in units if u.code == chosen), units[0])
        page = Paginator(selectors.unit_accounts(unit), PAGE_SIZE).get_page(request.GET.get("page"))
        for account in page:
            _with_amounts(account)
            account.limits_form = LimitsForm(  # type: ignore[attr-defined]
                unit=unit, initial=LimitsForm.initial_for(account), auto_id=f"id_{account.pk}_%s"
            )
        context.update(
            unit=unit,
            page=page,
            open_form=OpenAccountForm(
                candidates=selectors.member_organizations_without_account(unit, request.user),
                network=unit.network,
            ),
        )
    networks = selectors.networks_managed_by(user)
    if networks.exists():
        context["unit_form"] = UnitForm(networks=networks)
    return render(request, "exchange/home.html", context)


@login_required
def account_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """An account: its figures, its journal, and for those who may pay from it, a form."""
    user = request.user
    account = selectors.get_account_for(user, uuid)
    can_debit = has_perm(user, "exchange.account.debit", account)
    form = None
    if can_debit:
        form = PaymentForm(
            request.POST if request.method == "POST" else None,
            account=account,
            recipients=selectors.recipient_accounts(account),
            payees=selectors.payee_organizations(user, account),
        )
    if request.method == "POST":
        require(user, "exchange.account.debit", account)
        if form is not None and form.is_valid() and _pay(request, account, form):
            return redirect("exchange:account", uuid=account.uuid)
    page = Paginator(selectors.account_journal(account), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    can_manage = has_perm(user, "exchange.unit.manage", account.unit)
    context = {
        "account": _with_amounts(account),
        "page": page,
        "rows": _journal_rows(account, page),
        "form": form,
        "can_manage": can_manage,
        "limits_form": LimitsForm(unit=account.unit, initial=LimitsForm.initial_for(account))
        if can_manage
        else None,
    }
    return render(request, "exchange/account_detail.html", context)


def _pay(request: HttpRequest, account: Account, form: PaymentForm) -> bool:
    recipient: Account = form.cleaned_data["recipient"]
    try:
        outcome = services.transfers_submit(
            actor=request.user,
            inputs=[
                services.TransferInput(
                    client_id=form.cleaned_data["client_id"],
                    debit=str(account.uuid),
                    credit=str(recipient.uuid),
                    unit=account.unit.code,
                    amount=form.cleaned_data["amount"],
                    memo=form.cleaned_data["memo"].strip(),
                )
            ],
        ).outcomes[0]
    except DomainError as error:
        form.add_error(None, error.message)
        return False
    if outcome.status == "refused":
        message = REFUSALS.get(RefusalCode(outcome.code)) if outcome.code else None
        form.add_error(
            None, message or _("The payment was refused (%(code)s).") % {"code": outcome.code}
        )
        return False
    values = {
        "amount": account.unit.format(form.cleaned_data["amount"]),
        "organization": recipient.organization.display_name,
    }
    if outcome.status == "exists":
        messages.info(request, _("This payment was already made: nothing was paid twice."))
    else:
        messages.success(request, _("Paid %(amount)s to %(organization)s.") % values)
    return True


def _managed_unit(request: HttpRequest, code: str) -> Unit:
    unit = get_object_or_404(Unit.objects.select_related("network"), code=code)
    require(request.user, "exchange.unit.manage", unit)
    return unit


def _unit_home(unit: Unit) -> str:
    return reverse("exchange:home") + f"?unit={unit.code}"


@login_required
@require_POST
def account_open(request: HttpRequest, code: str) -> HttpResponse:
    unit = _managed_unit(request, code)
    form = OpenAccountForm(
        request.POST,
        candidates=selectors.member_organizations_without_account(unit, request.user),
        network=unit.network,
    )
    if form.is_valid():
        organization = form.cleaned_data["organization"]
        services.account_open(actor=request.user, organization=organization, unit=unit)
        messages.success(
            request,
            _("An account in %(unit)s was opened for %(organization)s.")
            % {"unit": unit.code, "organization": organization.display_name},
        )
    else:
        errors = [str(error) for error in form.errors.get("organization", [])]
        messages.error(request, " ".join(errors) or _("Check the form."))
    return redirect(_unit_home(unit))


def _managed_account(request: HttpRequest, uuid: uuid_lib.UUID) -> Account:
    account = selectors.get_account_for(request.user, uuid)
    require(request.user, "exchange.unit.manage", account.unit)
    return account


@login_required
@require_POST
def account_limits(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    account = _managed_account(request, uuid)
    form = LimitsForm(request.POST, unit=account.unit)
    if form.is_valid():
        try:
            services.account_set_limits(
                actor=request.user,
                account=account,
                lowest_balance=-form.cleaned_data["credit_limit"],
                highest_balance=form.cleaned_data["upper_limit"],
            )
        except DomainError as error:
            messages.error(request, f"{account.organization.display_name}: {error.message}")
        else:
            messages.success(
                request,
                _("The limits of %(organization)s's account were changed.")
                % {"organization": account.organization.display_name},
            )
    else:
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, f"{account.organization.display_name}: {' '.join(errors)}")
    return _back(request, _unit_home(account.unit))


@login_required
@require_POST
def account_freeze(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    account = _managed_account(request, uuid)
    form = FreezeForm(request.POST)
    if form.is_valid():
        frozen = form.cleaned_data["frozen"]
        services.account_set_frozen(
            actor=request.user,
            account=account,
            frozen=frozen,
            reason=form.cleaned_data["reason"].strip(),
        )
        done = (
            _("The account of %(organization)s is frozen: it can neither pay nor be paid.")
            if frozen
            else _("The account of %(organization)s can pay and be paid again.")
        )
        messages.success(request, done % {"organization": account.organization.display_name})
    else:
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, f"{account.organization.display_name}: {' '.join(errors)}")
    return _back(request, _unit_home(account.unit))


@login_required
@require_POST
def unit_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "exchange.unit.manage")
    form = UnitForm(request.POST, networks=selectors.networks_managed_by(request.user))
    if form.is_valid():
        data = form.cleaned_data
        lowest = -(data["default_credit_limit"] or 0)
        try:
            unit = services.unit_create(
                actor=request.user,
                network=data["network"],
                code=data["code"],
                name=data["name"],
                kind=data["kind"],
                scale=data["scale"],
                default_lowest_balance=lowest,
                default_highest_balance=data["default_upper_limit"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The unit %(code)s was created.") % {"code": unit.code})
            return redirect(_unit_home(unit))
    else:
        errors = [
            f"{form.fields[name].label if name in form.fields else ''}: {error}"
            for name, field_errors in form.errors.items()
            for error in field_errors
        ]
        messages.error(request, " ".join(errors))
    return redirect("exchange:home")
