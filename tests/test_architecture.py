"""The folder tree is the architecture: the import-linter contracts in pyproject.toml hold."""

import subprocess
import sys
from pathlib import Path


def test_layers_point_inward_and_the_domain_is_pure():
    root = Path(__file__).resolve().parents[1]
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=root, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "broken" in result.stdout and " 0 broken" in result.stdout


def test_only_the_settings_module_reads_the_environment():
    """One settings object: `Settings.from_env` reads every variable; the rest is handed it."""
    src = Path(__file__).resolve().parents[1] / "src" / "casebridge"
    readers = sorted(
        str(path.relative_to(src))
        for path in src.rglob("*.py")
        if ("os.environ" in (text := path.read_text(encoding="utf-8")) or "getenv(" in text)
        and path != src / "infra" / "settings.py"
    )
    assert readers == []
