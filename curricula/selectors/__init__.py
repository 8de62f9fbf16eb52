"""Reads of the supply side, one module per concern: the course catalogue, programmes (the API's
list and the programme pages), and the positions and certifications pages, which combine those
apps' data with programmes. Function names are unique across the project."""
