"""The reader's site: server-rendered pages, the JSON API, feeds; it only reads the store.

Entry point: ``kiosque.web.app.create_app(settings, engine)``.
"""
