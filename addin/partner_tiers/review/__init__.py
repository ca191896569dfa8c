"""The quarterly review workflow.

A sales export is read (:mod:`.sales_import`): as a table of rows (:mod:`.export_tables`,
shared with the certification export), its columns by their header words
(:mod:`.export_headers`), its rows (:mod:`.sales_rows`, each field by :mod:`.sales_fields`),
the quarters it covers (:mod:`.periods`), its amounts converted at the rates of
:mod:`.exchange_rates`. A certification export is read by :mod:`.certification_import`. They
are merged with the previous review (:mod:`.carry_over`) into a filled review
(:mod:`.filled_review`), summarised for the terminal (:mod:`.summary`, certified people
counted by :mod:`.certified_counts`), turned into a QBR scorecard per partner
(:mod:`.qbr_pack`), and copied values-only (:mod:`.snapshot`)."""
