"""Demo evidence stores, recorded through the services by the demo providers' own people.

Armley Young Carers Project keeps every item, all current, with its public
liability insurance running out within the reminder window. Leeds Mental
Wellbeing Partnership has an expired employer's liability certificate and a
safeguarding adults policy in its second version. Bramley Baths Swimming Club
(waiting for verification) and Seacroft Digital Inclusion CIC have started
theirs. Dates count from today, so the demo stays current whenever it is
loaded; an item that already has a version is left alone, so loading again
makes nothing twice. Files are small, real PDFs made here.
"""

from datetime import date, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from commissioning.accounts import services as account_services
from commissioning.accounts.demo import DEMO_PASSWORD, demo_token
from commissioning.accounts.models import Organisation, Role, User
from commissioning.core import clock

from . import services
from .models import EvidenceItem
from .specs import spec_for
from .standard_items import StandardItem

SEACROFT_ADMIN = ("admin@seacroft-digital.example", "Marcus Reid", "Seacroft Digital Inclusion CIC")


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF saying ``text``: small, but a real PDF any reader opens."""
    safe = text.encode("ascii", "replace").decode().replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 14 Tf 72 760 Td ({safe}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def pdf_upload(name: str, text: str) -> SimpleUploadedFile:
    """A small PDF as if uploaded through a form."""
    return SimpleUploadedFile(name, minimal_pdf(text), content_type="application/pdf")


def last_year_end(today: date) -> date:
    """The most recent 31 March at least six months ago: the accounts a charity has filed by now."""
    six_months_ago = today - timedelta(days=183)
    year = six_months_ago.year if six_months_ago >= date(six_months_ago.year, 3, 31) else six_months_ago.year - 1
    return date(year, 3, 31)


def sample_data(item: str, today: date, *, valid_until: date | None = None, organisation=None) -> dict[str, Any]:
    """Typical, valid data for ``item``; ``valid_until`` sets its expiry or review date where it has one."""
    later = valid_until or today + timedelta(days=300)
    if item == StandardItem.IDENTIFIERS:
        if organisation is not None:
            return {
                "legal_form": organisation.legal_form,
                "identifiers": [i.org_id for i in organisation.identifiers.all()],
            }
        return {"legal_form": "registered_charity", "identifiers": "GB-CHC-1190001"}
    if item == StandardItem.ADDRESS:
        if organisation is not None:
            return {
                "address_line_1": organisation.address_line_1,
                "address_line_2": organisation.address_line_2,
                "town": organisation.town or "Leeds",
                "postcode": organisation.postcode,
            }
        return {"address_line_1": "1 Park Row", "town": "Leeds", "postcode": "LS1 5HD"}
    if item == StandardItem.ACCOUNTS:
        income = organisation.latest_income if organisation is not None and organisation.latest_income else 48000
        return {"income": str(income), "year_end": last_year_end(today)}
    if item.startswith("insurance_"):
        cover = {"insurance_employers": "10000000", "insurance_public": "5000000"}.get(item, "1000000")
        return {
            "insurer": "Zurich Municipal",
            "cover": cover,
            "policy_number": f"{item[10:13].upper()}-{later:%Y}-0{len(item)}",
            "expiry": later,
        }
    if item == StandardItem.SAFER_RECRUITMENT:
        return {
            "arrangements": (
                "Every staff member and volunteer who works alone with children has an enhanced DBS check with a "
                "barred list check, renewed every three years. We take two references for every role and the "
                "safeguarding lead signs off each appointment."
            ),
            "review_date": later,
        }
    if item == StandardItem.QUALITY_MARKS:
        return {
            "entries": [
                {"name": "Investing in Volunteers", "awarding_body": "NCVO", "expiry": later + timedelta(days=200)},
                {"name": "Young Carers in Schools", "awarding_body": "Carers Trust", "expiry": later},
            ]
        }
    if item == StandardItem.REFERENCES:
        return {
            "entries": [
                {
                    "funder": "Leeds City Council",
                    "what": "Short breaks for young carers in west Leeds",
                    "value": "36000",
                    "from_year": str(today.year - 4),
                    "to_year": str(today.year - 1),
                    "contact": "Carers' commissioning team, carers.commissioning@leeds-council.example",
                },
                {
                    "funder": "Leeds Community Foundation",
                    "what": "Holiday activities for young carers",
                    "value": "12500",
                    "from_year": str(today.year - 2),
                    "to_year": "",
                    "contact": "Grants team, grants@leeds-community-foundation.example",
                },
            ]
        }
    # A policy: the next review date.
    return {"review_date": later}


def _record(actor: User, organisation: Organisation, item: str, data: dict, note: str = "") -> EvidenceItem:
    spec = spec_for(item)
    upload = None
    if spec.takes_file:
        label = StandardItem(item).label
        upload = pdf_upload(f"{organisation.slug}-{item.replace('_', '-')}.pdf", f"{organisation.name}: {label}{note}")
    return services.evidence_item_record(actor=actor, organisation=organisation, item=item, data=data, upload=upload)


def _keep(actor: User, organisation: Organisation, plans: dict[str, list[dict]]) -> None:
    """Record each item's versions in order, unless the item already has a version."""
    started = set(EvidenceItem.objects.filter(organisation=organisation).values_list("item", flat=True))
    for item, versions in plans.items():
        if item in started:
            continue
        for number, data in enumerate(versions, start=1):
            _record(actor, organisation, item, data, note=f" (version {number})" if len(versions) > 1 else "")


