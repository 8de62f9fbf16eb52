"""The paper's data (Luan et al., Tables I-III and Sections III-IV) and the loader that writes it.

`paper_load()` is the service; `manage.py load_paper` is its command-line door.
"""

from curricula.paper.loader import (
    OUTCOMES,
    LoadReport,
    PaperLoadError,
    paper_framework_exists,
    paper_load,
)

__all__ = ["OUTCOMES", "LoadReport", "PaperLoadError", "paper_framework_exists", "paper_load"]
