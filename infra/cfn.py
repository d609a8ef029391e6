"""Read `template.yaml` (CloudFormation short-form tags included) as plain data."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

TEMPLATE = Path(__file__).parents[1] / "template.yaml"


class _Loader(yaml.SafeLoader):
    pass


def _tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node):
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


_Loader.add_multi_constructor("!", _tag)


@lru_cache
def load(path: Path = TEMPLATE) -> dict:
    return yaml.load(path.read_text(), Loader=_Loader)


def resource(logical_id: str, path: Path = TEMPLATE) -> dict:
    return load(path)["Resources"][logical_id]


def function_environment(path: Path = TEMPLATE) -> dict[str, object]:
    """Every environment variable a function gets (Globals merged with each function's own)."""
    template = load(path)
    env = dict(template.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {}))
    for res in template["Resources"].values():
        if res["Type"] == "AWS::Serverless::Function":
            env.update(res["Properties"].get("Environment", {}).get("Variables", {}))
    return env
