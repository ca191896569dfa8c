"""The openpyxl builders of the workbooks: where everything sits and every label
(:mod:`.layout`), styles (:mod:`.styles`), shared formula blocks (:mod:`.blocks`), the
portfolio review (:mod:`.portfolio`), the QBR scorecard (:mod:`.qbr`), where their add-in
formulas run, classic xlwings or Lite (:mod:`.runtimes`), and the committed templates
(:mod:`.templates`)."""
