"""Opportunities' pages by audience.

``public`` (anyone), ``provider`` (people acting for a provider), ``commissioner`` (drafting) and
``commissioner_publishing`` (checking against the Code, publishing, amending, ending, answering).
"""
