"""The bounds on the work one input may cause, in one place.

Each is far above what a real review needs and below what a machine of 1 GB survives; a
command that meets one stops early with a message that names the limit and the option
that raises it.
"""

MAX_CELLS = 3_000_000  # of a workbook, or of a range a formula reads (~300 bytes a cell)
