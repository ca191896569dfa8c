"""``python -m partner_tiers`` runs the command line, as ``partner-tiers`` does."""

import sys

from partner_tiers.cli import main

sys.exit(main())
