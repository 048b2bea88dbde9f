"""Accounts' pages by task: ``signing_in`` (and your account), ``organisations``, ``administration``."""
