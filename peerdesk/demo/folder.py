"""A new data folder filled with the invented group: the window's "Explore the demo" and
`peerdesk demo`. The accounts it makes, one per role, and their well-known password are in
`peerdesk.services.setup` (the sign-in screen names them without loading the generator)."""

from peerdesk.db.paths import DataFolder
from peerdesk.db.store import Progress, Store
from peerdesk.demo.generator import generate_demo
from peerdesk.services import setup
from peerdesk.services.setup import NewVault


def create_demo(
    folder: DataFolder,
    *,
    seed: int = 1,
    size: str = "small",
    take_over: bool = False,
    progress: Progress | None = None,
    times: int = 1,
) -> NewVault:
    """A new folder of invented demo data with one account per role, each with the password
    setup.DEMO_PASSWORD; signed in as the coordinator. `times` multiplies the group (benchmarks)."""

    def fill(store: Store) -> None:
        generate_demo(
            store,
            seed=seed,
            size="large" if size == "large" else "small",
            progress=progress,
            times=times,
        )

    return setup.new_vault_with(
        folder,
        "coordinator",
        "Coordinator",
        setup.DEMO_PASSWORD,
        fill,
        take_over=take_over,
        progress=progress,
        more_accounts=setup.DEMO_ACCOUNTS,
    )
