"""`casebook schema`: the JSON Schema editors use accepts the example content and
flags what `casebook validate` flags, with the project's taxonomy keys."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import REPO, casebook


class EditorLoader(yaml.SafeLoader):
    """YAML as an editor's language server reads it: an unquoted date stays text."""


EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def front_matter(text: str) -> dict:
    return yaml.load(text.split("---\n", 2)[1], Loader=EditorLoader)


def validator(kind: str, cwd: Path = REPO) -> jsonschema.Draft202012Validator:
    run = casebook("schema", kind, cwd=cwd)
    assert run.returncode == 0, run.output
    schema = json.loads(run.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def problems(check: jsonschema.Draft202012Validator, data: dict) -> list[tuple[str, str]]:
    """Each schema error as (dotted path of the field it is about, message)."""
    return sorted((".".join(map(str, error.absolute_path)), error.message) for error in check.iter_errors(data))


@pytest.mark.parametrize("kind, folder", [("case", "cases"), ("whitepaper", "whitepapers"), ("kit", "kits")])
def test_the_schema_accepts_every_example_file(kind: str, folder: str) -> None:
    check = validator(kind)
    files = sorted(p for p in (REPO / folder).glob("*.md") if "." not in p.stem)  # translations are partial by design
    assert files
    for path in files:
        assert problems(check, front_matter(path.read_text("utf-8"))) == [], path.name


def test_the_schema_rejects_what_the_validator_rejects() -> None:
    case = front_matter((REPO / "cases/alder-finch-packaging-changeovers.md").read_text("utf-8"))
    case["customer"]["industry"] = "retial"
    case["approval"] = {"status": "approved"}
    case["summary"] = "x" * 281
    case["date"] = "2025-02-30"
    case["publish_onn"] = "2030-01-01"
    del case["results"]
    found = problems(validator("case"), case)
    assert {path for path, _ in found} == {"", "customer.industry", "approval", "summary", "date"}
    messages = "\n".join(message for _, message in found)
    assert "'retial' is not one of ['retail'," in messages
    assert "'approved_by' is a required property" in messages
    assert "is not a 'date'" in messages and "is too long" in messages
    assert "'results' is a required property" in messages
    assert "'publish_onn' was unexpected" in messages

def test_field_descriptions_come_with_the_schema() -> None:
    schema = json.loads(casebook("schema", "case", cwd=REPO).stdout)
    assert "280 characters" in schema["properties"]["summary"]["description"]
    assert schema["properties"]["internal"]["description"].startswith("Sales-only notes; never published")
    kit = json.loads(casebook("schema", "kit", cwd=REPO).stdout)
    assert not jsonschema.Draft202012Validator(kit).is_valid(
        {"title": "T", "summary": "S", "industry": "retail", "roles": ["administrator"], "status": "draft"})


def test_taxonomy_enums_follow_the_project(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("retail: {label: Retail,", "grocery: {label: Grocery,"), "utf-8")
    schema = json.loads(casebook("schema", "whitepaper", cwd=project).stdout)
    industries = schema["properties"]["industries"]["items"]["enum"]
    assert industries[:2] == ["all", "grocery"] and "retail" not in industries


def test_a_broken_project_gets_located_errors_and_no_schema(project: Path) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text("utf-8")
    config.write_text(text.replace("retail: {label: Retail,", "Retail Stores: {label: Retail,"), "utf-8")
    line = next(n for n, row in enumerate(config.read_text("utf-8").splitlines(), 1) if "industries:" in row)
    run = casebook("schema", "case", cwd=project)
    assert run.returncode == 1 and run.stdout == ""
    assert f"mkdocs.yml:{line}: error:" in run.stderr and "Retail Stores" in run.stderr


def test_an_unknown_kind_names_the_kinds(project: Path) -> None:
    run = casebook("schema", "casestudy", cwd=project)
    assert run.returncode == 2 and run.stdout == ""
    assert "invalid choice: 'casestudy' (choose from 'case', 'whitepaper', 'kit')" in run.stderr
    assert "Traceback" not in run.stderr


def test_new_files_match_the_schema(project: Path) -> None:
    for kind, folder in (("case", "cases"), ("whitepaper", "whitepapers"), ("kit", "kits")):
        assert casebook("new", kind, "fresh", cwd=project).returncode == 0
        data = front_matter((project / folder / "fresh.md").read_text("utf-8"))
        assert problems(validator(kind, project), data) == [], kind

