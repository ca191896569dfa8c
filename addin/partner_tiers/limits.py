"""The bounds on the work one input may cause, in one place.

Each is far above what a real review needs and below what a machine of 1 GB survives; a
command that meets one stops early with a message that names the limit and the option
that raises it (``--max-cells``).

A workbook loaded whole costs some 400 bytes and 20 µs a cell (a review of 1,000 partners
has some 26,000 cells); one read row by row (an export, a --carry-over review) costs little
memory, so it may have :data:`STREAMED_FACTOR` times as many.
"""

MAX_CELLS = 1_000_000  # of a workbook loaded whole, or of a range a formula reads
STREAMED_FACTOR = 5  # a workbook read row by row may have this many times MAX_CELLS
