"""The Excel edge: cell values in and out (:mod:`.cells`), the Excel functions
(:mod:`.udfs`), the tables they read (:mod:`.metric_tables` for a program's metrics,
:mod:`.certified` for certified people), setting Excel up for them on Windows
(:mod:`.install`), and the bundle that brings them to xlwings Lite (:mod:`.lite`)."""
