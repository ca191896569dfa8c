"""The quarterly review workflow: a sales export read (:mod:`.sales_import`, one field at a
time by :mod:`.sales_fields`, rates by :mod:`.exchange_rates`), merged with the previous
review (:mod:`.carry_over`) into a filled review (:mod:`.filled_review`), summarised for the
terminal (:mod:`.summary`), and copied values-only (:mod:`.snapshot`)."""
