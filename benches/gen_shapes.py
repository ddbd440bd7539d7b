#!/usr/bin/env python3
"""Deterministic generator of the benchmark's shapes: inputs whose cost grows
with something other than the number of files (issue 13).

    python3 benches/gen_shapes.py --out /tmp/regcred-shapes            # every shape
    python3 benches/gen_shapes.py --out DIR --only pod-10000 secrets-20000

Shapes (each NAME.yaml alone in its folder --out/NAME/, so that linting it
indexes nothing else):
  stream-ascii.yaml, stream-nonascii.yaml
      6,000 Deployments in one stream, as `helm template` or `kubectl
      kustomize` print them; the second differs only by `# café` on line 1
      (the first has `# cafe`): the cost of one non-ASCII character.
  secrets-20000.yaml, secrets-80000.yaml
      small pull Secrets in one file, one in eight broken (a finding each):
      growth within one file, per document and per finding.
  pod-10000.yaml, pod-40000.yaml
      one Pod with that many containers, private images, a pull secret that
      is not defined (a finding per registry): growth within one document.
  dense/
      a repository where every file is a Secret or a workload (--dense-mb,
      default 60 MB): the most findings per byte.

Python 3.11 standard library only; same seed, same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True
import gen_corpus  # noqa: E402  (sibling module, stdlib only)
from gen_corpus import b64, stream, to_yaml, token  # noqa: E402

MB = 1_000_000


def shard(seed: int, index: int) -> gen_corpus.Shard:
    return gen_corpus.Shard(seed, index, random.Random(f"regcred-shapes:{seed}:{index}"))


def deployments(seed: int, n: int, first_line: str) -> str:
    s = shard(seed, 1)
    docs = []
    for i in range(n):
        app = f"{s.r.choice(gen_corpus.NOUNS)}-{i}"
        w = s.workload(app, s.ns())
        docs.append(w)
    return first_line + "\n" + stream(docs, si=False, lead=True)


def small_secret(r: random.Random, i: int) -> dict:
    user, pw = f"robot{i % 97}", token(r, 24)
    auth = b64(f"{user}{pw}") if i % 8 == 7 else b64(f"{user}:{pw}")  # no colon: a finding
    cfg = {"auths": {f"registry-{i % 13}.example.com": {"auth": auth}}}
    return {"apiVersion": "v1", "kind": "Secret",
            "metadata": {"name": f"pull-{i}", "namespace": f"team-{i % 31}"},
            "type": "kubernetes.io/dockerconfigjson",
            "data": {".dockerconfigjson": b64(json.dumps(cfg, separators=(",", ":")))}}


def secrets(seed: int, n: int) -> str:
    r = random.Random(f"regcred-shapes:secrets:{seed}")
    return stream([small_secret(r, i) for i in range(n)], si=False)


def big_pod(seed: int, n: int) -> str:
    r = random.Random(f"regcred-shapes:pod:{seed}")
    containers = [{"name": f"c{i}", "image": f"registry-{i % 50}.example.com/team/app-{i}:v{r.randint(0, 9)}",
                   "ports": [{"containerPort": 8080 + i % 100}]} for i in range(n)]
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "huge", "namespace": "batch"},
           "spec": {"imagePullSecrets": [{"name": "not-defined-anywhere"}], "containers": containers}}
    return to_yaml(pod)


def dense(seed: int, out: Path, budget: int) -> int:
    """Files of 1-8 workloads or pull Secrets, in team folders, until budget bytes."""
    written, index = 0, 0
    while written < budget:
        s = shard(seed, 1000 + index)
        team = out / s.root
        for f in range(200):
            ns = s.ns()
            if s.r.random() < 0.5:
                docs = [s.workload(s.unique(s.r.choice(gen_corpus.NOUNS)), ns) for _ in range(s.r.randint(1, 8))]
            else:
                docs = [s.pull_secret(s.r.choice(s.secret_names), ns) for _ in range(s.r.randint(1, 4))]
            text = stream(docs, si=s.r.random() < 0.5)
            path = team / f"f{f:03d}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            written += len(text.encode())
            if written >= budget:
                break
        index += 1
    return written


SHAPES = {
    "stream-ascii.yaml": lambda seed: deployments(seed, 6000, "# cafe"),
    "stream-nonascii.yaml": lambda seed: deployments(seed, 6000, "# café"),
    "secrets-20000.yaml": lambda seed: secrets(seed, 20000),
    "secrets-80000.yaml": lambda seed: secrets(seed, 80000),
    "pod-10000.yaml": lambda seed: big_pod(seed, 10000),
    "pod-40000.yaml": lambda seed: big_pod(seed, 40000),
}


def generator_digest() -> str:
    """Changes whenever this file or the corpus generator it borrows from does."""
    text = Path(__file__).read_bytes() + Path(gen_corpus.__file__).read_bytes()
    return hashlib.sha256(text).hexdigest()[:16]


def generate(out: Path, seed: int, only: list[str] | None = None, dense_mb: float = 60.0) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, make in SHAPES.items():
        if only and name.removesuffix(".yaml") not in only and name not in only:
            continue
        folder = out / name.removesuffix(".yaml")
        folder.mkdir(exist_ok=True)
        (folder / name).write_text(make(seed))
    if not only or "dense" in only:
        dense(seed, out / "dense", int(dense_mb * MB))


def main() -> None:
    ap = argparse.ArgumentParser(description="generate the benchmark's shapes (see benches/README.md)")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--dense-mb", type=float, default=60.0)
    ap.add_argument("--only", nargs="*", help="shape names (without .yaml), or dense")
    a = ap.parse_args()
    generate(a.out, a.seed, a.only, a.dense_mb)


if __name__ == "__main__":
    main()