def _seacroft_admin() -> tuple[User, Organisation, dict]:
    email, name, organisation_name = SEACROFT_ADMIN
    organisation = Organisation.objects.get(name=organisation_name)
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=name)
    account_services.membership_grant(actor=None, user=user, organisation=organisation, role=Role.PROVIDER_ADMIN)
    token = demo_token(email)
    if not user.api_tokens.filter(name="Demo token").exists():
        account_services.api_token_create(actor=user, name="Demo token", secret=token)
    return user, organisation, {"email": email, "role": f"Provider administrator, {organisation_name}", "token": token}


def load() -> list[dict]:
    """Fill the demo evidence stores (idempotent); return the one account this stage adds."""
    today = clock.today()
    people = {user.email: user for user in User.objects.filter(email__endswith=".example")}

    def person(email: str) -> tuple[User, Organisation]:
        user = people[email]
        return user, next(m.organisation for m in user.memberships.select_related("organisation"))

    armley_admin, armley = person("admin@armley-carers.example")
    plans = {item: [sample_data(item, today, organisation=armley)] for item in StandardItem.values}
    plans[StandardItem.INSURANCE_PUBLIC] = [
        sample_data(StandardItem.INSURANCE_PUBLIC, today, valid_until=today + timedelta(days=14))
    ]
    _keep(armley_admin, armley, plans)

    wellbeing_admin, wellbeing = person("admin@leeds-mental-wellbeing.example")
    _keep(
        wellbeing_admin,
        wellbeing,
        {
            StandardItem.IDENTIFIERS: [sample_data(StandardItem.IDENTIFIERS, today, organisation=wellbeing)],
            StandardItem.ADDRESS: [sample_data(StandardItem.ADDRESS, today, organisation=wellbeing)],
            StandardItem.ACCOUNTS: [sample_data(StandardItem.ACCOUNTS, today, organisation=wellbeing)],
            StandardItem.INSURANCE_EMPLOYERS: [
                sample_data(StandardItem.INSURANCE_EMPLOYERS, today, valid_until=today - timedelta(days=20))
            ],
            StandardItem.INSURANCE_PUBLIC: [sample_data(StandardItem.INSURANCE_PUBLIC, today)],
            StandardItem.SAFEGUARDING_ADULTS: [
                sample_data(StandardItem.SAFEGUARDING_ADULTS, today, valid_until=today + timedelta(days=45)),
                sample_data(StandardItem.SAFEGUARDING_ADULTS, today, valid_until=today + timedelta(days=410)),
            ],
            StandardItem.EQUALITY: [sample_data(StandardItem.EQUALITY, today)],
            StandardItem.DATA_PROTECTION: [sample_data(StandardItem.DATA_PROTECTION, today)],
        },
    )

    bramley_admin, bramley = person("admin@bramley-baths-club.example")
    _keep(
        bramley_admin,
        bramley,
        {
            StandardItem.ADDRESS: [sample_data(StandardItem.ADDRESS, today, organisation=bramley)],
            StandardItem.SAFEGUARDING_CHILDREN: [sample_data(StandardItem.SAFEGUARDING_CHILDREN, today)],
        },
    )

    seacroft_admin, seacroft, account = _seacroft_admin()
    _keep(
        seacroft_admin,
        seacroft,
        {
            StandardItem.IDENTIFIERS: [sample_data(StandardItem.IDENTIFIERS, today, organisation=seacroft)],
            StandardItem.ACCOUNTS: [sample_data(StandardItem.ACCOUNTS, today, organisation=seacroft)],
            StandardItem.DATA_PROTECTION: [sample_data(StandardItem.DATA_PROTECTION, today)],
        },
    )
    return [account]
