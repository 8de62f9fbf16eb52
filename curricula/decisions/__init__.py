"""Decision support: what-if scenarios and course recommendations for a programme.

`core` is plain Python on the coverage engine's inputs (no Django); `selectors` loads those inputs
and dresses answers with names; `services` applies a scenario as one change.
"""
