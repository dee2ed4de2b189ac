"""The desktop window: widgets, table models, dialogs and the background-task helper.

Qt is imported only in this package and in `peerdesk.app`. Modules that need the database stack
(SQLAlchemy, the services) are imported after the window is on screen, so it appears quickly.
"""
