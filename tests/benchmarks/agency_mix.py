"""The agency mix for `python -m tests.benchmarks.throughput --mix agency`.

A generated stack shaped like the agency's intake: at least 40 % certificates in Cyrillic or Arabic script,
at least 25 % identity documents (passports, ID cards, residence permits; some on an A4 flatbed scan), Latin
notices and a blank page. Each page runs through plain tesseract (one pass in the languages its truth
names, N processes), OCRmyPDF (the same languages) and `dach extract -v` in one run; the tesseract runs and
CPU seconds per page come from `dach extract`'s cost lines (`ocr.cost`), wall and CPU seconds of every arm
from the processes themselves (`RUSAGE_CHILDREN`, which includes the tesseract children they waited for).
The identity images are also read by PassportEye (MRZ only), one at a time in this process after one untimed
warm-up read, so an identity image's CPU-s through `dach extract` compares with PassportEye's in the same run.
"""

from __future__ import annotations

import json
import math
import os
import re
import resource
import subprocess
import sys
import time
import warnings
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
from PIL import Image

from ocr.first_look import ARABIC_STATES, CYRILLIC_STATES, TURKISH_STATES

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
CERTIFICATES = ["birth_certificate", "marriage_certificate", "school_certificate", "degree_certificate"]
IDENTITY = ["passport", "id_card", "residence_permit"]
LANGUAGES = {"Cyrillic": "ukr+rus+deu", "Arabic": "ara+fas+eng", "Turkish": "tur+eng", "Latin": "deu+eng"}
_COST = re.compile(
    r"cost (\S+) page (\d+): kind=(\S+) runs=(\d+) full=(\d+) tess_cpu=([\d.]+) py_cpu=([\d.]+)(?: turned=(\d+))?"
)


@dataclass(frozen=True)
class MixFile:
    path: Path
    kind: str  # the page kind by the truth: "Cyrillic certificate", "passport", "card on A4", ...
    languages: str  # what plain tesseract and OCRmyPDF are given: the right languages, one pass
    pages: int


def _script(language: str) -> str:
    first = language.split("-")[0]
    return {"uk": "Cyrillic", "ru": "Cyrillic", "ar": "Arabic", "fa": "Arabic", "tr": "Turkish"}.get(first, "Latin")


def _state_script(state: str) -> str:
    if state in CYRILLIC_STATES:
        return "Cyrillic"
    if state in ARABIC_STATES:
        return "Arabic"
    return "Turkish" if state in TURKISH_STATES else "Latin"


def _classify(path: Path) -> MixFile:
    truth = json.loads(path.with_name(path.name.rsplit(".", 1)[0] + ".truth.json").read_text())
    doc = truth["documents"][0]
    pages = len(truth["pages"])
    if doc["type"] in IDENTITY:
        width, height = Image.open(path).size
        on_sheet = max(width, height) >= 3000
        kind = "passport" if doc["type"] == "passport" else "card on A4" if on_sheet else "card"
        if kind == "passport" and on_sheet:
            kind = "passport on A4"
        script = _state_script(str(doc["fields"].get("issuing_state", "")).strip("<"))
        return MixFile(path, kind, LANGUAGES[script], pages)
    if doc["type"] == "notice":
        return MixFile(path, "Latin notice", LANGUAGES["Latin"], pages)
    script = _script(doc.get("language", "de"))
    return MixFile(path, f"{script} certificate", LANGUAGES[script], pages)


def make_mix(out: Path, seed: int, pages: int) -> list[MixFile]:
    """About `pages` image pages: 45 % Cyrillic/Arabic certificates, 30 % identity documents, the rest
    notices and one blank page."""
    from lab.samples import generate

    want_certificates = max(1, round(pages * 0.45))
    want_identity = max(1, round(pages * 0.30))
    chosen: list[MixFile] = []
    certificates = identity = 0
    attempt = 0
    while certificates < want_certificates and attempt < 20:
        files = generate(out / f"c{attempt}", count=6, seed=seed + attempt, kinds=CERTIFICATES, formats=["png"])
        for f in files:
            mix = _classify(f)
            if mix.kind in ("Cyrillic certificate", "Arabic certificate") and certificates < want_certificates:
                chosen.append(mix)
                certificates += mix.pages
        attempt += 1
    files = generate(out / "id", count=want_identity, seed=seed + 50, kinds=IDENTITY, formats=["png"])
    for f in files:
        chosen.append(_classify(f))
        identity += 1
    rest = max(1, pages - certificates - identity - 1)
    files = generate(out / "notices", count=rest, seed=seed + 60, kinds=["notice"], formats=["png"], difficulty="clean")
    chosen += [_classify(f) for f in files if f.suffix in (".png", ".tif")]  # a notice of several pages is a TIFF
    blank = out / "blank.png"
    rng = np.random.default_rng(seed)
    grain = np.clip(rng.normal(246, 4, (3508, 2480)), 0, 255).astype(np.uint8)
    Image.fromarray(grain).save(blank, dpi=(300, 300))
    chosen.append(MixFile(blank, "blank", LANGUAGES["Latin"], 1))
    return chosen


