#!/usr/bin/env python3
"""Deterministic generator of realistic Kubernetes repositories for benchmarks.

    python3 benches/gen_corpus.py --size small            # ~1 MB, ~500 files
    python3 benches/gen_corpus.py --size medium           # ~50 MB, ~20k files
    python3 benches/gen_corpus.py --size large            # ~500 MB, ~200k files
    python3 benches/gen_corpus.py --mb 5 --out /tmp/c5    # any size
    options: --seed N (default 6), --jobs N (default: all cores), --force

Python 3.11 standard library only. The output depends only on the seed and the
byte budget, never on --jobs: the budget is cut into shards of SHARD_BYTES,
each shard is one team's area of a monorepo and is generated from its own
seeded random stream, sequentially, until its share of the budget is written.
Shards run in parallel (multiprocessing), so the large corpus takes a few
minutes on two cores.

What a shard holds (the mix a real platform monorepo has):
  * kustomize apps: base + overlays; Deployments, StatefulSets, CronJobs,
    DaemonSets with 1-4 containers, images from public and private registries,
    imagePullSecrets on some pods and ServiceAccounts; secretGenerators with
    the config.json / .env files they reference;
  * Helm charts whose templates are full of `{{ }}` (not YAML until rendered);
  * Secrets of every type, pull secrets with 1-10 registries holding real
    base64 of real dockerconfigjson; about one in six is broken the ways
    docs/rules.md describes (bad base64, auth without colon, credsStore-only, wrong
    type, missing key, double-encoded, placeholder registry, no auths);
  * SOPS-encrypted Secrets, `.docker/config.json` files, large CRDs with long
    OpenAPI schemas, Grafana dashboards in ConfigMaps, deep cluster folders
    with multi-document files, JSON manifests, READMEs and Makefiles.

Credentials in it are random and fake. A stamp file `.corpus-stamp` in the
output root records seed, budget, generator digest, files and bytes, so
benches/run.py can reuse a corpus and regenerate it when this file changes.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import multiprocessing
import os
import random
import re
import shutil
import sys
import time
from pathlib import Path

MB = 1_000_000
SIZES = {"small": 1 * MB, "medium": 50 * MB, "large": 500 * MB}
SHARD_BYTES = 2 * MB
STAMP = ".corpus-stamp"

# --------------------------------------------------------------------------
# vocabulary

WORDS = (
    "the of a to and is in for that on with as are be by this it from or an "
    "resource field value specifies controller when if not must will may "
    "defaults object name namespace selector label annotation spec status "
    "condition reason message type time last transition observed generation "
    "replicas template container image pull policy secret reference volume "
    "mount path port protocol service account node affinity toleration "
    "priority class runtime handler limit request memory cpu storage "
    "duration seconds interval timeout retry backoff endpoint certificate "
    "issuer domain host route gateway listener weight match header query "
    "which should only used otherwise empty optional required deprecated"
).split()
NOUNS = (
    "checkout cart payments billing invoice ledger search catalog inventory "
    "orders shipping pricing users accounts auth identity session gateway "
    "notifications email sms webhooks reports analytics metrics events "
    "scheduler worker ingest export import media thumbnails uploads profile "
    "recommend ranking fraud risk audit compliance tax currency loyalty"
).split()
ROLES = "api web worker consumer cron sync proxy frontend backend service".split()
TEAMS = (
    "platform core data ml growth commerce finance identity infra edge "
    "mobile search ads risk support partners logistics media devex sre"
).split()
REGIONS = "eu-west-1 eu-central-1 us-east-1 us-west-2 ap-southeast-1".split()
ENVS = ("dev", "staging", "prod")
COMPANIES = ("acme", "globex", "initech", "umbrella", "hooli", "vandelay")
USERS = ("ci-bot", "deploy", "robot$pull", "svc-puller", "AWS", "_json_key",
         "00000000-0000-0000-0000-000000000000", "gitlab-ci-token", "admin")

PUBLIC_IMAGES = (
    "nginx:1.25.3", "nginx", "redis:7.2-alpine", "postgres:16.1", "busybox:1.36",
    "registry.k8s.io/pause:3.9", "registry.k8s.io/ingress-nginx/controller:v1.9.4",
    "quay.io/prometheus/node-exporter:v1.7.0", "ghcr.io/external-secrets/external-secrets:v0.9.11",
    "docker.io/bitnami/kafka:3.6.1", "bitnami/postgresql:15.4.0",
    "mcr.microsoft.com/dotnet/aspnet:8.0", "public.ecr.aws/docker/library/alpine:3.19",
    "gcr.io/distroless/static:nonroot", "registry.istio.io/release/proxyv2:1.20.1",
    "grafana/grafana:10.2.3", "curlimages/curl:8.5.0", "quay.io/jetstack/cert-manager-controller:v1.13.3",
    "docker.elastic.co/elasticsearch/elasticsearch:8.11.3", "otel/opentelemetry-collector:0.91.0",
)

SPECIAL = frozenset(
    "y Y yes Yes YES n N no No NO true True TRUE false False FALSE on On ON "
    "off Off OFF null Null NULL ~ .inf .Inf .INF .nan .NaN .NAN".split()
)
PLAIN = re.compile(r"[A-Za-z_/.][][A-Za-z0-9_./@+=:,()$-]*(?: [][A-Za-z0-9_./@+=:,()$-]+)*\Z")

# --------------------------------------------------------------------------
# a small block-style YAML emitter (kubectl style or indented sequences)


def scalar(v: object) -> str:
    if v is True:
        return "true"
    if v is False:
        return "false"
    if v is None:
        return "null"
    if isinstance(v, (int, float)):
        return str(v)
    s = str(v)
    if s and s not in SPECIAL and PLAIN.match(s) and ": " not in s and not s.endswith(":"):
        return s
    return json.dumps(s)


def block(s: str, ind: int) -> str:
    pad = " " * ind
    head = "|\n" if s.endswith("\n") else "|-\n"
    lines = s.rstrip("\n").split("\n")
    return head + "".join((pad + line + "\n") if line else "\n" for line in lines)


def _map(d: dict, ind: int, out: list, si: bool) -> None:
    pad = " " * ind
    for k, v in d.items():
        key = scalar(k)
        if isinstance(v, dict):
            if v:
                out.append(f"{pad}{key}:\n")
                _map(v, ind + 2, out, si)
            else:
                out.append(f"{pad}{key}: {{}}\n")
        elif isinstance(v, list):
            if v:
                out.append(f"{pad}{key}:\n")
                _seq(v, ind + 2 if si else ind, out, si)
            else:
                out.append(f"{pad}{key}: []\n")
        elif isinstance(v, str) and "\n" in v:
            out.append(f"{pad}{key}: {block(v, ind + 2)}")
        else:
            out.append(f"{pad}{key}: {scalar(v)}\n")


def _seq(items: list, ind: int, out: list, si: bool) -> None:
    pad = " " * ind
    for item in items:
        if isinstance(item, dict) and item:
            sub: list = []
            _map(item, ind + 2, sub, si)
            out.append(pad + "- " + sub[0][ind + 2:])
            out.extend(sub[1:])
        elif isinstance(item, list) and item:
            out.append(pad + "-\n")
            _seq(item, ind + 2, out, si)
        elif isinstance(item, str) and "\n" in item:
            out.append(pad + "- " + block(item, ind + 2))
        else:
            out.append(f"{pad}- {scalar(item)}\n")


def to_yaml(obj: dict, si: bool = False) -> str:
    out: list = []
    _map(obj, 0, out, si)
    return "".join(out)


def stream(docs: list, si: bool, lead: bool = False) -> str:
    body = "---\n".join(to_yaml(d, si) for d in docs)
    return ("---\n" + body) if lead else body


# --------------------------------------------------------------------------
# values


def b64(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode()
    return base64.b64encode(data).decode()


def token(r: random.Random, n: int) -> str:
    return r.randbytes(n).hex()[:n]


def sentence(r: random.Random, lo: int, hi: int) -> str:
    s = " ".join(r.choices(WORDS, k=r.randint(lo, hi)))
    return s[0].upper() + s[1:] + "."


def pem(r: random.Random, kind: str, nbytes: int) -> str:
    body = b64(r.randbytes(nbytes))
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return f"-----BEGIN {kind}-----\n" + "\n".join(lines) + f"\n-----END {kind}-----\n"


class Shard:
    """One team's corner of the monorepo: its names, registries, secrets."""

    def __init__(self, seed: int, index: int, corpus_rng: random.Random):
        self.r = random.Random(f"regcred-corpus:{seed}:{index}")
        r = self.r
        self.company = corpus_rng.choice(COMPANIES)
        self.team = f"{r.choice(TEAMS)}-{index:03d}"
        self.root = r.choice(("teams", "platform", "services", "products")) + "/" + self.team
        self.used: set[str] = set()
        acct = "".join(r.choices("0123456789", k=12))
        candidates = [
            f"{acct}.dkr.ecr.{r.choice(REGIONS)}.amazonaws.com",
            f"{self.company}{r.choice(TEAMS)}.azurecr.io",
            f"registry.{self.company}.com",
            f"harbor.{self.company}.internal:8443",
            f"{r.choice(('europe', 'us'))}-docker.pkg.dev",
            f"registry.gitlab.{self.company}.io",
            "ghcr.io",
            "docker.io",
        ]
        self.registries = r.sample(candidates, r.randint(1, 4))
        self.secret_names = ["regcred", f"{self.team}-pull", "registry-credentials",
                             "ecr-creds", "docker-hub"][: r.randint(1, 5)]

    def unique(self, base: str) -> str:
        name, n = base, 1
        while name in self.used:
            n += 1
            name = f"{base}-{n}"
        self.used.add(name)
        return name

    def ns(self, env: str | None = None) -> str:
        return f"{self.team}-{env or self.r.choice(ENVS)}"

    # images --------------------------------------------------------------

    def image(self, app: str) -> tuple[str, bool]:
        r = self.r
        if r.random() < 0.45:
            return r.choice(PUBLIC_IMAGES), False
        reg = r.choice(self.registries)
        if reg.endswith("pkg.dev"):
            path = f"{self.company}-prod/{self.team}/{app}"
        elif reg == "docker.io":
            path = f"{self.company}/{app}"
        else:
            path = f"{self.team}/{app}"
        if r.random() < 0.15:
            ref = "@sha256:" + r.randbytes(32).hex()
        elif r.random() < 0.5:
            ref = f":v{r.randint(0, 4)}.{r.randint(0, 30)}.{r.randint(0, 9)}"
        else:
            ref = ":" + r.randbytes(20).hex()[:r.choice((7, 12, 40))]
        img = f"{path}{ref}" if reg == "docker.io" and r.random() < 0.5 else f"{reg}/{path}{ref}"
        return img, True

    # pull secrets ---------------------------------------------------------

    def auth_key(self, reg: str) -> str:
        r = self.r
        if reg == "docker.io":
            return r.choice(("https://index.docker.io/v1/", "index.docker.io", "docker.io"))
        return r.choice((reg, reg, f"https://{reg}", f"https://{reg}/v2/"))

    def docker_config(self, nregs: int) -> dict:
        """A well-formed dockerconfigjson with nregs registries."""
        r = self.r
        regs = list(self.registries)
        while len(regs) < nregs:
            regs.append(f"registry-{len(regs)}.{self.company}.com")
        auths = {}
        for reg in r.sample(regs, nregs):
            user, pw = r.choice(USERS), token(r, r.choice((20, 32, 40, 64)))
            mode = r.random()
            if mode < 0.5:
                entry = {"username": user, "password": pw, "auth": b64(f"{user}:{pw}")}
            elif mode < 0.8:
                entry = {"auth": b64(f"{user}:{pw}")}
            else:
                entry = {"username": user, "password": pw, "email": f"{user}@{self.company}.com",
                         "auth": b64(f"{user}:{pw}")}
            auths[self.auth_key(reg)] = entry
        return {"auths": auths}

    def pull_secret(self, name: str, ns: str) -> dict:
        """A pull Secret object; about one in six is broken."""
        r = self.r
        cfg = self.docker_config(r.choice((1, 1, 1, 2, 2, 3, 4, 6, 8, 10)))
        key, typ = ".dockerconfigjson", "kubernetes.io/dockerconfigjson"
        payload = json.dumps(cfg, separators=(",", ":"))
        breakage = r.choice(("none",) * 20 + (
            "bad-base64", "no-colon", "creds-store", "wrong-type", "missing-key",
            "double-encoded", "placeholder", "no-auths", "legacy", "string-data"))
        data: dict = {}
        string_data = None
        if breakage == "no-colon":
            first = next(iter(cfg["auths"].values()))
            first["auth"] = b64(token(r, 24))
            payload = json.dumps(cfg, separators=(",", ":"))
        elif breakage == "creds-store":
            payload = json.dumps({"auths": {k: {} for k in cfg["auths"]}, "credsStore": "desktop"})
        elif breakage == "wrong-type":
            typ = "Opaque"
        elif breakage == "missing-key":
            key = r.choice(("dockerconfigjson", "config.json", ".dockercfg"))
        elif breakage == "placeholder":
            payload = payload.replace(next(iter(cfg["auths"])), "<your-registry-server>", 1)
        elif breakage == "no-auths":
            payload = json.dumps(cfg["auths"], separators=(",", ":"))
        elif breakage == "legacy":
            key, typ = ".dockercfg", "kubernetes.io/dockercfg"
            payload = json.dumps(cfg["auths"], separators=(",", ":"))
        encoded = b64(payload)
        if breakage == "bad-base64":
            i = r.randrange(len(encoded))
            encoded = encoded[:i] + r.choice((" ", "-", "_", "!")) + encoded[i:]
        elif breakage == "double-encoded":
            encoded = b64(encoded)
        if breakage == "string-data":
            string_data = {key: payload}
        else:
            data[key] = encoded
        obj: dict = {"apiVersion": "v1", "kind": "Secret",
                     "metadata": {"name": name, "namespace": ns,
                                  "labels": {"app.kubernetes.io/part-of": self.team}},
                     "type": typ}
        if data:
            obj["data"] = data
        if string_data:
            obj["stringData"] = string_data
        return obj

    def other_secret(self, name: str, ns: str) -> dict:
        r = self.r
        kind = r.choice(("Opaque", "Opaque", "tls", "basic-auth", "ssh-auth",
                         "service-account-token", "bootstrap", "opaque-plain"))
        meta = {"name": name, "namespace": ns}
        if kind == "Opaque":
            data = {f"{w.upper()}_{i}": b64(token(r, r.randint(8, 48)))
                    for i, w in enumerate(r.sample(WORDS, r.randint(1, 8)))}
            return {"apiVersion": "v1", "kind": "Secret", "metadata": meta, "type": "Opaque", "data": data}
        if kind == "opaque-plain":  # meant as text, stored in data: a warning
            return {"apiVersion": "v1", "kind": "Secret", "metadata": meta,
                    "data": {"password": "admin123", "enabled": "true", "user": "bill"}}
        if kind == "tls":
            return {"apiVersion": "v1", "kind": "Secret", "metadata": meta, "type": "kubernetes.io/tls",
                    "data": {"tls.crt": b64(pem(r, "CERTIFICATE", 900)),
                             "tls.key": b64(pem(r, "PRIVATE KEY", 1200))}}
        if kind == "basic-auth":
            return {"apiVersion": "v1", "kind": "Secret", "metadata": meta,
                    "type": "kubernetes.io/basic-auth",
                    "stringData": {"username": r.choice(USERS), "password": token(r, 24)}}
        if kind == "ssh-auth":
            return {"apiVersion": "v1", "kind": "Secret", "metadata": meta, "type": "kubernetes.io/ssh-auth",
                    "data": {"ssh-privatekey": b64(pem(r, "OPENSSH PRIVATE KEY", 400))}}
        if kind == "service-account-token":
            meta["annotations"] = {"kubernetes.io/service-account.name": f"{name}-sa"}
            return {"apiVersion": "v1", "kind": "Secret", "metadata": meta,
                    "type": "kubernetes.io/service-account-token"}
        tid = token(r, 6)
        return {"apiVersion": "v1", "kind": "Secret",
                "metadata": {"name": f"bootstrap-token-{tid}", "namespace": "kube-system"},
                "type": "bootstrap.kubernetes.io/token",
                "stringData": {"token-id": tid, "token-secret": token(r, 16),
                               "usage-bootstrap-authentication": "true",
                               "usage-bootstrap-signing": "true"}}

    def sops(self, obj: dict) -> str:
        """The same Secret as `sops --encrypt` leaves it in git."""
        r = self.r

        def enc(v: str) -> str:
            return (f"ENC[AES256_GCM,data:{b64(r.randbytes(max(1, len(v) * 3 // 4)))},"
                    f"iv:{b64(r.randbytes(32))},tag:{b64(r.randbytes(16))},type:str]")

        for field in ("data", "stringData"):
            if field in obj:
                obj[field] = {k: enc(v) for k, v in obj[field].items()}
        obj["sops"] = {
            "kms": [{"arn": f"arn:aws:kms:{r.choice(REGIONS)}:{r.randint(10**11, 10**12 - 1)}:key/"
                            f"{token(r, 8)}-{token(r, 4)}-{token(r, 4)}-{token(r, 4)}-{token(r, 12)}",
                     "created_at": "2024-03-14T09:26:53Z", "enc": b64(r.randbytes(180)),
                     "aws_profile": ""}],
            "age": [{"recipient": "age1" + token(r, 58),
                     "enc": "-----BEGIN AGE ENCRYPTED FILE-----\n" + b64(r.randbytes(180)) +
                            "\n-----END AGE ENCRYPTED FILE-----\n"}],
            "lastmodified": "2024-03-14T09:26:54Z",
            "mac": enc("x" * 64),
            "encrypted_regex": "^(data|stringData)$",
            "version": "3.8.1",
        }
        return to_yaml(obj, r.random() < 0.5)

    # workloads --------------------------------------------------------------

    def container(self, app: str, i: int) -> tuple[dict, bool]:
        r = self.r
        img, private = self.image(app)
        c: dict = {"name": app if i == 0 else r.choice(("sidecar", "proxy", "log-shipper", "migrate", "exporter")) + f"-{i}",
                   "image": img}
        if r.random() < 0.5:
            c["imagePullPolicy"] = r.choice(("IfNotPresent", "Always"))
        if r.random() < 0.3:
            c["args"] = [f"--{w}={token(r, 6)}" for w in r.sample(WORDS, r.randint(1, 5))]
        c["ports"] = [{"name": "http", "containerPort": 8080, "protocol": "TCP"}]
        c["env"] = [{"name": f"{w.upper()}_{j}", "value": token(r, r.randint(4, 30))}
                    for j, w in enumerate(r.sample(WORDS, r.randint(2, 14)))]
        if r.random() < 0.4:
            c["env"].append({"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": f"{app}-db", "key": "password"}}})
        c["resources"] = {"requests": {"cpu": f"{r.choice((50, 100, 250, 500))}m", "memory": f"{r.choice((64, 128, 256, 512))}Mi"},
                          "limits": {"memory": f"{r.choice((256, 512, 1024))}Mi"}}
        if r.random() < 0.6:
            c["readinessProbe"] = {"httpGet": {"path": "/healthz", "port": "http"}, "periodSeconds": 10}
            c["livenessProbe"] = {"httpGet": {"path": "/livez", "port": "http"}, "initialDelaySeconds": 15}
        c["volumeMounts"] = [{"name": "config", "mountPath": f"/etc/{app}", "readOnly": True}]
        return c, private

    def pod_spec(self, app: str) -> dict:
        r = self.r
        containers, private = [], False
        for i in range(r.choice((1, 1, 1, 2, 2, 3, 4))):
            c, p = self.container(app, i)
            containers.append(c)
            private |= p
        spec: dict = {}
        if r.random() < 0.5:
            spec["serviceAccountName"] = app
        if private and r.random() < 0.7 or r.random() < 0.05:
            names = r.sample(self.secret_names, r.randint(1, len(self.secret_names)))
            if r.random() < 0.08:
                names.append("typo-" + names[0])
            spec["imagePullSecrets"] = [{"name": n} for n in names]
        if r.random() < 0.2:
            spec["initContainers"] = [self.container(app, 9)[0]]
        spec["containers"] = containers
        spec["volumes"] = [{"name": "config", "configMap": {"name": f"{app}-config"}}]
        if r.random() < 0.3:
            spec["tolerations"] = [{"key": "dedicated", "operator": "Equal", "value": self.team, "effect": "NoSchedule"}]
        if r.random() < 0.2:
            spec["affinity"] = {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
                {"weight": 100, "podAffinityTerm": {"topologyKey": "kubernetes.io/hostname",
                                                     "labelSelector": {"matchLabels": {"app": app}}}}]}}
        return spec

    def workload(self, app: str, ns: str) -> dict:
        r = self.r
        labels = {"app": app, "app.kubernetes.io/name": app, "team": self.team}
        template = {"metadata": {"labels": labels}, "spec": self.pod_spec(app)}
        meta = {"name": app, "namespace": ns, "labels": labels}
        kind = r.choice(("Deployment",) * 6 + ("StatefulSet", "StatefulSet", "CronJob", "CronJob", "DaemonSet", "Job"))
        if kind == "CronJob":
            template["spec"]["restartPolicy"] = "OnFailure"
            return {"apiVersion": "batch/v1", "kind": kind, "metadata": meta,
                    "spec": {"schedule": f"{r.randint(0, 59)} */{r.randint(1, 12)} * * *",
                             "jobTemplate": {"spec": {"template": template}}}}
        if kind == "Job":
            template["spec"]["restartPolicy"] = "Never"
            return {"apiVersion": "batch/v1", "kind": kind, "metadata": meta,
                    "spec": {"backoffLimit": 3, "template": template}}
        spec: dict = {"selector": {"matchLabels": {"app": app}}, "template": template}
        if kind != "DaemonSet":
            spec = {"replicas": r.randint(1, 6), **spec}
        if kind == "StatefulSet":
            spec["serviceName"] = app
            spec["volumeClaimTemplates"] = [{"metadata": {"name": "data"}, "spec": {
                "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "10Gi"}}}}]
        return {"apiVersion": "apps/v1", "kind": kind, "metadata": meta, "spec": spec}

    def service(self, app: str, ns: str) -> dict:
        return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": app, "namespace": ns},
                "spec": {"selector": {"app": app}, "ports": [{"name": "http", "port": 80, "targetPort": "http"}]}}

    def service_account(self, app: str, ns: str) -> dict:
        sa: dict = {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": app, "namespace": ns}}
        if self.r.random() < 0.3:
            sa["imagePullSecrets"] = [{"name": self.r.choice(self.secret_names)}]
        return sa

    def configmap(self, app: str, ns: str) -> dict:
        r = self.r
        props = "".join(f"{w}.{token(r, 4)} = {token(r, r.randint(4, 40))}\n"
                        for w in r.choices(WORDS, k=r.randint(5, 60)))
        return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": f"{app}-config", "namespace": ns},
                "data": {"LOG_LEVEL": r.choice(("info", "debug", "warn")), "application.properties": props}}

    def dashboard(self, app: str, ns: str) -> dict:
        r = self.r
        panels = [{"id": i, "type": r.choice(("timeseries", "stat", "table", "gauge")),
                   "title": sentence(r, 2, 6),
                   "gridPos": {"h": 8, "w": 12, "x": (i % 2) * 12, "y": i * 8},
                   "targets": [{"expr": f'sum(rate(http_requests_total{{app="{app}",code=~"{c}.."}}[5m])) by (pod)',
                                "refId": chr(65 + j)} for j, c in enumerate(r.sample("2345", r.randint(1, 4)))],
                   "fieldConfig": {"defaults": {"unit": r.choice(("reqps", "s", "bytes", "percent")),
                                                "thresholds": {"mode": "absolute", "steps": [
                                                    {"color": "green", "value": None}, {"color": "red", "value": 80}]}}}}
                  for i in range(r.randint(10, 120))]
        board = json.dumps({"title": f"{app} overview", "uid": token(r, 9), "panels": panels,
                            "schemaVersion": 38}, indent=2)
        return {"apiVersion": "v1", "kind": "ConfigMap",
                "metadata": {"name": f"{app}-dashboard", "namespace": ns, "labels": {"grafana_dashboard": "1"}},
                "data": {f"{app}.json": board + "\n"}}

    # units: each returns [(relative path, text)] -----------------------------

    def unit_kustomize_app(self) -> list:
        """A base and 1-3 overlays that `kubectl kustomize` builds."""
        r = self.r
        app = self.unique(f"{r.choice(NOUNS)}-{r.choice(ROLES)}")
        si = r.random() < 0.5
        base = f"{self.root}/apps/{app}/base"
        ns = self.ns("dev")
        wl = self.workload(app, ns)
        wl_file = "workload.yaml" if r.random() < 0.3 else wl["kind"].lower() + ".yaml"
        pod = wl["spec"]["jobTemplate"]["spec"]["template"] if wl["kind"] == "CronJob" else wl["spec"]["template"]
        image = pod["spec"]["containers"][0]["image"]
        image_name = image.split("@")[0]
        if ":" in image_name.rsplit("/", 1)[-1]:
            image_name = image_name.rsplit(":", 1)[0]
        objs = [(wl_file, wl), ("service.yaml", self.service(app, ns)), ("configmap.yaml", self.configmap(app, ns))]
        if r.random() < 0.5:
            objs.append(("serviceaccount.yaml", self.service_account(app, ns)))
        files, resources = [], []
        for name, obj in objs:
            obj["metadata"].pop("namespace", None)  # bases leave it to the overlays
            files.append((f"{base}/{name}", to_yaml(obj, si)))
            resources.append(name)
        kb: dict = {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization", "resources": resources}
        if r.random() < 0.5:
            kb["commonLabels"] = {"team": self.team}  # deprecated, still everywhere
        else:
            kb["labels"] = [{"pairs": {"team": self.team}, "includeSelectors": False}]
        files.append((f"{base}/kustomization.yaml", to_yaml(kb, si)))
        for env in r.sample(ENVS, r.randint(1, 3)):
            d = f"{self.root}/apps/{app}/overlays/{env}"
            k: dict = {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization",
                       "namespace": self.ns(env), "resources": ["../../base"],
                       "patches": [{"path": "patch.yaml"}],
                       "images": [{"name": image_name, "newTag": f"v1.{r.randint(0, 40)}.{r.randint(0, 9)}"}]}
            patch: dict = {"apiVersion": wl["apiVersion"], "kind": wl["kind"],
                           "metadata": {"name": app, "labels": {"env": env}}}
            if "replicas" in wl["spec"]:
                patch["spec"] = {"replicas": r.randint(1, 10)}
            files.append((f"{d}/patch.yaml", to_yaml(patch, si)))
            gens = []
            if r.random() < 0.4:
                fname = r.choice(("dockerconfig.json", "config.json", "registry.dockerconfigjson"))
                gens.append({"name": r.choice(self.secret_names), "type": "kubernetes.io/dockerconfigjson",
                             "files": [f".dockerconfigjson={fname}"]})
                cfg = self.docker_config(r.randint(1, 3))
                text = json.dumps(cfg, indent="\t") + "\n"
                if r.random() < 0.1:
                    text = json.dumps({"auths": {k2: {} for k2 in cfg["auths"]}, "credsStore": "osxkeychain"}, indent="\t")
                files.append((f"{d}/{fname}", text))
            if r.random() < 0.4:
                gens.append({"name": f"{app}-env", "envs": ["secrets.env"]})
                files.append((f"{d}/secrets.env", "".join(f"{w.upper()}={token(r, 16)}\n" for w in r.sample(WORDS, 5))))
            if gens:
                k["secretGenerator"] = gens
            files.append((f"{d}/kustomization.yaml", to_yaml(k, si)))
        return files

    def unit_helm_chart(self) -> list:
        r = self.r
        chart = self.unique(f"{r.choice(NOUNS)}-{r.choice(ROLES)}")
        d = f"{self.root}/charts/{chart}"
        img, _ = self.image(chart)
        repo, _, tag = img.rpartition(":") if ":" in img.rsplit("/", 1)[-1] else (img, "", "latest")
        values = {"replicaCount": r.randint(1, 5), "image": {"repository": repo, "tag": tag, "pullPolicy": "IfNotPresent"},
                  "imagePullSecrets": [{"name": n} for n in r.sample(self.secret_names, 1)],
                  "imageCredentials": {"registry": r.choice(self.registries), "username": "", "password": ""},
                  "service": {"type": "ClusterIP", "port": 80},
                  "resources": {"limits": {"memory": "512Mi"}, "requests": {"cpu": "100m"}},
                  "config": {w: token(r, 8) for w in r.sample(WORDS, r.randint(3, 25))}}
        tpl_deploy = f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{{{ include "{chart}.fullname" . }}}}
  labels:
    {{{{- include "{chart}.labels" . | nindent 4 }}}}
spec:
  {{{{- if not .Values.autoscaling.enabled }}}}
  replicas: {{{{ .Values.replicaCount }}}}
  {{{{- end }}}}
  selector:
    matchLabels:
      {{{{- include "{chart}.selectorLabels" . | nindent 6 }}}}
  template:
    metadata:
      annotations:
        checksum/config: {{{{ include (print $.Template.BasePath "/configmap.yaml") . | sha256sum }}}}
      labels:
        {{{{- include "{chart}.selectorLabels" . | nindent 8 }}}}
    spec:
      {{{{- with .Values.imagePullSecrets }}}}
      imagePullSecrets:
        {{{{- toYaml . | nindent 8 }}}}
      {{{{- end }}}}
      containers:
        - name: {{{{ .Chart.Name }}}}
          image: "{{{{ .Values.image.repository }}}}:{{{{ .Values.image.tag | default .Chart.AppVersion }}}}"
          imagePullPolicy: {{{{ .Values.image.pullPolicy }}}}
          ports:
            - name: http
              containerPort: {{{{ .Values.service.port }}}}
          resources:
            {{{{- toYaml .Values.resources | nindent 12 }}}}
"""
        tpl_secret = f"""{{{{- if .Values.imageCredentials.username }}}}
apiVersion: v1
kind: Secret
metadata:
  name: {{{{ include "{chart}.fullname" . }}}}-registry
type: kubernetes.io/dockerconfigjson
data:
  .dockerconfigjson: {{{{ template "imagePullSecret" . }}}}
{{{{- end }}}}
"""
        helpers = f"""{{{{- define "{chart}.fullname" -}}}}
{{{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}}}
{{{{- end }}}}
{{{{- define "{chart}.labels" -}}}}
helm.sh/chart: {{{{ .Chart.Name }}}}-{{{{ .Chart.Version }}}}
{{{{ include "{chart}.selectorLabels" . }}}}
{{{{- end }}}}
{{{{- define "{chart}.selectorLabels" -}}}}
app.kubernetes.io/name: {{{{ .Chart.Name }}}}
app.kubernetes.io/instance: {{{{ .Release.Name }}}}
{{{{- end }}}}
{{{{- define "imagePullSecret" }}}}
{{{{- with .Values.imageCredentials }}}}
{{{{- printf "{{\\"auths\\":{{\\"%s\\":{{\\"username\\":\\"%s\\",\\"password\\":\\"%s\\",\\"auth\\":\\"%s\\"}}}}}}" .registry .username .password (printf "%s:%s" .username .password | b64enc) | b64enc }}}}
{{{{- end }}}}
{{{{- end }}}}
"""
        tpl_cm = f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: {{{{ include "{chart}.fullname" . }}}}
data:
{{{{- range $k, $v := .Values.config }}}}
  {{{{ $k }}}}: {{{{ $v | quote }}}}
{{{{- end }}}}
"""
        tpl_svc = f"""apiVersion: v1
kind: Service
metadata:
  name: {{{{ include "{chart}.fullname" . }}}}
spec:
  type: {{{{ .Values.service.type }}}}
  ports:
    - port: {{{{ .Values.service.port }}}}
      targetPort: http
  selector:
    {{{{- include "{chart}.selectorLabels" . | nindent 4 }}}}
"""
        return [
            (f"{d}/Chart.yaml", to_yaml({"apiVersion": "v2", "name": chart, "description": sentence(r, 4, 12),
                                         "type": "application", "version": f"0.{r.randint(1, 30)}.{r.randint(0, 9)}",
                                         "appVersion": f"\"{r.randint(1, 3)}.{r.randint(0, 20)}\""})),
            (f"{d}/values.yaml", "# Default values for " + chart + ".\n" + to_yaml(values, True)),
            (f"{d}/templates/_helpers.tpl", helpers),
            (f"{d}/templates/deployment.yaml", tpl_deploy),
            (f"{d}/templates/secret.yaml", tpl_secret),
            (f"{d}/templates/configmap.yaml", tpl_cm),
            (f"{d}/templates/service.yaml", tpl_svc),
            (f"{d}/README.md", f"# {chart}\n\n{sentence(r, 20, 80)}\n\n```console\nhelm install {chart} ./{chart}\n```\n"),
        ]

    def unit_secrets(self) -> list:
        r = self.r
        files = []
        for _ in range(r.randint(1, 4)):
            env = r.choice(ENVS)
            name = self.unique(r.choice(self.secret_names) if r.random() < 0.5 else f"{r.choice(NOUNS)}-{r.choice(('db', 'api', 'tls', 'token'))}")
            ns = self.ns(env)
            obj = self.pull_secret(name, ns) if r.random() < 0.55 else self.other_secret(name, ns)
            if r.random() < 0.15:
                files.append((f"{self.root}/secrets/{env}/{name}.enc.yaml", self.sops(obj)))
            else:
                files.append((f"{self.root}/secrets/{env}/{name}.yaml", to_yaml(obj, r.random() < 0.5)))
        return files

    def unit_cluster_bundle(self) -> list:
        """Deep folders and multi-document files, as flux/argo repos lay them out."""
        r = self.r
        env = r.choice(ENVS)
        cluster = f"{r.choice(REGIONS)}-{env}-{r.randint(1, 3)}"
        app = self.unique(f"{r.choice(NOUNS)}-{r.choice(ROLES)}")
        ns = self.ns(env)
        d = f"clusters/{cluster}/namespaces/{ns}/workloads/{app}/manifests/generated"
        docs = [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}},
                self.service_account(app, ns), self.workload(app, ns), self.service(app, ns),
                self.configmap(app, ns)]
        if r.random() < 0.5:
            docs.append(self.pull_secret(r.choice(self.secret_names), ns))
        for _ in range(r.randint(0, 3)):
            docs.append(self.workload(self.unique(f"{app}-{r.choice(ROLES)}"), ns))
        si = r.random() < 0.5
        files = [(f"{d}/all-in-one.yaml", stream(docs, si, lead=r.random() < 0.5)),
                 (f"clusters/{cluster}/namespaces/{ns}/workloads/{app}/kustomization.yaml",
                  to_yaml({"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization",
                           "resources": ["manifests/generated/all-in-one.yaml"]} if r.random() < 0.7
                          else {"resources": ["manifests/generated/all-in-one.yaml"]}))]
        if r.random() < 0.3:
            files.append((f"clusters/{cluster}/namespaces/{ns}/workloads/{app}/Makefile",
                          "render:\n\tkustomize build . > manifests/generated/all-in-one.yaml\n"))
        return files

    def unit_crd(self) -> list:
        r = self.r
        kind = self.unique(r.choice(NOUNS).capitalize() + r.choice(("Policy", "Config", "Route", "Pipeline", "Cluster", "Binding")))
        group = f"{r.choice(NOUNS)}.{self.company}.io"
        budget = int(r.lognormvariate(10.8, 0.8))  # median ~50 KB, tail to ~500 KB

        def schema(depth: int, left: list) -> dict:
            props = {}
            for _ in range(r.randint(3, 9)):
                if left[0] <= 0:
                    break
                name = r.choice(WORDS) + r.choice(WORDS).capitalize()
                desc = sentence(r, 8, 40)
                left[0] -= len(desc) + 60
                if depth < 6 and r.random() < 0.35:
                    if r.random() < 0.3:
                        props[name] = {"description": desc, "type": "array", "items": {"type": "object", "properties": schema(depth + 1, left)}}
                    else:
                        props[name] = {"description": desc, "type": "object", "properties": schema(depth + 1, left),
                                       "required": [name]}
                else:
                    t = r.choice(("string", "string", "integer", "boolean"))
                    p: dict = {"description": desc, "type": t}
                    if t == "string" and r.random() < 0.3:
                        p["enum"] = r.sample(("Always", "Never", "IfNotPresent", "Retain", "Delete"), 3)
                    if t == "integer":
                        p["format"] = "int32"
                        p["minimum"] = 0
                    props[name] = p
            return props

        versions = []
        for v in ("v1alpha1", "v1beta1", "v1")[: r.randint(1, 3)]:
            left = [budget // 2]
            top = {}
            while left[0] > 0:
                top.update(schema(1, left))
            versions.append({"name": v, "served": True, "storage": v == "v1" or len(versions) == 0,
                             "schema": {"openAPIV3Schema": {"description": sentence(r, 10, 30), "type": "object",
                                                            "properties": {"apiVersion": {"type": "string"}, "kind": {"type": "string"},
                                                                           "metadata": {"type": "object"},
                                                                           "spec": {"type": "object", "properties": top}}}},
                             "subresources": {"status": {}}})
        plural = kind.lower() + "s"
        crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
               "metadata": {"name": f"{plural}.{group}", "annotations": {"controller-gen.kubebuilder.io/version": "v0.13.0"}},
               "spec": {"group": group, "names": {"kind": kind, "listKind": kind + "List", "plural": plural, "singular": kind.lower()},
                        "scope": "Namespaced", "versions": versions}}
        return [(f"{self.root}/crds/{group}_{plural}.yaml", "---\n" + to_yaml(crd, False))]

    def unit_json(self) -> list:
        r = self.r
        app = self.unique(f"{r.choice(NOUNS)}-{r.choice(ROLES)}")
        ns = self.ns()
        if r.random() < 0.3:
            obj = self.pull_secret(app + "-pull", ns)
        elif r.random() < 0.5:
            obj = {"apiVersion": "v1", "kind": "List", "items": [self.workload(app, ns), self.service(app, ns)]}
        else:
            obj = self.workload(app, ns)
        return [(f"{self.root}/json/{app}.json", json.dumps(obj, indent=r.choice((2, 4))) + "\n")]

    def unit_docker_config(self) -> list:
        r = self.r
        cfg: dict = self.docker_config(r.randint(1, 4))
        roll = r.random()
        if roll < 0.2:
            cfg = {"auths": {k: {} for k in cfg["auths"]}, "credsStore": r.choice(("desktop", "osxkeychain", "pass"))}
        elif roll < 0.3:
            cfg["credHelpers"] = {"gcr.io": "gcloud", "public.ecr.aws": "ecr-login"}
        if r.random() < 0.3:
            cfg["HttpHeaders"] = {"User-Agent": "Docker-Client/24.0.7 (linux)"}
        where = self.unique(r.choice(("ci", "tools/ci", "build", "deploy/runner", "hack/dev")))
        return [(f"{self.root}/{where}/.docker/config.json", json.dumps(cfg, indent="\t") + "\n")]

    def unit_dashboard(self) -> list:
        app = self.unique(f"{self.r.choice(NOUNS)}-{self.r.choice(ROLES)}")
        return [(f"{self.root}/observability/dashboards/{app}.yaml", to_yaml(self.dashboard(app, "monitoring")))]

    UNITS = (("unit_kustomize_app", 30), ("unit_secrets", 18), ("unit_cluster_bundle", 12),
             ("unit_helm_chart", 7), ("unit_json", 8), ("unit_docker_config", 3),
             ("unit_dashboard", 5), ("unit_crd", 2))


