"""Opportunities' pages by audience.

``public`` (anyone), ``provider`` (people acting for a provider), ``commissioner``.
"""
