"""The fixed words agreements carry."""

# PR-11: every agreement the hub writes carries this clause; one written outside the hub must confirm it does.
COMPACT_CLAUSE = (
    "This agreement is made in line with the Compact for Leeds, the agreement between the public sector and "
    "the third sector in Leeds, and the Leeds Commissioning Code of Practice. Both parties will work to the "
    "Compact's principles: respecting the independence of the third sector, being open and fair in funding, "
    "giving reasonable notice of any change to or end of funding, and working together for the best "
    "outcomes for the people of Leeds."
)
