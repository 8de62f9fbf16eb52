"""Decision support: what-if scenarios and course recommendations for a programme.

`whatif` and `cover` (the set-cover solver) are plain Python on the coverage engine's inputs (no
Django); `selectors` loads those inputs and dresses answers with names; `services` applies a
scenario as one change.
"""
