"""Signals other apps listen to, so that positions never imports them.

`requirements_bulk_changed` is sent after bulk writes that bypass model signals (imports): apps that
derive data from requirements (coverage reports) mark what they derived stale.
"""

from django.dispatch import Signal

# Sent with position_ids: a set of Position primary keys whose requirements changed.
requirements_bulk_changed = Signal()
# Sent with ability_ids: abilities created, changed or deleted in bulk.
abilities_bulk_changed = Signal()

# Other apps add columns to a position's requirements without positions importing them: curricula
# answers with the programmes that build each required ability, and how deeply. Receivers get
# `page` (a page_selectors.PositionPage) and return {"columns": [...], "cells": {requirement id:
# [one cell per column]}}; a column has `label`, `url` and `targets` (the programme prepares for
# this position), a cell `level` (a page_selectors.LevelShade, or None) and `meets` (it reaches
# the requirement's minimum).
position_page_extras = Signal()
