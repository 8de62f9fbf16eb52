"""Pages of curricula, one module per page group: the programme pages (overview, list, map, gap
report, downloads, cell edits), the decide page, and the positions and certifications pages that
show programmes beside their own data."""
