#!/usr/bin/env python3
"""regcred benchmark: one command, prints Markdown tables for the README.

    python3 benches/run.py                     # medium corpus (50 MB), 5 rounds
    python3 benches/run.py --size large        # 500 MB / ~200k files
    python3 benches/run.py --quick             # CI: small corpus, 3 rounds, no peers
    python3 benches/run.py --install-peers     # first install yamllint, check-yaml,
                                               # kubernetes-validate, checkov in a venv
    python3 benches/run.py --growth            # also generate every size for the growth line

What it does (details and column meanings: benches/README.md):
  1. builds `regcred` (release) and the parse-only bench binary with cargo;
  2. generates or reuses the corpus (benches/gen_corpus.py; deterministic,
     kept under /tmp/regcred-corpus-SIZE, never in the repository);
  3. warms the page cache with one untimed round, then times N rounds; each
     round runs every contender once as a whole process, order rotated per
     round; wall time from perf_counter, peak RSS from os.wait4's ru_maxrss
     (which covers the children xargs starts);
  4. prints medians and ratios against the `cat` floor (and `regcred create`
     against kubectl). It never asserts a target: it reports.

A contender that is not available (a regcred subcommand or flag not built yet,
a peer not installed) is reported as n/a with the reason; a contender whose
warm-up run takes longer than --slow seconds is timed from that single run.
Python 3.11 standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True  # keep benches/__pycache__ out of the worktree
import gen_corpus  # noqa: E402  (sibling module, stdlib only)
import gen_shapes  # noqa: E402

PEERS_VENV = Path("/tmp/regcred-bench-venv")
PEER_PACKAGES = ("yamllint", "pre-commit-hooks", "kubernetes-validate", "checkov")
YAML_EXT = (".yaml", ".yml", ".json")
MiB = 1 << 20
GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# building


def cargo_executables(args: list[str]) -> dict[str, str]:
    """Runs a cargo build command; returns {target name: executable path}."""
    cmd = ["cargo", *args, "--message-format=json-render-diagnostics"]
    proc = subprocess.run(cmd, cwd=REPO, stdout=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        sys.exit(f"error: `{' '.join(cmd)}` failed (exit {proc.returncode})")
    found = {}
    for line in proc.stdout.splitlines():
        try:
            msg = json.loads(line)
        except ValueError:
            continue
        if msg.get("reason") == "compiler-artifact" and msg.get("executable"):
            found[msg["target"]["name"]] = msg["executable"]
    return found


def build(a: argparse.Namespace) -> tuple[str, str]:
    regcred, parse_only = a.regcred, a.parse_only
    if not a.no_build:
        if not regcred:
            log("building regcred (cargo build --release) ...")
            regcred = cargo_executables(["build", "--release", "--bin", "regcred"]).get("regcred")
        if not parse_only:
            log("building the parse-only floor (cargo bench --no-run) ...")
            parse_only = cargo_executables(["bench", "--bench", "parse_only", "--no-run"]).get("parse_only")
    regcred = regcred or str(REPO / "target/release/regcred")
    if not parse_only:
        sys.exit("error: --no-build needs --parse-only PATH (the parse_only bench executable)")
    return regcred, parse_only


def install_peers(venv: Path) -> None:
    log(f"installing peers into {venv} ...")
    if not (venv / "bin/python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin/pip"), "install", "-q", "--upgrade", *PEER_PACKAGES], check=True)


# --------------------------------------------------------------------------
# corpus


@dataclass
class Corpus:
    name: str
    root: Path
    files: list[str]          # every regular file, sorted, relative
    sizes: dict[str, int]
    yaml: list[str]           # .yaml .yml .json
    lists: Path               # directory with NUL-separated file lists

    @property
    def bytes(self) -> int:
        return sum(self.sizes.values())

    def bytes_of(self, files: list[str]) -> int:
        return sum(self.sizes[f] for f in files)

    def write_list(self, name: str, files: list[str]) -> Path:
        path = self.lists / name
        path.write_bytes(b"".join(os.fsencode(str(self.root / f)) + b"\0" for f in files))
        return path

    def spread(self, files: list[str], max_bytes: int) -> list[str]:
        """Every k-th file, so a subset has the corpus's mix of kinds."""
        total = self.bytes_of(files)
        if total <= max_bytes:
            return files
        step = max(1, round(total / max_bytes))
        return files[::step]


