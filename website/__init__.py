"""The site-wide package: settings, URLs, WSGI, the home page and the base layout.

Named ``website`` because a package called ``site`` would clash with the standard library."""