def generator_digest() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def build_shard(args: tuple) -> tuple[int, int]:
    """Writes one shard; returns (files, bytes)."""
    out, seed, index, budget = args
    shard = Shard(seed, index, random.Random(f"regcred-corpus:{seed}"))
    names = [n for n, _ in Shard.UNITS]
    weights = [w for _, w in Shard.UNITS]
    made_dirs: set[str] = set()
    files = written = 0
    while written < budget:
        unit = shard.r.choices(names, weights)[0]
        for rel, text in getattr(shard, unit)():
            data = text.encode()
            path = os.path.join(out, rel)
            parent = os.path.dirname(path)
            if parent not in made_dirs:
                os.makedirs(parent, exist_ok=True)
                made_dirs.add(parent)
            with open(path, "wb") as f:
                f.write(data)
            files += 1
            written += len(data)
    return files, written


def read_stamp(out: Path) -> dict:
    try:
        return json.loads((out / STAMP).read_text())
    except (OSError, ValueError):
        return {}


def generate(out: Path, budget: int, seed: int, jobs: int, force: bool, quiet: bool = False) -> dict:
    want = {"seed": seed, "budget": budget, "generator": generator_digest()}
    stamp = read_stamp(out)
    if not force and all(stamp.get(k) == v for k, v in want.items()):
        if not quiet:
            print(f"{out}: up to date ({stamp['files']} files, {stamp['bytes'] / MB:.1f} MB)", file=sys.stderr)
        return stamp
    if out.exists():
        if any(out.iterdir()) and not (out / STAMP).exists() and not force:
            sys.exit(f"error: {out} exists, is not empty and is not a corpus; pass --force to replace it")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shards = max(1, round(budget / SHARD_BYTES))
    per = budget // shards
    t0 = time.monotonic()
    tasks = [(str(out), seed, i, per) for i in range(shards)]
    if jobs > 1 and shards > 1:
        with multiprocessing.Pool(jobs) as pool:
            results = pool.map(build_shard, tasks, chunksize=1)
    else:
        results = [build_shard(t) for t in tasks]
    files = sum(f for f, _ in results)
    nbytes = sum(b for _, b in results)
    stamp = {**want, "files": files, "bytes": nbytes, "seconds": round(time.monotonic() - t0, 1)}
    (out / STAMP).write_text(json.dumps(stamp) + "\n")
    if not quiet:
        print(f"{out}: {files} files, {nbytes / MB:.1f} MB in {stamp['seconds']} s", file=sys.stderr)
    return stamp


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", choices=sorted(SIZES), default="small")
    ap.add_argument("--mb", type=float, help="byte budget in MB (overrides --size)")
    ap.add_argument("--out", type=Path, help="output directory (default /tmp/regcred-corpus-SIZE)")
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    ap.add_argument("--force", action="store_true", help="regenerate even if the stamp matches")
    a = ap.parse_args()
    budget = int(a.mb * MB) if a.mb else SIZES[a.size]
    out = a.out or Path(f"/tmp/regcred-corpus-{a.size if not a.mb else f'{a.mb:g}mb'}")
    generate(out, budget, a.seed, max(1, a.jobs), a.force)


if __name__ == "__main__":
    main()
