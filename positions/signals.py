"""Signals other apps listen to, so that positions never imports them.

`requirements_bulk_changed` is sent after bulk writes that bypass model signals (imports): apps that
derive data from requirements (coverage reports) mark what they derived stale.
"""

from django.dispatch import Signal

# Sent with position_ids: a set of Position primary keys whose requirements changed.
requirements_bulk_changed = Signal()
# Sent with ability_ids: abilities created, changed or deleted in bulk.
abilities_bulk_changed = Signal()
# Sent with position_ids: existing positions whose own fields (name, description, ...) were
# rewritten in bulk (an import), which sends no post_save.
positions_bulk_changed = Signal()
# Sent inside an import's transaction, once it has written, with `changes` (the dict the import
# job keeps: receivers add their own sections, "links" and "programmes"), the sets `removed` and
# `reworded` (ability ids), `framework_ids` (the imported frameworks, whose abilities may all have
# changed), `related_ability_ids` (the ends of the relations written, which may lie in other
# frameworks) and `position_ids` (positions whose requirements were written). A receiver
# returns the ids among `removed | reworded` that its own records still use, so that they are
# flagged for review.
framework_import_changed = Signal()
