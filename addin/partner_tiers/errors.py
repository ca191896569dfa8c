"""The one family of errors a user can cause.

Every error that bad input, a bad file or a bad choice can raise is a
:class:`PartnerTiersError`, and its message says what is wrong and where (file, line or
cell, value). The command line catches the family once and prints the message; the Excel
functions turn it into the text of the cell (``#VALUE! ...``) in one place. Anything else
that escapes is a bug.

Every value converter keeps one contract, as click's parameter types do: a value in (with
the name a message gives it, where the message needs one), the typed value out, or
:class:`BadValue`, whose ``problem`` says what is wrong with it.

>>> issubclass(BadValue, PartnerTiersError), BadValue("is not a date").problem
(True, 'is not a date')
"""


class PartnerTiersError(Exception):
    """An error the user can correct; the message says what is wrong and what to do."""


class BadValue(PartnerTiersError, ValueError):
    """One value that is not what it should be: the one error every value converter raises."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem
