"""Signals other apps answer, so that certifications never imports them."""

from django.dispatch import Signal

# Directions and courses are programmes of the curricula app, which certifications must not import:
# curricula answers this signal. Receivers get `certifications` (a list) and return
# {certification id: [direction, ...]}; a direction has `label`, `aliases`, `name`, `url` and
# `courses` (each with `code`, `listed_as`, `title`).
certification_directions = Signal()
