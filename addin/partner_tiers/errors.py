"""The one family of errors a user can cause.

Every error that bad input, a bad file or a bad choice can raise is a
:class:`PartnerTiersError`, and its message says what is wrong and where (file, line or
cell, value). The command line catches the family once and prints the message; the Excel
functions turn it into the text of the cell (``#VALUE! ...``) in one place. Anything else
that escapes is a bug.

>>> issubclass(PartnerTiersError, Exception)
True
"""


class PartnerTiersError(Exception):
    """An error the user can correct; the message says what is wrong and what to do."""
