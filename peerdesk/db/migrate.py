"""Running alembic migrations. Imported only when a file must be created or upgraded."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def script_heads() -> tuple[str, ...]:
    return tuple(ScriptDirectory.from_config(alembic_config()).get_heads())


def script_revisions() -> list[str]:
    """Every revision in the scripts, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def upgrade(engine: Engine, target: str = "head") -> None:
    """Upgrade the database behind `engine` to `target` in one transaction.

    On SQLite, foreign keys are switched off while batch migrations copy tables: with them on,
    SQLite's DROP TABLE would run ON DELETE CASCADE on the child rows. They are checked
    afterwards.
    """
    config = alembic_config()
    if engine.dialect.name != "sqlite":
        # PostgreSQL alters tables in place and keeps its foreign keys checked throughout.
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, target)
        return
    with engine.connect() as connection:
        dbapi = connection.connection.dbapi_connection
        assert dbapi is not None
        dbapi.execute("PRAGMA foreign_keys = OFF")
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, target)
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"the upgrade left {len(broken)} broken references")
        finally:
            dbapi.execute("PRAGMA foreign_keys = ON")
