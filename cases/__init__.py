"""Cases (Vorgänge): the one lifecycle every citizen service shares.

A service declares its case type through the hook `register_case_type` (`cases.types`);
writes are in `cases.services`, reads in `cases.selectors`, upload checks in
`cases.attachments`, errors in `cases.errors`. Case data is private: no public page, API or
dataset shows it.
"""