def load_corpus(a: argparse.Namespace, size: str, tmp: Path, generate_missing: bool = True) -> Corpus | None:
    root = Path(a.corpus_dir) / f"regcred-corpus-{size}"
    budget = gen_corpus.SIZES[size]
    stamp = gen_corpus.read_stamp(root)
    fresh = stamp.get("seed") == a.seed and stamp.get("budget") == budget \
        and stamp.get("generator") == gen_corpus.generator_digest()
    if not fresh:
        if not generate_missing:
            return None
        log(f"generating the {size} corpus into {root} ...")
        gen_corpus.generate(root, budget, a.seed, len(os.sched_getaffinity(0)), force=False)
    files, sizes = [], {}
    for dirpath, _dirs, names in os.walk(root):
        for n in names:
            p = os.path.join(dirpath, n)
            rel = os.path.relpath(p, root)
            if rel == gen_corpus.STAMP:
                continue
            files.append(rel)
            sizes[rel] = os.path.getsize(p)
    files.sort()
    lists = tmp / size
    lists.mkdir(parents=True, exist_ok=True)
    return Corpus(size, root, files, sizes, [f for f in files if f.endswith(YAML_EXT)], lists)


# --------------------------------------------------------------------------
# contenders and timing


@dataclass
class Contender:
    name: str
    argv: list[str]
    table: str                     # which table it belongs to
    nbytes: int = 0                # input bytes it reads
    nfiles: int = 0
    scale: float = 1.0             # full-corpus bytes / bytes read (subset runs)
    cwd: Path | None = None
    stdin: Path | None = None
    env: dict = field(default_factory=dict)
    before: object = None          # called before each run, untimed (e.g. an edit)
    ok_exits: tuple = (0, 1)
    na: str | None = None          # reason it cannot run
    note: str = ""
    times: list = field(default_factory=list)
    rss: list = field(default_factory=list)
    failures: list = field(default_factory=list)


def run_once(c: Contender, timeout: float, rss: bool) -> tuple[float, int | None, int, str]:
    """Runs c once; returns (seconds, peak RSS in bytes or None, exit status, stderr head).

    Peak RSS comes from GNU time (`%M`, its child's ru_maxrss, which covers
    the children xargs starts). os.wait4 from this process cannot give it:
    Linux carries the forking parent's (Python's, ~25 MiB) high-water mark
    into the child's ru_maxrss at exec. So RSS runs go through /usr/bin/time
    (a 1-2 MiB process) and timing runs do not, to keep its start-up out of
    the wall time.
    """
    env = {**os.environ, "NO_COLOR": "1", **c.env}
    argv = c.argv
    if c.before:
        c.before()
    with tempfile.NamedTemporaryFile() as mem, tempfile.TemporaryFile() as err:
        if rss and GNU_TIME:
            argv = [GNU_TIME, "-f", "%M", "-o", mem.name, "--", *argv]
        stdin = open(c.stdin, "rb") if c.stdin else subprocess.DEVNULL
        try:
            t0 = time.perf_counter()
            proc = subprocess.Popen(argv, cwd=c.cwd, env=env, stdin=stdin,
                                    stdout=subprocess.DEVNULL, stderr=err)
            timer = threading.Timer(timeout, proc.kill)
            timer.start()
            _pid, status, _ru = os.wait4(proc.pid, 0)
            dt = time.perf_counter() - t0
            timer.cancel()
            proc.returncode = code = os.waitstatus_to_exitcode(status)
        finally:
            if c.stdin:
                stdin.close()
        if dt >= timeout:
            return dt, None, -9, f"timed out after {timeout:.0f} s"
        peak = None
        if rss and GNU_TIME:
            lines = Path(mem.name).read_text().split()
            if lines and lines[-1].isdigit():
                peak = int(lines[-1]) * 1024
        err.seek(0)
        head = err.read(400).decode(errors="replace").strip().splitlines()
    return dt, peak, code, head[0][:100] if head else ""


def measure(contenders: list[Contender], rounds: int, slow: float, timeout: float) -> None:
    live = [c for c in contenders if not c.na]
    log(f"warm-up round ({len(live)} contenders) ...")
    single = set()
    for c in live:
        dt, rss, code, err = run_once(c, timeout, rss=True)
        if code not in c.ok_exits:
            c.na = f"exit {code}: {err}" if err else f"exit {code}"
            continue
        if rss is not None:
            c.rss.append(rss)
        if dt > slow:
            c.times.append(dt)
            c.note = (c.note + "; " if c.note else "") + "1 run (slow)"
            single.add(c.name)
    live = [c for c in live if not c.na and c.name not in single]
    for i in range(rounds):
        order = live[i % len(live):] + live[:i % len(live)] if live else []
        log(f"round {i + 1}/{rounds} ...")
        for c in order:
            dt, _, code, err = run_once(c, timeout, rss=False)
            if code not in c.ok_exits:
                c.failures.append(f"exit {code}: {err}")
                continue
            c.times.append(dt)


