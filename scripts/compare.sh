#!/usr/bin/env bash
# Side by side with what users run today, on the same inputs, in one run:
#   (a) `check-jsonschema` against Buildkite's pipeline schema vs `kaniko-studio lint`, on a
#       generated pipeline of $COMPARE_STEPS steps with seeded mistakes;
#   (b) a Python one-liner that decodes a JWT's claims vs `kaniko-studio token`, on tokens
#       with typical faults.
# Prints a Markdown report on stdout and keeps it, with every input and raw output, in
# target/compare/. Needs PyPI (check-jsonschema is installed into target/compare-venv once),
# so it is not part of `make test`. Results are quoted in BENCHMARKS.md, "Side by side".
#
#   scripts/compare.sh                    # 5 000 steps, 3 repetitions per lint timing
#   COMPARE_STEPS=500 COMPARE_REPS=3 scripts/compare.sh
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CHECK_JSONSCHEMA_VERSION=0.39.0
steps=${COMPARE_STEPS:-5000}
reps=${COMPARE_REPS:-3}
token_reps=${COMPARE_TOKEN_REPS:-20}
# Every token is checked as of this time, so the report is the same on every run.
now=1764000100

schema="$ROOT/../shared/reference/buildkite-pipeline-schema.json"
[ -f "$schema" ] || die "Buildkite's schema is missing: $schema"
out="$ROOT/target/compare"
venv="$ROOT/target/compare-venv"
target_dir=${CARGO_TARGET_DIR:-$ROOT/target}
cli="$target_dir/release/kaniko-studio"
rm -rf "$out"
mkdir -p "$out"

say "building the release CLI"
(cd "$ROOT" && cargo build --quiet --release -p kaniko-studio-cli)
[ -x "$cli" ] || die "no binary at $cli"

