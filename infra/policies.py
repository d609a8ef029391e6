"""Each function's IAM policy as aws-sam-translator expands template.yaml, and whether one AWS
call is allowed by it: action, resource and the condition keys our calls carry.

SAM's policy templates (DynamoDBCrudPolicy and the like) only become statements inside the
translator, which comes with the SAM CLI (in .venv-sam: its pydantic pin differs from ours).
So the expansion is generated and kept in the repository, like functions/requirements.txt:

    .venv-sam/bin/python -m infra.policies          # write infra/policies.json
    .venv-sam/bin/python -m infra.policies --check  # exit 1 when it is stale (infra/check.sh)

The tests (tests/aws) read the JSON and check every boto3 call each handler makes against its
function's statements (the GPU worker against GpuWorkerPolicy).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).parents[1]
OUT = ROOT / "infra" / "policies.json"
# Functions whose role SAM generates, and the managed policy the GPU worker's IAM user gets.
FUNCTIONS = ("ApiFunction", "IngestFunction", "WebhookFunction", "SweeperFunction")
GPU_WORKER = "GpuWorkerPolicy"
PARTITION, REGION, ACCOUNT = "aws", "us-east-1", "123456789012"


# ---------------------------------------------------------------- expansion (in .venv-sam)

def expand() -> dict:
    """{logical id: [policy statement, ...]} with intrinsic functions left as SAM writes them."""
    import os

    from samtranslator.translator.transform import transform
    from samtranslator.yaml_helper import yaml_parse

    class NoManagedPolicies:  # only our inline policies are checked; no IAM call is made
        def load(self):
            return {}

    os.environ.setdefault("AWS_DEFAULT_REGION", REGION)
    template = yaml_parse((ROOT / "template.yaml").read_text())
    template["Globals"]["Function"]["CodeUri"] = "s3://bucket/code.zip"  # sam build's artifact
    out = transform(template, {}, NoManagedPolicies())
    resources = out["Resources"]
    policies = {}
    for fn in FUNCTIONS:
        policies[fn] = resources[f"{fn}Role"]["Properties"].get("Policies", [])
    policies[GPU_WORKER] = [{"PolicyName": GPU_WORKER,
                             "PolicyDocument": resources[GPU_WORKER]["Properties"]["PolicyDocument"]}]
    return {"generated_by": "python -m infra.policies (aws-sam-translator)", "conditions": out.get("Conditions", {}),
            "policies": policies}


def render() -> str:
    return json.dumps(expand(), indent=1, sort_keys=True) + "\n"


def main() -> int:
    text = render()
    if "--check" in sys.argv:
        if not OUT.exists() or OUT.read_text() != text:
            print(f"{OUT.relative_to(ROOT)} is stale: run .venv-sam/bin/python -m infra.policies", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text)
    return 0


# ---------------------------------------------------------------- intrinsic functions

NO_VALUE = object()


@dataclass
class Names:
    """What the stack's logical ids stand for in one environment (the emulators in tests)."""

    refs: dict  # logical id or parameter -> value of !Ref
    attrs: dict  # "Logical.Attr" -> value of !GetAtt

    def ref(self, name: str):
        pseudo = {"AWS::Partition": PARTITION, "AWS::Region": REGION, "AWS::AccountId": ACCOUNT,
                  "AWS::URLSuffix": "amazonaws.com", "AWS::NoValue": NO_VALUE}
        if name in pseudo:
            return pseudo[name]
        return self.refs[name]


def _condition(expr, names: Names, conditions: dict) -> bool:
    if isinstance(expr, dict) and len(expr) == 1:
        (fn, arg), = expr.items()
        if fn == "Fn::Not":
            return not _condition(arg[0], names, conditions)
        if fn == "Fn::Equals":
            a, b = (resolve(x, names, conditions) for x in arg)
            return str(a) == str(b)
        if fn == "Fn::And":
            return all(_condition(x, names, conditions) for x in arg)
        if fn == "Fn::Or":
            return any(_condition(x, names, conditions) for x in arg)
        if fn == "Condition":
            return _condition(conditions[arg], names, conditions)
    raise ValueError(f"unsupported condition {expr!r}")