IDENTITY_KINDS = ("passport", "passport on A4", "card", "card on A4")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _arm(commands: list[list[str]], parallel: int, env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (the commands and the children they waited for) of running `commands`
    `parallel` at a time."""

    def one(cmd: list[str]) -> None:
        done = subprocess.run(cmd, env=env, capture_output=True)
        if done.returncode != 0:
            sys.exit(f"{cmd[0]} failed ({done.returncode}): {done.stderr.decode(errors='replace')[-1500:]}")

    cpu, started = _children_cpu(), time.perf_counter()
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        list(pool.map(one, commands))
    return time.perf_counter() - started, _children_cpu() - cpu


def passporteye_cpu(paths: list[Path]) -> list[float]:
    """CPU seconds (this process and the tesseract it waits for) of PassportEye's `read_mrz` per image, one at a
    time after an untimed warm-up read of the first (imports, model loading); [] without PassportEye."""
    try:
        from passporteye import read_mrz
    except ImportError:
        print("PassportEye is not installed: no comparison")
        return []

    def cpu() -> float:
        own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    def read(path: Path) -> None:
        try:
            with warnings.catch_warnings():  # its scikit-image calls are deprecated: a warning per image
                warnings.simplefilter("ignore", FutureWarning)
                read_mrz(str(path))
        except (KeyError, ValueError, IndexError):  # PassportEye fails on some images: its time counts all the same
            pass

    os.environ["OMP_THREAD_LIMIT"] = "1"  # its tesseract on one core, as dach's and plain tesseract's
    seconds: list[float] = []
    for index, path in enumerate(paths[:1] + paths):
        before = cpu()
        read(path)
        if index:
            seconds.append(cpu() - before)
    return seconds


_FILED = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) .*filed after reading page", re.MULTILINE)
INTAKE_PAGES = 10
_TICK = os.sysconf("SC_CLK_TCK")


def _tree_cpu(root: int) -> float:
    """CPU seconds of `root` and every process under it, those that ended and were waited for included (each
    live process's own time and its reaped children's)."""
    children: dict[int, list[int]] = defaultdict(list)
    spent: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        children[int(fields[1])].append(int(entry))
        spent[int(entry)] = sum(int(f) for f in fields[11:15]) / _TICK  # utime, stime, cutime, cstime
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += spent.get(pid, 0.0)
        todo += children.get(pid, [])
    return total


@dataclass(frozen=True)
class IntakeRun:
    first_s: float  # when the first document was filed, after the command started
    first_cpu: float  # CPU-s of the command and its processes until then (the Prefect server's too)
    flow_s: float  # the report's seconds: admission to the last document
    cpu: float  # CPU-s of the command and every process it waited for


def _timed_intake(stack: Path, env: dict[str, str]) -> IntakeRun:
    """One `dach intake -v` of `stack`, its process tree's CPU looked at every 50 ms until the first document
    is filed (a figure that hardly moves when the machine is busy, unlike the wall seconds)."""
    began, cpu = datetime.now(), _children_cpu()
    command = [str(BIN / "dach"), "-v", "intake", "--json", str(stack)]
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
        lines: list[str] = []
        first_cpu = float("nan")
        reader = ThreadPoolExecutor(max_workers=2)
        out = reader.submit(process.stdout.read)  # type: ignore[union-attr]
        err = reader.submit(lines.extend, process.stderr)  # type: ignore[arg-type]  # line by line, as written
        while process.poll() is None:
            if math.isnan(first_cpu) and any(_FILED.match(line) for line in list(lines)):
                first_cpu = _tree_cpu(process.pid)
            time.sleep(0.05)
        stdout, _ = out.result(), err.result()
        reader.shutdown()
    if process.returncode != 0:
        sys.exit(f"dach intake failed ({process.returncode}):\n{''.join(lines)[-2000:]}")
    filed = [datetime.strptime(t, "%Y-%m-%d %H:%M:%S,%f") for t in _FILED.findall("".join(lines))]
    first = (min(filed) - began).total_seconds() if filed else float("nan")
    return IntakeRun(first, first_cpu, float(json.loads(stdout)["seconds"]), _children_cpu() - cpu)


def _intake_arm(tmp: Path, mix: list[MixFile], env: dict[str, str], later_runs: int = 1) -> None:
    """`dach intake` of one scan of the mix's first INTAKE_PAGES pages, against `dach extract` of the same scan:
    when the first document was filed (from the intake's log) and the CPU-s spent until then, and the whole
    intake's time. In a new data folder (the command creates the record database and its temporary Prefect
    server a new Prefect database, migrated, or copied from the empty one an earlier run on the machine kept in
    the user's cache: a first run), then `later_runs` times in another new data folder whose Prefect home the
    first run left (a later run on a machine, where Prefect's database exists; the record database is new, so
    the same scan is read again)."""
    frames: list[Image.Image] = []
    for m in mix:
        with Image.open(m.path) as image:
            for index in range(getattr(image, "n_frames", 1)):
                image.seek(index)
                frames.append(image.convert("L"))
    frames = frames[:INTAKE_PAGES]
    stack = tmp / "stack.tiff"
    frames[0].save(stack, save_all=True, append_images=frames[1:], compression="tiff_lzw", dpi=(300, 300))
    cpu, started = _children_cpu(), time.perf_counter()
    subprocess.run([str(BIN / "dach"), "extract", "--json", str(stack)], env=env, capture_output=True, check=True)
    extract_wall, extract_cpu = time.perf_counter() - started, _children_cpu() - cpu
    first_home = str(tmp / "intake-var" / "prefect")
    runs = [("a first run (new record and Prefect databases)", {"DACH_DATA_DIR": str(tmp / "intake-var")})]
    runs += [
        (f"a later run (Prefect database exists){f' #{n}' if later_runs > 1 else ''}",
         {"DACH_DATA_DIR": str(tmp / f"intake-{n + 1}"), "PREFECT_HOME": first_home})
        for n in range(1, later_runs + 1)
    ]  # fmt: skip
    print(
        f"\ndach intake of one {len(frames)}-page scan of the mix "
        f"(dach extract of it: {extract_wall:.1f} s, {extract_cpu:.1f} CPU-s)"
    )
    for label, extra in runs:
        run = _timed_intake(stack, {**env, **extra})
        print(
            f"  {label}: first document filed {run.first_s:.1f} s after the command started (target <= 5 s; "
            f"includes Prefect's start-up; {run.first_cpu:.1f} CPU-s of the command and its processes until then), "
            f"all {run.flow_s:.1f} s = {run.flow_s / extract_wall:.2f} x dach extract (target <= 1.3); CPU-s (the "
            f"command and every process it waited for, the Prefect server too) {run.cpu:.1f} = "
            f"{run.cpu / extract_cpu:.2f} x dach extract; load average {os.getloadavg()[0]:.1f}"
        )
    print("  (wall times on a loaded machine say little)")


def run(
    tmp: Path,
    *,
    pages: int,
    seed: int,
    workers: int,
    with_ocrmypdf: bool,
    with_intake: bool = False,
    later_runs: int = 1,
) -> None:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    mix = make_mix(tmp / "mix", seed, pages)
    n = sum(m.pages for m in mix)
    by_kind: dict[str, int] = defaultdict(int)
    for m in mix:
        by_kind[m.kind] += m.pages
    share = lambda *kinds: sum(v for k, v in by_kind.items() if k in kinds) / n  # noqa: E731
    print(f"agency mix: {n} image pages, seed {seed}: " + ", ".join(f"{k} {v}" for k, v in sorted(by_kind.items())))
    print(
        f"  Cyrillic/Arabic certificates {share('Cyrillic certificate', 'Arabic certificate'):.0%} (>= 40 %), "
        f"identity documents {share(*IDENTITY_KINDS):.0%} (>= 25 %)"
    )

    plain = [["tesseract", str(m.path), "-", "-l", m.languages] for m in mix]
    plain_wall, plain_cpu = _arm(plain, workers, env)
    rows = [("plain tesseract, right languages, 1 pass", plain_wall, plain_cpu)]
    if with_ocrmypdf:
        out = tmp / "ocrmypdf"
        out.mkdir()
        ocrmypdf = [
            [str(BIN / "ocrmypdf"), "-q", "-l", m.languages, "--output-type", "pdf", "--jobs", "1", "--image-dpi",
             "300", str(m.path), str(out / f"{i}.pdf")]
            for i, m in enumerate(mix)
        ]  # fmt: skip
        rows.append(("OCRmyPDF, right languages", *_arm(ocrmypdf, workers, env)))
    dach_env = {**env, "DACH_DATA_DIR": str(tmp / "var"), "DACH_OCR_WORKERS": str(workers)}
    cpu, started = _children_cpu(), time.perf_counter()
    done = subprocess.run(
        [str(BIN / "dach"), "-v", "extract", "--json", *(str(m.path) for m in mix)],
        env=dach_env,
        capture_output=True,
        text=True,
    )
    dach_wall, dach_cpu = time.perf_counter() - started, _children_cpu() - cpu
    if done.returncode not in (0, 1):
        sys.exit(f"dach extract failed ({done.returncode}):\n{done.stderr[-2000:]}")
    rows.append(("dach extract", dach_wall, dach_cpu))

    print(
        f"\n{'arm (' + str(workers) + ' at a time)':44} {'wall s':>7} {'CPU-s':>7} {'CPU-s/page':>10} "
        f"{'dach wall ÷':>11}"
    )
    for name, wall, cpu_s in rows:
        print(f"{name:44} {wall:7.1f} {cpu_s:7.1f} {cpu_s / n:10.2f} {dach_wall / wall:10.2f}")
    print(f"dach extract / plain tesseract wall {dach_wall / plain_wall:.2f} (target <= 1.3)", end="")
    if with_ocrmypdf:
        print(f", / OCRmyPDF wall {dach_wall / rows[1][1]:.2f} (target <= 0.6)", end="")
    print(f"; CPU-s ratio to plain tesseract {dach_cpu / plain_cpu:.2f}")

    kind_of = {str(m.path): m.kind for m in mix}
    costs: dict[str, list[tuple[int, int, float, float]]] = defaultdict(list)
    for match in _COST.finditer(done.stderr):
        name, _, _, runs, full, tess, py, turned = match.groups()
        cost = (int(runs), int(full), float(tess), float(py))
        costs[kind_of.get(name, "?")].append(cost)
        if turned and int(turned):
            costs["turned (any kind)"].append(cost)
    everything = [c for kind, group in costs.items() if kind != "turned (any kind)" for c in group]
    print(
        f"\n{'page kind (truth)':22} {'pages':>5} {'runs/page':>9} {'max full':>8} {'tess CPU-s':>10} {'all CPU-s':>9}"
    )
    for kind in [*sorted(costs), "all"]:
        group = everything if kind == "all" else costs[kind]
        if not group:
            continue
        k = len(group)
        print(
            f"{kind:22} {k:5d} {sum(g[0] for g in group) / k:9.2f} {max(g[1] for g in group):8d} "
            f"{sum(g[2] for g in group) / k:10.2f} {sum(g[2] + g[3] for g in group) / k:9.2f}"
        )
    print("targets: runs/page <= 1.3 on average, no page > 2 full passes, an identity image <= 1.0 CPU-s")
    identity = [c for kind in IDENTITY_KINDS for c in costs.get(kind, [])]
    pe = passporteye_cpu([m.path for m in mix if m.kind in IDENTITY_KINDS])
    if identity and pe:
        ours = sum(g[2] + g[3] for g in identity) / len(identity)
        theirs = sum(pe) / len(pe)
        print(
            f"identity images: dach extract {ours:.2f} CPU-s each, PassportEye (MRZ only) {theirs:.2f} CPU-s each "
            f"on the same {len(pe)} images: {ours / theirs:.2f} x (target <= 0.5)"
        )
    if with_intake:
        _intake_arm(tmp, mix, dach_env, later_runs)
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end of the run")
