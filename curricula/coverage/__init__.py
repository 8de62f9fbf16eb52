"""Coverage of target positions' requirements by a programme's courses.

`engine` is the pure core (no Django); `selectors` loads its inputs, `services` persists reports and
tracks staleness.
"""