def probe(argv: list[str], cwd: Path | None = None, stdin: Path | None = None,
          want: str | None = None, env: dict | None = None) -> str | None:
    """None when argv runs as a working feature, else a one-line reason."""
    try:
        proc = subprocess.run(argv, cwd=cwd, stdin=open(stdin, "rb") if stdin else subprocess.DEVNULL,
                              capture_output=True, timeout=60, env={**os.environ, "NO_COLOR": "1", **(env or {})})
    except (OSError, subprocess.TimeoutExpired) as e:
        return str(e).splitlines()[0]
    err = proc.stderr.decode(errors="replace").strip().splitlines()
    # Paths in clap's "unexpected argument '...'" would fill the table cell.
    first = re.sub(r"'[^']{40,}'", "'…'", err[0])[:90] if err else ""
    if proc.returncode not in (0, 1):
        return f"exit {proc.returncode}: {first}" if first else f"exit {proc.returncode}"
    out = proc.stdout.decode(errors="replace")
    if want == "json":
        try:
            json.loads(out)
        except ValueError:
            return "output is not JSON"
    elif want and want not in out:
        return f"output lacks {want!r}"
    return None


def peer(venv: Path, name: str) -> str | None:
    exe = venv / "bin" / name
    return str(exe) if exe.exists() else shutil.which(name)


# --------------------------------------------------------------------------
# formatting


def fmt_time(s: float | None) -> str:
    if s is None:
        return "n/a"
    if s < 1:
        return f"{s * 1000:.1f} ms" if s < 0.1 else f"{s * 1000:.0f} ms"
    return f"{s:.2f} s"


def fmt_ratio(x: float | None) -> str:
    if x is None:
        return "n/a"
    return f"{x:.2f}×" if x < 10 else f"{x:.0f}×"


def median(c: Contender) -> float | None:
    return statistics.median(c.times) if c.times else None


def spread(c: Contender) -> str:
    if len(c.times) < 2:
        return ""
    m = statistics.median(c.times)
    return f"±{(max(c.times) - min(c.times)) / 2 / m * 100:.0f}%"


def table(rows: list[Contender], base: Contender | None, base_label: str) -> str:
    ratio_head = f" vs {base_label} |" if base is not None else ""
    out = [f"| contender | files | MB | wall (median) | spread |{ratio_head} peak RSS | note |",
           "|---|---:|---:|---:|---:|" + ("---:|" if base is not None else "") + "---:|---|"]
    b = median(base) if base else None
    for c in rows:
        m = median(c)
        ratio = m * c.scale / b if (m is not None and b) else None
        note = c.na if c.na else c.note
        if c.failures:
            note = (note + "; " if note else "") + f"{len(c.failures)} failed runs: {c.failures[0]}"
        rss = f"{max(c.rss) / MiB:.1f} MiB" if c.rss else ("n/a" if GNU_TIME else "n/a (no /usr/bin/time)")
        ratio_s = fmt_ratio(ratio)
        if ratio is not None and c.scale != 1.0:
            ratio_s = "~" + ratio_s
        note = re.sub(r"'[^']{40,}'", "'…'", note).replace("|", "/")
        mb = "" if not c.nbytes else f"{c.nbytes / 1e6:.1f}" if c.nbytes >= 100_000 else f"{c.nbytes / 1e6:.3f}"
        ratio_cell = f" {ratio_s} |" if base is not None else ""
        out.append(f"| {c.name} | {c.nfiles or ''} | {mb} | {fmt_time(m)} | {spread(c)} |{ratio_cell} {rss} | {note} |")
    return "\n".join(out)


# --------------------------------------------------------------------------
# the benchmark


