"""The rules of partner programs, pure Python: no Excel, no files but the definitions.

- :mod:`.money`: amounts in exact cents;
- :mod:`.program`: a program edition as data (:class:`~.program.Program`, its tiers);
- :mod:`.programs`: the definition files, validated and cached; :mod:`.requirement_data`
  reads their parts beyond a revenue ladder;
- :mod:`.metrics` and :mod:`.requirements`: what a program measures, and what a tier
  requires of it, as a tree;
- :mod:`.tiers`: where partners stand: tier, gap, progress, change of rules;
- :mod:`.projection`: where their year is heading: projected tier, required per quarter,
  demotion risk; :mod:`.lifecycle`: when a tier changes;
- :mod:`.certifications`: certified people as the vendor's audit counts them;
- :mod:`.identity`: how a partner is recognised (tax id, else its normalised name);
- :mod:`.fiscal_year`: fiscal years and quarters;
- :mod:`.explanations`: the one-sentence explanation in English and Polish.
"""
