import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "check_translations.py"


def test_every_indonesian_string_is_translated():
    spec = importlib.util.spec_from_file_location("check_translations", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.missing_translations() == {}
