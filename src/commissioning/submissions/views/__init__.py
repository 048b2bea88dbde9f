"""Submissions' pages by audience: ``provider`` and ``provider_supporting`` (bidders), ``commissioner``."""