def corpus_contenders(a, corpus: Corpus, regcred: str, parse_only: str, lint: str | None,
                      lint_all: str | None, threads: int) -> list[Contender]:
    all_list = corpus.write_list("all", corpus.files)
    yaml_list = corpus.write_list("yaml", corpus.yaml)
    nb_all, nb_yaml = corpus.bytes, corpus.bytes_of(corpus.yaml)
    full = dict(table="corpus", nbytes=nb_all, nfiles=len(corpus.files))
    yfull = dict(table="corpus", nbytes=nb_yaml, nfiles=len(corpus.yaml))
    cs = [
        Contender("cat (floor: read every file)", ["xargs", "-0", "-a", str(all_list), "cat"], **full),
        Contender("parse-only (saphyr, 1 thread)", [parse_only, str(corpus.root)], ok_exits=(0,), **yfull),
    ]
    for n in (1, threads) if threads > 1 else (1,):
        argv = [regcred, "lint", str(corpus.root), "--format", "json", "--threads", str(n)]
        cs.append(Contender(f"regcred lint --threads {n}", argv, na=lint if n == 1 else lint_all, **full))
    if a.no_peers:
        return cs
    venv = Path(a.peers_venv)
    peer_max = int(a.peer_max_mb * 1e6)
    sub = corpus.spread(corpus.yaml, peer_max)
    sub_list = corpus.write_list("yaml-subset", sub) if sub is not corpus.yaml else yaml_list
    ck = corpus.spread(corpus.yaml, int(a.checkov_mb * 1e6))
    ck_list = corpus.write_list("checkov-subset", ck)

    def peer_contender(label: str, exe_name: str, args: list[str], files: list[str], lst: Path,
                       pre_xargs: list[str] | None = None) -> Contender:
        exe = peer(venv, exe_name)
        nb = corpus.bytes_of(files)
        c = Contender(label, ["xargs", "-0", "-a", str(lst), *(pre_xargs or []), exe or exe_name, *args],
                      table="corpus", nbytes=nb, nfiles=len(files), ok_exits=tuple(range(0, 124)),
                      scale=nb_yaml / nb if nb else 1.0)
        if not exe:
            c.na = "not installed (run with --install-peers)"
        elif files is not corpus.yaml:
            c.note = f"subset: {len(files)} of {len(corpus.yaml)} YAML/JSON files, time scaled per byte"
        return c

    if sub is not corpus.yaml:
        nb = corpus.bytes_of(sub)
        # Like the peers, only these files: an empty context folder, else
        # regcred indexes the whole corpus around them (see pre-commit).
        no_context = corpus.lists / "empty-context"
        no_context.mkdir(exist_ok=True)
        cs.append(Contender(f"regcred lint --threads {threads}, peers' subset",
                            [regcred, "lint", "--format", "json", "--threads", str(threads),
                             "--context", str(no_context), *sub],
                            table="corpus", cwd=corpus.root, nbytes=nb, nfiles=len(sub), scale=nb_yaml / nb, na=lint_all,
                            note="the files the peers below read, no context; time scaled per byte"))
    cs.append(peer_contender("yamllint", "yamllint", ["-f", "parsable"], sub, sub_list))
    cs.append(peer_contender("check-yaml (pre-commit-hooks)", "check-yaml", ["--allow-multiple-documents"], sub, sub_list))
    # kubernetes-validate stops at the first file PyYAML cannot read (a Helm
    # template, a tab-indented config.json as docker writes it), so it reads
    # only the files it can get through.
    kv = [f for f in sub if not f.endswith(".json") and "/templates/" not in f]
    kv_peer = peer_contender("kubernetes-validate", "kubernetes-validate", ["--quiet"], kv,
                             corpus.write_list("kv-subset", kv))
    kv_peer.note = "only .yaml outside Helm templates; " + kv_peer.note
    cs.append(kv_peer)
    cs.append(peer_contender("checkov (kubernetes)", "checkov",
                             ["--framework", "kubernetes", "--quiet", "--compact", "--skip-download", "-f"],
                             ck, ck_list, pre_xargs=["-n", "100000", "-s", "2000000"]))
    # No network: no guideline mapping download, no PyPI update check at import.
    cs[-1].env = {"BC_SKIP_MAPPING": "TRUE", "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true"}
    return cs


