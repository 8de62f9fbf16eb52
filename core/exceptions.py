"""Errors services raise that are not about bad input: the API answers them with 409."""


class ServiceConflict(Exception):
    """The request cannot be carried out as things stand (e.g. undoing a change to an object
    deleted since)."""
