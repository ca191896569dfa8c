"""The formula engine: a workbook's formulas computed outside Excel, for the subset the
workbooks use.

The modules, by job: :mod:`.values` (Excel's values, errors, references and operators),
:mod:`.functions` (the native functions), :mod:`.parser` (formula text to a tree),
:mod:`.addin` (the add-in's functions, called as xlwings calls them), :mod:`.workbook`
(the :class:`~.workbook.Evaluator` of one openpyxl workbook). The add-in's functions are
handed over by the caller: the engine imports nothing of Excel's.
"""
