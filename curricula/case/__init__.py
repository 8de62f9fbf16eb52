"""A read-only 1EdTech CASE 1.1 provider: frameworks, their abilities and relations, and the
course catalogue, published as CFDocuments, CFPackages, CFItems, CFAssociations and CFItemTypes.

identifiers: stable uuid5 identifiers for what has none; selectors: the rows; builders: rows to
CASE JSON; provider: one function per CASE operation; views/urls: the REST binding.
"""