def _sub(text: str, names: Names, extra: dict, conditions: dict) -> str:
    def one(match: re.Match) -> str:
        key = match.group(1)
        if key in extra:
            return str(resolve(extra[key], names, conditions))
        if "." in key and not key.startswith("AWS::"):
            return str(names.attrs[key])
        return str(names.ref(key))

    return re.sub(r"\$\{([^}!]+)\}", one, text)


def resolve(value, names: Names, conditions: dict):
    """A template value with Ref, GetAtt, Sub, If and Join replaced by what they stand for."""
    if isinstance(value, list):
        items = [resolve(v, names, conditions) for v in value]
        return [v for v in items if v is not NO_VALUE]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        (fn, arg), = value.items()
        if fn == "Ref":
            return names.ref(arg)
        if fn == "Fn::GetAtt":
            return names.attrs[".".join(arg) if isinstance(arg, list) else arg]
        if fn == "Fn::Sub":
            text, extra = (arg, {}) if isinstance(arg, str) else arg
            return _sub(text, names, extra, conditions)
        if fn == "Fn::If":
            cond, yes, no = arg
            return resolve(yes if _condition(conditions[cond], names, conditions) else no, names, conditions)
        if fn == "Fn::Join":
            sep, parts = arg
            return sep.join(str(p) for p in resolve(parts, names, conditions))
    out = {k: resolve(v, names, conditions) for k, v in value.items()}
    return {k: v for k, v in out.items() if v is not NO_VALUE}


def statements(function: str, names: Names, data: dict | None = None) -> list[dict]:
    """The resolved statements of one function's role (or of GpuWorkerPolicy)."""
    data = data or json.loads(OUT.read_text())
    conditions = data["conditions"]
    out = []
    for policy in resolve(data["policies"][function], names, conditions):
        out += policy["PolicyDocument"]["Statement"]
    return out


# ---------------------------------------------------------------- evaluation

def _listed(value) -> list:
    return value if isinstance(value, list) else [value]


def _glob(pattern: str, text: str, case: bool = True) -> bool:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, text, 0 if case else re.IGNORECASE) is not None


_SINGLE = {"StringEquals": lambda p, v: p == v, "StringLike": _glob}


def _conditions_hold(block: dict | None, context: dict) -> bool:
    """IAM's condition semantics for the operators our policies use; anything else is refused."""
    for operator, keys in (block or {}).items():
        for key, wanted in keys.items():
            wanted, have = _listed(wanted), context.get(key)
            if operator.startswith("ForAllValues:"):
                test = _SINGLE.get(operator.split(":", 1)[1])
                if test is None:
                    return False
                # AWS: true when the key is absent or every value matches one pattern.
                if have is not None and not all(any(test(p, v) for p in wanted) for v in _listed(have)):
                    return False
            elif operator in _SINGLE:
                if have is None or not any(_SINGLE[operator](p, v) for p in wanted for v in _listed(have)):
                    return False
            else:
                return False
    return True


def allowed(stmts: list[dict], action: str, resource: str, context: dict | None = None) -> bool:
    context = context or {}

    def matches(st: dict) -> bool:
        return (any(_glob(a, action, case=False) for a in _listed(st.get("Action", [])))
                and any(_glob(r, resource) for r in _listed(st.get("Resource", [])))
                and _conditions_hold(st.get("Condition"), context))

    if any(st["Effect"] == "Deny" and matches(st) for st in stmts):
        return False
    return any(st["Effect"] == "Allow" and matches(st) for st in stmts)


# ---------------------------------------------------------------- AWS calls as IAM requests

@dataclass(frozen=True)
class Request:
    action: str
    resource: str
    context: tuple = ()  # ((key, value), ...)
    why: str = ""


def _typed(value):
    """A DynamoDB attribute value as the client sends it ({"S": "job#..."}) or plain."""
    if isinstance(value, dict) and len(value) == 1:
        return next(iter(value.values()))
    return value


