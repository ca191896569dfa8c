"""Users' files at the byte level: untrusted XLSX opened safely (:mod:`.safe_xlsx`), a few
cells of an XLSX edited in place (:mod:`.xlsx_parts`), output written atomically and never
over an existing file without leave (:mod:`.output`), file names made safe from partners'
names (:mod:`.file_names`), and workbooks rendered to PDF with LibreOffice (:mod:`.pdf`)."""
