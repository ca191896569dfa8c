"""The Excel edge: cell values in and out (:mod:`.cells`), the Excel functions
(:mod:`.udfs`), and setting Excel up for them on Windows (:mod:`.install`)."""
