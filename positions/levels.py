"""The curriculum-mapping convention's default depth scale: Introduced < Reinforced < Mastered.

Read by migration 0002_default_levels (which seeds it) and by PositionsConfig (which restores it
when a flush empties the table, with the Chinese names migration 0051 gave the seeded levels). A
migration must replay the same way for ever, so change the scale with a new data migration,
never by editing this list.
"""

from django.utils.translation import gettext_noop

# The default names, marked for the message catalogue: Level.display_name translates them.
LEVEL_NAMES = (gettext_noop("Introduced"), gettext_noop("Reinforced"), gettext_noop("Mastered"))

DEFAULT_LEVELS = [
    (
        "I",
        "Introduced",
        1,
        "The course introduces the ability: first exposure, basic terms and ideas.",
    ),
    (
        "R",
        "Reinforced",
        2,
        "The course reinforces the ability: practice with feedback, growing independence.",
    ),
    (
        "M",
        "Mastered",
        3,
        "The course brings the ability to mastery: independent use, assessed as such.",
    ),
]

# Their Chinese names (Level.name_zh), as the message catalogue has always translated them.
DEFAULT_LEVEL_NAMES_ZH = {"I": "初步接触", "R": "巩固提高", "M": "熟练掌握"}
