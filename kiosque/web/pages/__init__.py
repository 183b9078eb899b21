"""Server-rendered HTML pages, one module per area of the site."""
