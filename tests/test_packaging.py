"""What a wheel carries: the ontology data, the licence, honest metadata; NLTK only in its extra."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from email.parser import Parser

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True)
    (whl,) = out.glob("wild_goose_kg-*.whl")
    return zipfile.ZipFile(whl)


def _metadata(wheel: zipfile.ZipFile):
    (name,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    return Parser().parsestr(wheel.read(name).decode("utf-8"))


def test_wheel_holds_the_ontology_files_and_the_licence(wheel):
    names = set(wheel.namelist())
    for f in ("wildgoose.ttl", "shapes.ttl", "gazetteer.csv", "lexicon.toml"):
        assert f"kg/ontology/{f}" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)


def test_wheel_metadata_is_pep_639_with_classifiers_and_urls(wheel):
    meta = _metadata(wheel)
    assert meta["License-Expression"] == "Apache-2.0"
    assert "LICENSE" in meta.get_all("License-File")
    assert meta.get_all("Classifier") and meta.get_all("Project-URL")
    assert meta["Version"] == __import__("kg").__version__
    # NLTK is needed only by the own-ontology features: never a plain requirement
    requires = meta.get_all("Requires-Dist")
    nltk = [r for r in requires if r.startswith("nltk")]
    assert nltk and all("extra ==" in r for r in nltk)
    assert any("extra == \"ontology\"" in r for r in nltk)


def test_licence_file_is_apache_2():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    assert tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["license"] == "Apache-2.0"


def test_without_nltk_the_ontology_features_say_which_extra_to_install():
    # a real interpreter in which `import nltk` fails, as in an install without the extra
    code = (
        "import sys; sys.modules['nltk'] = None\n"
        "from kg.errors import MissingDependencyError\n"
        "from kg.text2kg.features import stem\n"
        "from kg.text2kg.score import word_tokenize\n"
        "for f in (lambda: stem('running'), lambda: word_tokenize('A b.')):\n"
        "    try: f()\n"
        "    except MissingDependencyError as e: print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    assert len(lines) == 2
    assert all("pip install 'wild-goose-kg[ontology]'" in line and "nltk" in line for line in lines)
    assert "Text2KGBench scorer" in lines[1]
