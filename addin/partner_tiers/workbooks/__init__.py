"""Workbooks: the review templates (built with openpyxl) and the evaluator that computes them."""
