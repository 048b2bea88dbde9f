"""Contracts' pages: the public register and feedback routes, the commissioner's and the provider's pages."""

from django.urls import path, register_converter

from .views import (
    assessments,
    beneficiaries,
    calendar,
    commissioner,
    payments,
    provider,
    register,
    returns,
    sharing,
    variations,
)


class AgreementReference:
    regex = r"AG-\d{4}-\d{4,}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(AgreementReference, "agreement")

app_name = "contracts"
urlpatterns = [
    # The commissioner's pages.
    path("contracts/commissioning/", commissioner.agreements, name="commissioner-list"),
    path("contracts/commissioning/new/", commissioner.agreement_new, name="agreement-new"),
    path("contracts/commissioning/payments/", payments.payments_compliance, name="payments-compliance"),
    path(
        "contracts/commissioning/payments/invoices.csv",
        payments.payments_compliance_csv,
        name="payments-compliance-csv",
    ),
    path(
        "contracts/commissioning/providers/<slug:slug>/",
        commissioner.provider_monitoring,
        name="provider-monitoring",
    ),
    path("contracts/commissioning/<agreement:reference>/", commissioner.agreement, name="agreement"),
    path("contracts/commissioning/<agreement:reference>/edit/", commissioner.agreement_edit, name="agreement-edit"),
    path("contracts/commissioning/<agreement:reference>/kpis/", commissioner.agreement_kpis, name="agreement-kpis"),
    path("contracts/commissioning/<agreement:reference>/check/", commissioner.agreement_check, name="agreement-check"),
    path(
        "contracts/commissioning/<agreement:reference>/withdraw/",
        commissioner.agreement_withdraw,
        name="agreement-withdraw",
    ),
    path(
        "contracts/commissioning/<agreement:reference>/agreement.docx",
        commissioner.agreement_docx,
        name="agreement-docx",
    ),
    path(
        "contracts/commissioning/<agreement:reference>/document/",
        commissioner.agreement_own_document,
        name="agreement-own-document",
    ),
    path(
        "contracts/commissioning/<agreement:reference>/document/file",
        commissioner.agreement_own_document_file,
        name="agreement-own-document-file",
    ),
    path("opportunities/<str:reference>/agreements/", commissioner.award_agreements, name="award-agreements"),
    # The provider's pages.
    path("contracts/yours/", provider.agreements, name="provider-list"),
    path("contracts/yours/<agreement:reference>/", provider.agreement, name="provider-agreement"),
    path("contracts/yours/<agreement:reference>/agreement.docx", provider.agreement_docx, name="provider-docx"),
    path(
        "contracts/yours/<agreement:reference>/document/file",
        provider.agreement_own_document,
        name="provider-own-document",
    ),
    # Returns.
    path("contracts/yours/<agreement:reference>/returns/", returns.provider_returns, name="provider-returns"),
    path(
        "contracts/yours/<agreement:reference>/returns/<int:number>/", returns.provider_return, name="provider-return"
    ),
    path(
        "contracts/yours/<agreement:reference>/returns/<int:number>/check/",
        returns.provider_return_check,
        name="provider-return-check",
    ),
    path(
        "contracts/yours/<agreement:reference>/returns/<int:number>/<slug:section>/",
        returns.provider_return_section,
        name="provider-return-section",
    ),
    path("contracts/commissioning/<agreement:reference>/returns/", returns.agreement_returns, name="agreement-returns"),
    path(
        "contracts/commissioning/<agreement:reference>/returns/<int:number>/",
        returns.return_review,
        name="return-review",
    ),
    # Payments and the calendar.
    path(
        "contracts/commissioning/<agreement:reference>/payments/",
        payments.agreement_payments,
        name="agreement-payments",
    ),
    path(
        "contracts/commissioning/<agreement:reference>/payments/<int:number>/",
        payments.agreement_payment,
        name="agreement-payment",
    ),
    path("contracts/yours/<agreement:reference>/payments/", payments.provider_payments, name="provider-payments"),
    path("contracts/yours/calendar/", calendar.provider_calendar, name="calendar"),
    path("contracts/calendar/<str:token>.ics", calendar.calendar_ics, name="calendar-ics"),
    # Variations and inflation.
    path(
        "contracts/commissioning/<agreement:reference>/variations/",
        variations.agreement_variations,
        name="agreement-variations",
    ),
    path(
        "contracts/commissioning/<agreement:reference>/variations/new/",
        variations.variation_new,
        name="agreement-variation-new",
    ),
    path(
        "contracts/commissioning/<agreement:reference>/variations/uplift/",
        variations.variation_uplift,
        name="agreement-variation-uplift",
    ),
    path(
        "contracts/commissioning/<agreement:reference>/variations/<int:number>/",
        variations.variation,
        name="agreement-variation",
    ),
    path("contracts/inflation/", variations.inflation_rates, name="inflation"),
    path("contracts/inflation/<int:year>/", variations.inflation_rate_correct, name="inflation-correct"),
    path("contracts/inflation/<int:year>/<int:month>/", variations.inflation_rate_correct, name="inflation-correct"),
    # The register.
    path("contracts/", register.register_page, name="register"),
    path("contracts/register.csv", register.register_csv, name="register-csv"),
    path("contracts/register.xlsx", register.register_xlsx, name="register-xlsx"),
    path("contracts/<agreement:reference>/", register.public_agreement, name="public-agreement"),
    # Beneficiaries' feedback and performance.
    path("contracts/feedback/<str:token>/", beneficiaries.give, name="beneficiary-feedback"),
    path("contracts/<agreement:reference>/poster/", beneficiaries.poster, name="poster"),
    path(
        "contracts/commissioning/<agreement:reference>/feedback/",
        beneficiaries.agreement_feedback,
        name="agreement-feedback",
    ),
    path("contracts/yours/<agreement:reference>/feedback/", beneficiaries.provider_feedback, name="provider-feedback"),
    path(
        "contracts/commissioning/<agreement:reference>/performance/",
        assessments.agreement_performance,
        name="agreement-performance",
    ),
    path(
        "contracts/yours/<agreement:reference>/performance/",
        assessments.provider_performance,
        name="provider-performance",
    ),
    # Shared returns (CM-3): one funder's return covering another's for the same period.
    path(
        "contracts/commissioning/<agreement:reference>/returns/<int:number>/share/",
        sharing.return_share,
        name="return-share",
    ),
    path(
        "contracts/commissioning/<agreement:reference>/returns/<int:number>/shares/",
        sharing.return_shares,
        name="return-shares",
    ),
]
