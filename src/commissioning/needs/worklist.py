"""What the needs stage asks of a commissioner; the task registry discovers this module.

Open reviews' tasks (reviews closing soon, comments to answer) are in :mod:`.worklist_reviews`.
"""

from .worklist_reviews import *  # noqa: F403