def _partition_value(params: dict, hash_key: str):
    expr = params.get("KeyConditionExpression") or ""
    names = params.get("ExpressionAttributeNames") or {}
    values = params.get("ExpressionAttributeValues") or {}
    for name, placeholder in re.findall(r"(#?[\w]+)\s*=\s*(:[\w]+)", expr):
        if names.get(name, name) == hash_key:
            return _typed(values.get(placeholder))
    return None


def requests_for(service: str, operation: str, params: dict, hash_keys: dict[str | None, str]) -> list[Request]:
    """The IAM requests one API call makes. `hash_keys`: partition key attribute of the table
    (key None) and of each index. An unknown call raises: it must be mapped before it is trusted."""
    if service == "dynamodb":
        table = f"arn:{PARTITION}:dynamodb:{REGION}:{ACCOUNT}:table/{params['TableName']}"
        index = params.get("IndexName")
        resource = f"{table}/index/{index}" if index else table
        if operation == "Query":
            leading = _partition_value(params, hash_keys[index])
        elif operation in ("GetItem", "DeleteItem", "UpdateItem"):
            leading = _typed(params["Key"][hash_keys[None]])
        elif operation == "PutItem":
            leading = _typed(params["Item"][hash_keys[None]])
        else:
            raise ValueError(f"no IAM mapping for dynamodb {operation}")
        context = (("dynamodb:LeadingKeys", leading),) if leading is not None else ()
        return [Request(f"dynamodb:{operation}", resource, context)]
    if service == "s3":
        bucket = params.get("Bucket")
        obj = f"arn:{PARTITION}:s3:::{bucket}/{params.get('Key')}"
        bucket_arn = f"arn:{PARTITION}:s3:::{bucket}"
        if operation in ("GetObject", "HeadObject"):
            return [Request("s3:GetObject", obj),
                    Request("s3:ListBucket", bucket_arn, why="without it a missing key answers 403, not 404")]
        if operation in ("PutObject", "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload"):
            return [Request("s3:PutObject", obj)]
        if operation in ("CopyObject", "UploadPartCopy"):
            source = params["CopySource"]
            if isinstance(source, dict):
                source = f"{source['Bucket']}/{source['Key']}"
            return [Request("s3:PutObject", obj), Request("s3:GetObject", f"arn:{PARTITION}:s3:::{unquote(source)}")]
        if operation == "DeleteObject":
            return [Request("s3:DeleteObject", obj)]
        if operation == "DeleteObjects":
            return [Request("s3:DeleteObject", f"{bucket_arn}/{o['Key']}") for o in params["Delete"]["Objects"]]
        if operation in ("ListObjectsV2", "ListObjects"):
            context = (("s3:prefix", params["Prefix"]),) if params.get("Prefix") is not None else ()
            return [Request("s3:ListBucket", bucket_arn, context)]
        if operation == "ListMultipartUploads":
            return [Request("s3:ListBucketMultipartUploads", bucket_arn)]
        if operation in ("AbortMultipartUpload",):
            return [Request("s3:AbortMultipartUpload", obj)]
        raise ValueError(f"no IAM mapping for s3 {operation}")
    if service == "events" and operation == "PutEvents":
        buses = {e.get("EventBusName") or "default" for e in params["Entries"]}
        return [Request("events:PutEvents", b if b.startswith("arn:") else
                        f"arn:{PARTITION}:events:{REGION}:{ACCOUNT}:event-bus/{b}") for b in sorted(buses)]
    if service == "secretsmanager" and operation == "GetSecretValue":
        return [Request("secretsmanager:GetSecretValue", params["SecretId"])]
    if service == "sqs":
        if operation == "GetQueueUrl":
            owner = params.get("QueueOwnerAWSAccountId") or ACCOUNT
            return [Request("sqs:GetQueueUrl", f"arn:{PARTITION}:sqs:{REGION}:{owner}:{params['QueueName']}")]
        owner, name = urlsplit(params["QueueUrl"]).path.strip("/").split("/")[-2:]
        return [Request(f"sqs:{operation}", f"arn:{PARTITION}:sqs:{REGION}:{owner}:{name}")]
    raise ValueError(f"no IAM mapping for {service} {operation}")


if __name__ == "__main__":
    sys.exit(main())
