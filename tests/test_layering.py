"""The two page surfaces stand on the core and on `ui/`, never on each other."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "atiende"
SURFACES = ("portal", "desk")


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


@pytest.mark.parametrize("surface", SURFACES)
def test_a_surface_imports_no_other_surface(surface):
    others = tuple(f"atiende.{name}" for name in SURFACES if name != surface)
    offenders = {
        f"{path.relative_to(PACKAGE)}: {module}"
        for path in (PACKAGE / surface).rglob("*.py")
        for module in _imported_modules(path)
        if module.startswith(others)
    }
    assert not offenders


def test_the_check_sees_an_import_between_surfaces(tmp_path):
    module = tmp_path / "views.py"
    module.write_text("from atiende.portal.forms import ReplyForm\n", encoding="utf-8")
    assert "atiende.portal.forms" in _imported_modules(module)


# The pages and the API are surfaces over the core; `demo` fills the whole product and may
# use any of them (it prints a demo API token).
ALL_SURFACES = ("portal", "desk", "api", "reports")
COMPOSERS = ("demo",)


def test_no_domain_package_imports_a_surface():
    """Knowledge, billing, incidents, WhatsApp… hold no pages: their views live in the
    surfaces, which read through `access`/`queries` and write through actions."""
    surfaces = tuple(f"atiende.{name}" for name in ALL_SURFACES)
    offenders = {
        f"{path.relative_to(PACKAGE)}: {module}"
        for package in PACKAGE.iterdir()
        if package.is_dir() and package.name not in (*ALL_SURFACES, *COMPOSERS, "__pycache__")
        for path in package.rglob("*.py")
        for module in _imported_modules(path)
        if module.startswith(surfaces) and module.split(".")[1] in ALL_SURFACES
    }
    assert not offenders
