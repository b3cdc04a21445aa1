"""The HTML pages of the open (geo)data portal, at CKAN's URLs: dataset search
(`/dataset/`), dataset pages (`/dataset/<name>`), organisations and groups.

The pages read through the same code as the Action API — `opendata.selectors` for the
visibility rules and `opendata.search` (package_search's engine) for search, facets and
paging — so a page never shows what `package_show`/`package_search` would not.
"""
