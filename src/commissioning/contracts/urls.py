"""Contracts' pages: the public register and feedback routes, the commissioner's and the provider's pages."""

from django.urls import register_converter


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
    # The provider's pages.
    # Returns.
    # Payments and the calendar.
    # The register, variations and inflation.
    # Beneficiaries' feedback and performance.
]
