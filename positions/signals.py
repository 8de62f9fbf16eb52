"""Signals other apps listen to, so that positions never imports them.

`requirements_bulk_changed` is sent after bulk writes that bypass model signals (imports): apps that
derive data from requirements (coverage reports) mark what they derived stale.
"""

from django.dispatch import Signal

# Sent with position_ids: a set of Position primary keys whose requirements changed.
requirements_bulk_changed = Signal()
# Sent with ability_ids: abilities created, changed or deleted in bulk.
abilities_bulk_changed = Signal()
