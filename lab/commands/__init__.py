"""The development commands of the `dach` CLI: `dach samples`, `dach train`, `dach train-mrz`.

`dach.cli` registers them through `register(app)` when `lab` is importable. As with the product's command
modules, the heavy imports (the generator, spaCy training, scikit-learn) stay inside the command bodies, so
`dach --help` imports none of them.
"""

from __future__ import annotations

import typer

from lab.commands import samples, train, train_mrz


def register(app: typer.Typer) -> None:
    for module in (samples, train, train_mrz):
        module.register(app)
