"""``python -m counsel.cli``."""

import sys

from counsel.cli.main import main

sys.exit(main())
