from lending.tests.conftest import (  # noqa: F401 - shared lending fixtures
    drill,
    drill_title,
    drills,
    other_centre,
    tool_centre,
    volunteer,
)