def precommit_contenders(corpus: Corpus, regcred: str, lint: str | None) -> list[Contender]:
    """1 and 5 changed files, linted with the whole repository as context."""
    patterns = ("/base/deployment.yaml", "/secrets/", "/overlays/", "all-in-one.yaml", "/json/")
    picked = []
    for p in patterns:
        hit = next((f for f in corpus.yaml if p in "/" + f and f not in picked), None)
        if hit:
            picked.append(hit)
    cs = []
    for n in (1, 5):
        files = picked[:n]
        argv = [regcred, "lint", "--format", "json", "--context", str(corpus.root), *files]
        env = {"XDG_CACHE_HOME": str(corpus.lists / "user-cache")}
        reason = lint
        if not reason:
            reason = probe(argv, cwd=corpus.root, want="json", env=env)
        # The warm-up run fills the context cache (in a folder of this run's,
        # not ~/.cache): the timed runs are second runs, as in pre-commit.
        cs.append(Contender(f"regcred lint, {n} file{'s' if n > 1 else ''}, --context {corpus.name} corpus "
                            "(warm context cache)",
                            argv, table="precommit", cwd=corpus.root, nbytes=corpus.bytes_of(files),
                            nfiles=n, na=reason, env=env))
    return cs


def create_contenders(regcred: str, kubectl: str, tmp: Path) -> list[Contender]:
    pw = tmp / "password"
    pw.write_text("s3cret-bench-password")
    server, user = "registry.example.com", "alice"
    mine = [regcred, "create", "regcred", "--docker-server", server, "--docker-username", user,
            "--docker-password-stdin", "-o", "yaml"]
    theirs = [kubectl, "create", "secret", "docker-registry", "regcred", f"--docker-server={server}",
              f"--docker-username={user}", "--docker-password=s3cret-bench-password",
              "--dry-run=client", "-o", "yaml"]
    env = {"KUBECONFIG": "/nonexistent"}
    k = Contender("kubectl create secret docker-registry --dry-run=client", theirs, table="create", env=env,
                  ok_exits=(0,))
    if not Path(kubectl).exists() and not shutil.which(kubectl):
        k.na = f"{kubectl} not found"
    r = Contender("regcred create", mine, table="create", stdin=pw, ok_exits=(0,),
                  na=probe(mine, stdin=pw, want="kind: Secret"))
    return [r, k]


