"""A programme's progression along its terms: the plain-Python engine (`engine.py`) and its
Django adapter (`selectors.py`), apart from the coverage engine."""
