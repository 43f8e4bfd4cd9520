"""The schema has one entry point, and a module it lists that cannot be imported stops the
migration loudly instead of leaving its tables out."""

from __future__ import annotations

import pytest

from casebridge.infra import migrations


def test_a_schema_module_that_is_missing_stops_the_migration(settings, monkeypatch):
    monkeypatch.setattr(migrations, "SCHEMA_MODULES", (*migrations.SCHEMA_MODULES, "casebridge.not_built_yet"))
    with pytest.raises(ModuleNotFoundError):
        migrations.migrate(settings)


def test_migrating_twice_changes_nothing(settings):
    migrations.migrate(settings)
    migrations.migrate(settings)