def growth(a, sizes: list[str], tmp: Path, regcred: str, lint: str | None, threads: int,
           known: dict) -> str:
    """known: {size: (corpus, [cat, lint 1 thread, lint all])} already measured."""
    rows = ["| corpus | files | MB | cat | regcred --threads 1 | regcred --threads all | "
            "cat ms/MB | regcred 1 ms/MB | regcred all ms/MB |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for size in sizes:
        if size in known:
            corpus, cs = known[size]
        else:
            corpus = load_corpus(a, size, tmp, generate_missing=a.growth)
            if corpus is None:
                rows.append(f"| {size} | | | not generated (run with --growth) | | | | | |")
                continue
            lst = corpus.write_list("all", corpus.files)
            cs = [Contender("cat", ["xargs", "-0", "-a", str(lst), "cat"], table="growth")]
            for n in (1, threads):
                cs.append(Contender(f"regcred {n}", [regcred, "lint", str(corpus.root), "--format", "json",
                                                     "--threads", str(n)], table="growth", na=lint))
            log(f"growth: {size} corpus")
            measure(cs, a.growth_rounds, a.slow, a.timeout)
        mb = corpus.bytes / 1e6
        meds = [median(c) for c in cs]
        cells = [fmt_time(m) for m in meds] + [f"{m * 1000 / mb:.2f}" if m is not None else "n/a" for m in meds]
        rows.append(f"| {size} | {len(corpus.files)} | {mb:.1f} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


SHAPES_STAMP = ".shapes-stamp"


def load_shapes(a: argparse.Namespace) -> Path:
    """Generates the shapes (benches/gen_shapes.py) unless the stamp matches."""
    root = Path(a.corpus_dir) / "regcred-shapes"
    want = {"seed": a.seed, "dense_mb": a.dense_mb, "generator": gen_shapes.generator_digest()}
    try:
        fresh = json.loads((root / SHAPES_STAMP).read_text()) == want
    except (OSError, ValueError):
        fresh = False
    if not fresh:
        log(f"generating the shapes into {root} ...")
        if root.exists():
            shutil.rmtree(root)
        gen_shapes.generate(root, a.seed, None, a.dense_mb)
        (root / SHAPES_STAMP).write_text(json.dumps(want))
    return root


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def shape_contenders(a, root: Path, regcred: str, tmp: Path, threads: int) -> list[tuple]:
    """(label, target, contender, baseline contender, bound) per shape row:
    the row's ratio is contender / baseline, timed in the same rounds."""
    rows = []

    def lint(name: str, label: str, stdin: bool = False) -> Contender:
        folder = root / name
        f = folder / f"{name}.yaml"
        argv = [regcred, "lint", "--format", "json", "--threads", str(threads)]
        c = Contender(label, argv + (["-"] if stdin else [f.name]), table="shapes", cwd=folder,
                      stdin=f if stdin else None, nbytes=f.stat().st_size, nfiles=1)
        return c

    ascii_, nonascii = lint("stream-ascii", "6,000 Deployments, `lint -`, ASCII", True), \
        lint("stream-nonascii", "the same after `# café`", True)
    rows.append(("one non-ASCII character", "1×", nonascii, ascii_, 1.0))
    for small, large, what in (("secrets-20000", "secrets-80000", "Secrets in one file"),
                               ("pod-10000", "pod-40000", "containers in one Pod")):
        n_small, n_large = small.split("-")[1], large.split("-")[1]
        cs, cl = lint(small, f"{int(n_small):,} {what}"), lint(large, f"{int(n_large):,} {what}")
        rows.append((f"4× the {what.split()[0].lower()} in one {'file' if 'file' in what else 'Pod'}",
                     "≤ 6×", cl, cs, 6.0))
    dense = root / "dense"
    files = files_under(dense)
    lst = tmp / "dense-files"
    lst.write_bytes(b"".join(os.fsencode(str(f)) + b"\0" for f in files))
    nb = sum(f.stat().st_size for f in files)
    cat = Contender("cat of the dense repository", ["xargs", "-0", "-a", str(lst), "cat"], table="shapes",
                    nbytes=nb, nfiles=len(files))
    d = Contender(f"dense repository, `lint --threads {threads}`",
                  [regcred, "lint", str(dense), "--format", "json", "--threads", str(threads)],
                  table="shapes", nbytes=nb, nfiles=len(files))
    rows.append(("dense repository (every file a Secret or a workload) vs cat", "≤ 1.5×", d, cat, 1.5))
    picked = files[:: max(1, len(files) // 5)][:5]
    rel = [str(f.relative_to(dense)) for f in picked]
    empty = tmp / "empty-context"
    empty.mkdir(exist_ok=True)
    nbytes = sum(f.stat().st_size for f in picked)
    # The edited runs get a tree of their own (hard links: no copy of the
    # bytes), so that the warm runs' files stay unchanged.
    edited_tree = tmp / "dense-edited"
    if not edited_tree.exists():
        shutil.copytree(dense, edited_tree, copy_function=os.link)
    # A context cache outside git goes to $XDG_CACHE_HOME/regcred: one folder
    # of this run's per contender, filled by its warm-up run. Files changed
    # less than 2 s before a run are not cached (linking changed their
    # change time): wait that out first.
    time.sleep(2.5)

    def precommit(label: str, context: Path, *extra: str) -> Contender:
        env = {"XDG_CACHE_HOME": str(tmp / f"user-cache-{len(label)}-{context.name}")}
        return Contender(label, [regcred, "lint", "--format", "json", *extra, "--context", str(context), *rel],
                         table="shapes", cwd=context, nbytes=nbytes, nfiles=5, env=env)
    alone = precommit("the same 5 files, empty context", empty)
    alone.cwd = dense
    cold = precommit("pre-commit: 5 files, the dense repository as context, `--no-cache`", dense, "--no-cache")
    warm = precommit("pre-commit: the same, second run (warm context cache)", dense)
    edited = precommit("pre-commit: the same, one context file edited before each run", edited_tree)
    one = next(f for f in files if f not in picked)
    edited.before = EditOne(edited_tree / one.relative_to(dense)).toggle
    rows.append(("pre-commit in a large repository, no cache, vs the files alone", "(reference)", cold, alone,
                 None))
    rows.append(("pre-commit in a large repository, warm cache, vs the files alone", "≤ 5×", warm, alone, 5.0))
    rows.append(("pre-commit after one edit, vs the files alone", "≤ 5×", edited, alone, 5.0))
    return rows


class EditOne:
    """Edits one file before each run (a comment line added, then taken
    away), so that its context cache entry is stale every time. The file is
    replaced, not written in place: it is a hard link to the corpus."""

    MARK = b"# edited by benches/run.py\n"

    def __init__(self, path: Path):
        self.path, self.original = path, path.read_bytes()

    def toggle(self) -> None:
        now = self.path.read_bytes()
        fresh = self.path.with_name(self.path.name + ".new")
        fresh.write_bytes(self.original if now.endswith(self.MARK) else self.original + self.MARK)
        fresh.replace(self.path)


def shapes_table(rows: list[tuple]) -> str:
    out = ["| shape | run | MB | wall (median) | paired with | its wall | ratio | target | peak RSS |",
           "|---|---|---:|---:|---|---:|---:|---:|---:|"]
    for label, target, c, base, _bound in rows:
        m, b = median(c), median(base)
        ratio = statistics.median(x / y for x, y in zip(c.times, base.times)) if c.times and base.times else None
        rss = f"{max(c.rss) / MiB:.1f} MiB" if c.rss else "n/a"
        note = f" ({c.na or base.na})" if (c.na or base.na) else ""
        out.append(f"| {label}{note} | {c.name} | {c.nbytes / 1e6:.1f} | {fmt_time(m)} | {base.name} | "
                   f"{fmt_time(b)} | {fmt_ratio(ratio)} | {target} | {rss} |")
    return "\n".join(out)


def run_shapes(a, regcred: str, tmp: Path) -> str:
    root = load_shapes(a)
    rows = shape_contenders(a, root, regcred, tmp, a.threads)
    cs = list({id(c): c for row in rows for c in row[2:4]}.values())
    measure(cs, a.rounds, a.slow, a.timeout)
    return (f"**Shapes** (`benches/gen_shapes.py`, seed {a.seed}; {a.rounds} interleaved rounds; the ratio is "
            f"the median of the per-round ratios of the two runs of a row; regcred {git_rev()})\n\n"
            + shapes_table(rows))


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {len(os.sched_getaffinity(0))} cores, Linux {platform.release()}"


def git_rev() -> str:
    p = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=REPO, capture_output=True, text=True)
    return p.stdout.strip() or "unknown"


def main() -> None:
    ap = argparse.ArgumentParser(description="regcred benchmark (see benches/README.md)")
    ap.add_argument("--size", choices=("small", "medium", "large"), default="medium")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="CI mode: small corpus, 3 rounds, no peers")
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--corpus-dir", default="/tmp", help="where corpora live (default /tmp)")
    ap.add_argument("--install-peers", action="store_true", help=f"pip install {', '.join(PEER_PACKAGES)}")
    ap.add_argument("--peers-venv", default=str(PEERS_VENV))
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--peer-max-mb", type=float, default=5.0,
                    help="yamllint/check-yaml/kubernetes-validate read at most this much (a spread subset)")
    ap.add_argument("--checkov-mb", type=float, default=1.0, help="checkov reads at most this much")
    ap.add_argument("--precommit-size", choices=("small", "medium", "large"), default="medium",
                    help="corpus whose files the pre-commit case lints (default medium)")
    ap.add_argument("--growth", action="store_true", help="generate missing corpora for the growth line")
    ap.add_argument("--growth-rounds", type=int, default=3)
    ap.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)), help="'all threads' value")
    ap.add_argument("--slow", type=float, default=30.0, help="time a contender once if warm-up exceeds this")
    ap.add_argument("--timeout", type=float, default=900.0)
    ap.add_argument("--kubectl", default="/usr/bin/kubectl")
    ap.add_argument("--regcred", help="regcred binary (default: cargo build --release)")
    ap.add_argument("--parse-only", help="parse_only bench binary (default: cargo bench --no-run)")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--json", type=Path, help="also write raw samples as JSON")
    ap.add_argument("--require-regcred", action="store_true",
                    help="exit 1 when a regcred row is n/a or never ran (CI: a missing feature is a failure)")
    ap.add_argument("--shapes", action="store_true",
                    help="also time the shapes (benches/gen_shapes.py): non-ASCII stream, growth in one file, "
                         "dense repository, pre-commit in it")
    ap.add_argument("--shapes-only", action="store_true", help="only the shapes table")
    ap.add_argument("--dense-mb", type=float, default=60.0, help="size of the shapes' dense repository")
    a = ap.parse_args()
    if a.quick:
        a.size, a.rounds, a.no_peers, a.precommit_size = "small", 3, True, "small"
    if os.environ.get("REGCRED_TEST_REQUIRE_PROGRAMS") == "1":
        # In CI (.ci/run sets the variable, as for the tests) a missing
        # measuring tool is a broken setup, not an n/a.
        missing = [t for t, ok in (("GNU time at /usr/bin/time", GNU_TIME),
                                   (f"kubectl at {a.kubectl}", shutil.which(a.kubectl))) if not ok]
        if missing:
            sys.exit(f"error: REGCRED_TEST_REQUIRE_PROGRAMS=1 and missing: {', '.join(missing)}")
    if a.install_peers:
        install_peers(Path(a.peers_venv))
    t_start = time.monotonic()
    if a.shapes_only:
        regcred = a.regcred or (str(REPO / "target/release/regcred") if a.no_build else
                                cargo_executables(["build", "--release", "--bin", "regcred"]).get("regcred"))
        with tempfile.TemporaryDirectory(prefix="regcred-bench-") as tmpname:
            print(run_shapes(a, regcred, Path(tmpname)))
        log(f"done in {time.monotonic() - t_start:.0f} s")
        return
    regcred, parse_only = build(a)
    with tempfile.TemporaryDirectory(prefix="regcred-bench-") as tmpname:
        tmp = Path(tmpname)
        corpus = load_corpus(a, a.size, tmp)
        assert corpus is not None
        probe_file = str(corpus.root / corpus.yaml[0])
        lint = probe([regcred, "lint", probe_file, "--format", "json", "--threads", "1"], want="json")
        lint_all = lint or probe([regcred, "lint", probe_file, "--format", "json", "--threads", str(a.threads)],
                                 want="json")
        cs = corpus_contenders(a, corpus, regcred, parse_only, lint, lint_all, a.threads)
        pc_corpus = corpus if a.precommit_size == a.size else load_corpus(a, a.precommit_size, tmp)
        assert pc_corpus is not None
        pcs = precommit_contenders(pc_corpus, regcred, lint)
        crs = create_contenders(regcred, a.kubectl, tmp)
        measure(cs + pcs, a.rounds, a.slow, a.timeout)
        measure(crs, max(a.rounds, 10), a.slow, a.timeout)
        sizes = ["small", "medium", "large"] if (a.growth or not a.quick) else [a.size]
        lints = [c for c in cs if c.name.startswith("regcred lint --threads") and "subset" not in c.name]
        if len(lints) == 1:  # one core: "all threads" is 1 thread
            lints = lints * 2
        grow = growth(a, sizes, tmp, regcred, lint, a.threads, {a.size: (corpus, [cs[0], *lints])})

        out = []
        out.append(f"Corpus `{corpus.name}`: {len(corpus.files)} files ({len(corpus.yaml)} YAML/JSON), "
                   f"{corpus.bytes / 1e6:.1f} MB, seed {a.seed}. {a.rounds} interleaved rounds after a warm-up "
                   f"round (warm page cache). Machine: {machine()}. regcred {git_rev()}.\n")
        out.append(f"**Whole corpus** (`{shlex.join(['python3', 'benches/run.py', *sys.argv[1:]])}`)\n")
        out.append(table(cs, cs[0], "cat"))
        out.append(f"\n**Pre-commit latency** ({pc_corpus.name} corpus, {pc_corpus.bytes / 1e6:.1f} MB, "
                   "as context)\n")
        out.append(table(pcs, None, "cat"))
        out.append("\n**Create** (`regcred create` against kubectl 1.32, `KUBECONFIG=/nonexistent`)\n")
        out.append(table(crs, crs[1], "kubectl"))
        out.append("\n**Growth** (regcred time per MB by corpus size; linear means flat ms/MB)\n")
        out.append(grow)
        if a.shapes:
            out.append("")
            out.append(run_shapes(a, regcred, tmp))
        print("\n".join(out))
        broken = [c.name for c in cs[:2] if c.na or not c.times]
        if broken:
            sys.exit(f"error: the floor did not run: {', '.join(broken)}")
        if a.json:
            a.json.write_text(json.dumps([{k: getattr(c, k) for k in ("name", "table", "argv", "nbytes", "nfiles",
                                                                       "times", "rss", "na", "note", "failures")}
                                          for c in cs + pcs + crs], indent=2, default=str) + "\n")
        if a.require_regcred:
            missing = [f"{c.name} ({c.na or 'no successful run'})" for c in cs + pcs + crs
                       if c.name.startswith("regcred") and (c.na or not c.times)]
            if missing:
                sys.exit(f"error: --require-regcred and regcred rows are n/a: {'; '.join(missing)}")
    log(f"done in {time.monotonic() - t_start:.0f} s")


if __name__ == "__main__":
    main()
