#!/usr/bin/env bash
# Deployment checks, offline: the template lints and validates, `sam build` (no container)
# builds every function, and functions/requirements.txt matches pyproject.toml.
set -euo pipefail
cd "$(dirname "$0")/.."

export AWS_DEFAULT_REGION=us-east-1 AWS_ACCESS_KEY_ID=offline AWS_SECRET_ACCESS_KEY=offline
export SAM_CLI_TELEMETRY=0

.venv/bin/python -m infra.requirements --check
.venv/bin/cfn-lint template.yaml

# SAM CLI pins its own boto3 and click: it lives in a virtualenv of its own.
if [ ! -x .venv-sam/bin/sam ]; then
  python3 -m venv .venv-sam
  .venv-sam/bin/pip install -q --disable-pip-version-check aws-sam-cli==1.170.0 >/dev/null
fi
.venv-sam/bin/sam validate --lint --template template.yaml
# Each function's policy as SAM's translator expands it, which tests/aws checks every call against.
.venv-sam/bin/python -m infra.policies --check

# `sam build` builds for the template's runtime (python3.12) and needs that Python on PATH.
if command -v pyenv >/dev/null && [ -x "$(pyenv root)/versions/3.12.1/bin/python3.12" ]; then
  export PATH="$(pyenv root)/versions/3.12.1/bin:$PATH"
fi
if ! python3.12 --version >/dev/null 2>&1; then
  echo "sam build needs a working python3.12 on PATH" >&2
  exit 1
fi
.venv-sam/bin/sam build --template template.yaml --build-dir .aws-sam/build >/dev/null
# Bytecode for the runtime: sam build ships sources only, and on Lambda's read-only code directory
# every cold start would compile each module it imports again (infra/bytecode.py).
python3.12 -m infra.bytecode .aws-sam/build
# Every function's bundle: our package in, the speech stack out.
for fn in ApiFunction IngestFunction WebhookFunction SweeperFunction; do
  test -f ".aws-sam/build/$fn/transcripts/handlers/__init__.py"
  test -f ".aws-sam/build/$fn/transcripts/handlers/__pycache__/__init__.cpython-312.pyc"
  test -f ".aws-sam/build/$fn/botocore/__pycache__/session.cpython-312.pyc"
  # sam build copies all of functions/: a local server's data directory must not ship.
  if [ -e ".aws-sam/build/$fn/transcripts-data" ]; then
    echo "$fn bundles functions/transcripts-data (a local database and cursor key): move it out of functions/" >&2; exit 1
  fi
  for heavy in torch ctranslate2 faster_whisper onnxruntime numpy; do
    if [ -e ".aws-sam/build/$fn/$heavy" ]; then echo "$fn bundles $heavy" >&2; exit 1; fi
  done
done
# Each bundle imports its handler with only what it carries, on the Lambda runtime's Python
# (module import builds the services; no AWS call happens before a request).
for pair in ApiFunction:api IngestFunction:ingest WebhookFunction:webhook SweeperFunction:sweeper; do
  fn=${pair%%:*}; module=${pair##*:}
  (cd ".aws-sam/build/$fn" && env -i PATH=/usr/bin:/bin HOME=/tmp AWS_DEFAULT_REGION=us-east-1 \
    AWS_ACCESS_KEY_ID=offline AWS_SECRET_ACCESS_KEY=offline TRANSCRIPTS_BACKEND=aws TRANSCRIPTS_TABLE_NAME=t \
    TRANSCRIPTS_BUCKET_NAME=b TRANSCRIPTS_EVENT_BUS_NAME=e TRANSCRIPTS_CURSOR_SECRET_ARN=arn \
    TRANSCRIPTS_SERVED_MODELS=whisper-base TRANSCRIPTS_DIARIZATION=true \
    "$(command -v python3.12)" -c "import transcripts.handlers.$module") || { echo "$fn: handler does not import" >&2; exit 1; }
done
# The Modal image's packages resolve for its platform (CPython 3.12, manylinux, wheels only)
# against PyPI alone, and their requirements hold: a `--dry-run` resolve (network; see the module).
.venv/bin/python -m infra.gpu_image
echo "deployment checks passed: requirements current, cfn-lint, sam validate --lint, policies current, sam build, bytecode, handlers import, GPU image resolves"