say "check-jsonschema $CHECK_JSONSCHEMA_VERSION in $venv"
if [ "$("$venv/bin/check-jsonschema" --version 2>/dev/null || true)" != "check-jsonschema, version $CHECK_JSONSCHEMA_VERSION" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "check-jsonschema==$CHECK_JSONSCHEMA_VERSION"
fi
checker="$venv/bin/check-jsonschema"

# time_runs FILE CMD...: run CMD $reps times (output discarded, exit status ignored) and
# append one line per run to FILE: wall, user and system seconds (bash's `time`).
time_runs() {
  local file=$1 n=$2
  shift 2
  local TIMEFORMAT='%3R %3U %3S' i
  for ((i = 0; i < n; i++)); do
    { time "$@" >/dev/null 2>&1 || true; } 2>>"$file"
  done
}

# median FILE: "wall cpu" medians (seconds) of a time_runs file; cpu = user + system.
median() {
  python3 - "$1" <<'PY'
import statistics, sys
rows = [list(map(float, line.split())) for line in open(sys.argv[1]) if line.strip()]
wall = statistics.median(r[0] for r in rows)
cpu = statistics.median(r[1] + r[2] for r in rows)
print(f"{wall:.3f} {cpu:.3f}")
PY
}

say "generating a $steps-step pipeline with seeded mistakes"
python3 - "$steps" "$out" <<'PY'
import sys
n, out = int(sys.argv[1]), sys.argv[2]
# (step index, id, what is wrong). Everything else in the file is clean for both tools.
seeds = {
    100: ("unknown-key", "a misspelled step key: `comand:` instead of `command:`"),
    200: ("wrong-type", "`timeout_in_minutes: \"ten\"` (a string where an integer is required)"),
    300: ("no-step-type", "a step with no known type (`lable:` and `commnad:` only)"),
    400: ("aud-trailing-slash", "Kaniko step: `--audience` has a trailing slash, so it never equals the registry URL"),
    500: ("aud-default", "Kaniko step: `oidc request-token` without `--audience` (default `https://buildkite.com/{org}`)"),
    600: ("env-interpolation", "Kaniko step: `${REGISTRY}` in the command, defined only in the step's `env` (empty at upload)"),
    700: ("lifetime-3600", "Kaniko step: `--lifetime 3600` for Package Registries (they accept at most 300 s)"),
    800: ("cache-bool-flag", "Kaniko step: `--cache true` (a boolean flag without `=`: `true` becomes an argument)"),
    900: ("plain-executor-k8s", "Kaniko step on Kubernetes with the plain executor image, which has no shell"),
}

def kaniko(i, audience="--audience https://packages.buildkite.com/acme/images", lifetime="300",
           registry="images", cache="--cache=true", image="gcr.io/kaniko-project/executor:v1.24.0-debug"):
    return f"""  - label: ":docker: image {i}"
    key: image-{i}
    env:
      REGISTRY: images
    command: |
      set -eu
      token="$$(buildkite-agent oidc request-token {audience} --lifetime {lifetime})"
      printf '%s%s%s\\n' '{{"auths":{{"packages.buildkite.com/acme/images":{{"username":"buildkite","password":"' "$${{token}}" '"}}}}}}' > /kaniko/.docker/config.json
      /kaniko/executor --context="dir://$${{PWD}}" --destination="packages.buildkite.com/acme/{registry}/app-{i}:$${{BUILDKITE_BUILD_NUMBER}}" {cache}
    plugins:
      - kubernetes:
          podSpecPatch:
            containers:
              - name: container-0
                image: {image}
"""

# The seeded Kaniko steps: what differs from a correct one.
kaniko_seeds = {
    400: {"audience": "--audience https://packages.buildkite.com/acme/images/"},
    500: {"audience": ""},
    600: {"registry": "${REGISTRY}"},
    700: {"lifetime": "3600"},
    800: {"cache": "--cache true"},
    900: {"image": "gcr.io/kaniko-project/executor:v1.24.0"},
}
other_seeds = {
    100: "  - label: test 100\n    comand: make test\n",
    200: "  - label: test 200\n    command: make test\n    timeout_in_minutes: \"ten\"\n",
    300: "  - lable: test 300\n    commnad: make test\n",
}

def step(i):
    if i in kaniko_seeds:
        return kaniko(i, **kaniko_seeds[i])
    if i in other_seeds:
        return other_seeds[i]
    kind = i % 10
    if kind == 0:
        return kaniko(i)
    if kind == 3:
        return (f"  - label: lint {i}\n    command: make lint\n    plugins:\n"
                f"      - docker#v5.13.0:\n          image: golang:1.23\n")
    if kind == 9:
        return "  - wait\n"
    return (f"  - label: test {i}\n    key: test-{i}\n    command: make test SHARD={i}\n"
            f"    timeout_in_minutes: 10\n    agents:\n      queue: linux\n")

lines = ["agents:\n", "  queue: default\n", "steps:\n"]
ranges = []
for i in range(n):
    text = step(i)
    first = len(lines) + 1
    lines.extend(text.splitlines(keepends=True))
    if i in seeds:
        ranges.append((i, first, len(lines), *seeds[i]))
with open(f"{out}/pipeline.yml", "w") as f:
    f.writelines(lines)
with open(f"{out}/seeds.tsv", "w") as f:
    for row in ranges:
        f.write("\t".join(map(str, row)) + "\n")
PY
pipeline="$out/pipeline.yml"
size_kb=$(($(wc -c <"$pipeline") / 1024))

say "linting with both tools (once, for the findings)"
"$checker" --schemafile "$schema" --output-format json "$pipeline" >"$out/check-jsonschema.json" 2>"$out/check-jsonschema.stderr" || true
"$checker" --schemafile "$schema" "$pipeline" >"$out/check-jsonschema.txt" 2>&1 || true
"$cli" lint --format json "$pipeline" >"$out/kaniko-studio-lint.json" 2>"$out/kaniko-studio-lint.stderr" || true
"$cli" lint "$pipeline" >"$out/kaniko-studio-lint.txt" 2>&1 || true

say "timing check-jsonschema ($reps runs)"
time_runs "$out/time-check-jsonschema" "$reps" "$checker" --schemafile "$schema" "$pipeline"
say "timing kaniko-studio lint ($reps runs)"
time_runs "$out/time-lint" "$reps" "$cli" lint "$pipeline"
read -r cj_wall cj_cpu < <(median "$out/time-check-jsonschema")
read -r ks_wall ks_cpu < <(median "$out/time-lint")

say "making tokens"
python3 - "$out" "$now" <<'PY'
import base64, json, sys
out, now = sys.argv[1], int(sys.argv[2])
b64 = lambda d: base64.urlsafe_b64encode(json.dumps(d, separators=(",", ":")).encode()).rstrip(b"=").decode()
header = {"alg": "RS256", "kid": "c1b7c4f3", "typ": "JWT"}
signature = base64.urlsafe_b64encode(b"\x01" * 256).rstrip(b"=").decode()
base = {"iss": "https://agent.buildkite.com",
        "sub": "organization:acme:pipeline:app:ref:refs/heads/main:commit:1da177e4c3f41524e886b7f1b8a0c1fc7321cac2:step:build",
        "aud": "https://packages.buildkite.com/acme/images", "iat": now - 60, "nbf": now - 60, "exp": now + 240,
        "organization_slug": "acme", "pipeline_slug": "app", "build_number": 42, "build_branch": "main",
        "step_key": "build", "job_id": "0190c5e4-1111-2222-3333-444455556666"}
cases = [
    ("good", "valid, audience of acme/images, 300 s", {}),
    ("expired", "expired 10 minutes ago", {"iat": now - 900, "nbf": now - 900, "exp": now - 600}),
    ("aud-trailing-slash", "audience with a trailing slash", {"aud": "https://packages.buildkite.com/acme/images/"}),
    ("aud-default", "no `--audience`: the default audience", {"aud": "https://buildkite.com/acme"}),
    ("aud-other-registry", "minted for another registry (acme/charts)", {"aud": "https://packages.buildkite.com/acme/charts"}),
    ("lifetime-3600", "`--lifetime 3600`", {"exp": now - 60 + 3600}),
    ("no-exp", "no `exp` claim", {"exp": None}),
]
with open(f"{out}/tokens.tsv", "w") as f:
    for name, what, change in cases:
        claims = {**base, **change}
        claims = {k: v for k, v in claims.items() if v is not None}
        f.write(f"{name}\t{what}\t{b64(header)}.{b64(claims)}.{signature}\n")
PY

# The one-liner people paste from Stack Overflow: decode the claims, pretty-print them. Run
# by the interpreter itself (not a version-manager shim) so its start-up is measured fairly.
py=$(python3 -c 'import sys; print(sys.executable)')
decode_py='import sys,json,base64;p=sys.argv[1].split(".")[1];print(json.dumps(json.loads(base64.urlsafe_b64decode(p+"="*(-len(p)%4))),indent=2))'
registry=packages.buildkite.com/acme/images/app

say "decoding and timing tokens ($token_reps runs each)"
while IFS=$'\t' read -r name _ jwt; do
  "$py" -c "$decode_py" "$jwt" >"$out/token-$name.python.txt" 2>&1 || true
  "$cli" token --registry "$registry" --now "$now" --format json - <<<"$jwt" >"$out/token-$name.kaniko-studio.json" 2>&1 || true
  "$cli" token --registry "$registry" --now "$now" - <<<"$jwt" >"$out/token-$name.kaniko-studio.txt" 2>&1 || true
  time_runs "$out/time-token-python" "$token_reps" "$py" -c "$decode_py" "$jwt"
  time_runs "$out/time-token-kaniko-studio" "$token_reps" "$cli" token --registry "$registry" --now "$now" "$jwt"
done <"$out/tokens.tsv"
read -r py_wall py_cpu < <(median "$out/time-token-python")
read -r kt_wall kt_cpu < <(median "$out/time-token-kaniko-studio")

say "writing the report"
python3 - "$out" "$steps" "$size_kb" "$reps" "$token_reps" "$cj_wall" "$cj_cpu" "$ks_wall" "$ks_cpu" \
  "$py_wall" "$py_cpu" "$kt_wall" "$kt_cpu" "$CHECK_JSONSCHEMA_VERSION" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" \
  "$("$cli" --version)" "$now" >"$out/report.md" <<'PY'
import json, re, sys
(out, steps, size_kb, reps, token_reps, cj_wall, cj_cpu, ks_wall, ks_cpu, py_wall, py_cpu, kt_wall, kt_cpu,
 cj_version, nproc, load, version, now) = sys.argv[1:]
f = float
seeds = [line.rstrip("\n").split("\t") for line in open(f"{out}/seeds.tsv")]

def ratio(a, b):
    return f"{f(a) / f(b):.0f}×" if f(b) > 0 else "n/a"

# check-jsonschema: errors carry a JSON path such as `$.steps[100]` or `$.steps[100].comand`.
try:
    cj = json.load(open(f"{out}/check-jsonschema.json"))
except (OSError, ValueError):
    cj = {"errors": []}
cj_errors = cj.get("errors", [])
def cj_hits(step):
    pat = re.compile(rf"^\$\.steps\[{step}\](\.|\[|$)")
    return [e for e in cj_errors if pat.match(e.get("path", ""))]

# kaniko-studio: findings carry a line; a seed is caught when a finding lies in its lines.
try:
    ks = json.load(open(f"{out}/kaniko-studio-lint.json"))
except (OSError, ValueError):
    ks = {"findings": []}
findings = ks.get("findings", [])
def ks_hits(first, last):
    return [d for d in findings if d.get("span") and int(first) <= d["span"]["line"] <= int(last)]
seeded_lines = [(int(a), int(b)) for _, a, b, *_ in seeds]
unexpected = [d for d in findings
              if not (d.get("span") and any(a <= d["span"]["line"] <= b for a, b in seeded_lines))]
cj_unexpected = [e for e in cj_errors
                 if not any(re.match(rf"^\$\.steps\[{s[0]}\](\.|\[|$)", e.get("path", "")) for s in seeds)]

def short(text, n=110):
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"

def cell_cj(hits):
    if not hits:
        return "—"
    e = hits[0]
    best = e.get("best_deep_match") or e.get("best_match") or {}
    return "✓ " + short(f"`{best.get('path') or e.get('path')}`: {best.get('message') or e.get('message')}").replace("|", "\\|")

def cell_ks(hits):
    if not hits:
        return "—"
    ids = sorted({d["id"] for d in hits})
    return "✓ " + short(f"{', '.join(ids)} (line {hits[0]['span']['line']}): {hits[0]['message']}").replace("|", "\\|")

p = print
p("# Side by side: what users run today vs Kaniko Studio")
p()
p(f"Machine: {nproc} CPUs, load average at the end of the run {load}. `{version}` (release build); "
  f"`check-jsonschema` {cj_version}. Times are medians; CPU = user + system of the process tree, "
  "the better guide when other work shares the machine.")
p()
p(f"## Linting a {int(steps):,}-step pipeline ({size_kb} KB)".replace(",", " "))
p()
p("| tool | median wall | median CPU | runs |")
p("| --- | --- | --- | --- |")
p(f"| `check-jsonschema --schemafile buildkite-pipeline-schema.json` | {f(cj_wall):.3f} s | {f(cj_cpu):.3f} s | {reps} |")
p(f"| `kaniko-studio lint` | {f(ks_wall):.3f} s | {f(ks_cpu):.3f} s | {reps} |")
p()
p(f"`kaniko-studio lint` is {ratio(cj_wall, ks_wall)} faster in wall time and {ratio(cj_cpu, ks_cpu)} in CPU time "
  "(it also runs every Kaniko and OIDC check, which the schema cannot express).")
p()
p("What each one reports on the seeded mistakes (`—`: nothing):")
p()
p("| step | seeded mistake | check-jsonschema | kaniko-studio lint |")
p("| --- | --- | --- | --- |")
for step, first, last, sid, what in seeds:
    p(f"| {step} | {what} | {cell_cj(cj_hits(step))} | {cell_ks(ks_hits(first, last))} |")
caught_cj = sum(1 for s in seeds if cj_hits(s[0]))
caught_ks = sum(1 for s in seeds if ks_hits(s[1], s[2]))
p()
p(f"Caught: check-jsonschema {caught_cj} of {len(seeds)}, kaniko-studio {caught_ks} of {len(seeds)}. "
  f"Reports outside the seeded steps (false positives on clean steps): check-jsonschema {len(cj_unexpected)}, "
  f"kaniko-studio {len(unexpected)}.")
if unexpected:
    ids = sorted({d["id"] for d in unexpected})
    p(f"kaniko-studio's reports outside the seeds: {', '.join(ids)}, e.g. line {unexpected[0].get('span', {}).get('line')}: "
      f"{short(unexpected[0]['message'])}")
p()
p("## Decoding a token")
p()
p(f"Each token is checked for the destination `packages.buildkite.com/acme/images/app` as of "
  f"UNIX time {now} (`--now`), with the signature left unverified by both.")
p()
p("| tool | median wall | median CPU | runs |")
p("| --- | --- | --- | --- |")
p(f"| Python one-liner (`base64.urlsafe_b64decode` + `json.dumps(indent=2)`) | {f(py_wall) * 1000:.1f} ms | {f(py_cpu) * 1000:.1f} ms | {token_reps} per token |")
p(f"| `kaniko-studio token --registry …` | {f(kt_wall) * 1000:.1f} ms | {f(kt_cpu) * 1000:.1f} ms | {token_reps} per token |")
p()
p("Both are dominated by process start-up (the decoding itself takes microseconds); bash's `time` "
  "resolves milliseconds, so the CLI's numbers are at the edge of what it can measure.")
p()
p("| token | Python one-liner tells the user | kaniko-studio token tells the user |")
p("| --- | --- | --- |")
for line in open(f"{out}/tokens.tsv"):
    name, what, _ = line.rstrip("\n").split("\t")
    py = open(f"{out}/token-{name}.python.txt").read()
    try:
        claims = json.loads(py)
        exp = f"`exp` {claims['exp']} as a raw number" if "exp" in claims else "no `exp` line (nothing says one is missing)"
        py_cell = f"{len(claims)} claims pretty-printed; {exp}; no verdict"
    except ValueError:
        py_cell = short(py.strip().splitlines()[-1] if py.strip() else "nothing")
    try:
        report = json.load(open(f"{out}/token-{name}.kaniko-studio.json"))
        diags = report.get("diagnostics", [])
        if diags:
            ks_cell = "; ".join(f"{d['severity']} {d['id']}: {short(d['message'], 90)}" for d in diags[:2])
            if len(diags) > 2:
                ks_cell += f" (+{len(diags) - 2} more)"
        else:
            claims = report.get("claims") or {}
            exp = claims.get("exp") or {}
            ks_cell = f"no problem; expires {exp.get('utc', '?')} ({exp.get('relative', '?')})"
    except (OSError, ValueError):
        ks_cell = "unreadable output"
    p(f"| {what} | {py_cell.replace('|', chr(92) + '|')} | {ks_cell.replace('|', chr(92) + '|')} |")
p()
p(f"Raw inputs and outputs: `target/compare/` (pipeline.yml, seeds.tsv, tokens.tsv, each tool's output, timings).")
PY
cat "$out/report.md"
