"""What every page knows: the service's name and who is looking."""

from django.conf import settings


def service(request):
    """Add the service name, navigation and the CSP nonce to every page."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    navigation = [
        {"href": "/opportunities/", "text": "Find work and funding"},
        {"href": "/pipeline/", "text": "Planned"},
        # Short labels, so a provider's or commissioner's navigation fits on one line at desktop width.
        {"href": "/organisations/", "text": "Providers"},
        {"href": "/contracts/", "text": "Contracts"},
        {"href": "/code/", "text": "The Code"},
    ]
    if signed_in:
        if user.has_role("commissioner"):
            navigation.append({"href": "/commissioning/", "text": "Your opportunities"})
            navigation.append({"href": "/pipeline/commissioning/", "text": "Your plans"})
            navigation.append({"href": "/commissioning/records/", "text": "Commissioning records"})
            navigation.append({"href": "/contracts/commissioning/", "text": "Your contracts"})
        if user.has_role("provider_admin", "provider_member"):
            # Bids are for verified providers; the evidence store can be kept while verification waits.
            if any(
                m.role in ("provider_admin", "provider_member") and m.organisation.is_verified
                for m in user.active_memberships
            ):
                navigation.append({"href": "/bids/", "text": "Your bids"})
                navigation.append({"href": "/contracts/yours/", "text": "Your agreements"})
            navigation.append({"href": "/evidence/", "text": "Your evidence"})
        if user.has_role("evaluator", "partnership_reviewer"):
            # Commissioners on a panel reach it from the opportunity's evaluation: no query on every page.
            navigation.append({"href": "/evaluation/", "text": "Your panels"})
        navigation.append({"href": "/account/", "text": "Your account"})
        if user.is_administrator:
            navigation.append({"href": "/administration/", "text": "Administration"})
    path = request.path
    # The longest link the page's address starts with is the active one ("/commissioning/records/"
    # is not also "/commissioning/").
    matching = [item["href"] for item in navigation if path.startswith(item["href"])]
    active = max(matching, key=len, default=None)
    for item in navigation:
        item["active"] = item["href"] == active
    return {
        "service_name": settings.SERVICE_NAME,
        "static_url": settings.STATIC_URL,
        "service_navigation": navigation,
        "signed_in": signed_in,
        # Reading the nonce makes django-csp add it to the policy header.
        "csp_nonce": str(request.csp_nonce) if hasattr(request, "csp_nonce") else "",
    }
