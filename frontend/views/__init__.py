"""Views of the citizen pages, one module per page group."""
