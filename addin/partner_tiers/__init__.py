"""partner-tiers: vendor partner-program tiers for Excel.

The rules live in :mod:`partner_tiers.rules`, the program definitions in
:mod:`partner_tiers.programs` (data files), the Excel functions in :mod:`partner_tiers.udfs`.
"""

__version__ = "0.1.0"
