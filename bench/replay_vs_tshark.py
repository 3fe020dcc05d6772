#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Replay benchmark of issue #5: packets/s and Mbit/s of `fwp replay` on large generated
captures (established flows, and new-flow heavy), against `tshark -r` on the same files in the
same run, with the ratio of the two speeds.

Captures come from bench/gen_capture (built with the release preset) and are cached in
build-release/bench-data/, keyed by the generator's sources and the options, so a rerun only
times. Runs of fwp and tshark alternate (fwp, tshark, fwp, tshark, ...) so that load from other
processes falls on both alike; each figure is the median wall time of --repeat runs, with the
file already in the page cache. See bench/README.md, section "replay".

Python 3 standard library only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GENERATOR_SOURCES = [
    "bench/gen_capture.cpp",
    "bench/capture_check.cpp",
    "bench/capture_check.h",
    "bench/capture_flows.cpp",
    "bench/capture_flows.h",
    "bench/capture_frames.cpp",
    "bench/capture_frames.h",
    "bench/capture_profiles.cpp",
    "bench/capture_tcp.cpp",
    "bench/capture_udp.cpp",
]
DEFAULT_FWP = (
    "{build}/fwp replay {capture} --policy {policy} --local 198.18.0.1 --local 2001:db8::1 "
    "--report summary -q -o /dev/null"
)
TSHARK_MODES = {
    # Full dissection of every packet and one summary line each: the default, see README.
    "summary": ["-r", "{capture}"],
    # The same dissection feeding one tap, no per-packet output: shows what printing costs.
    "conv": ["-r", "{capture}", "-q", "-z", "conv,tcp"],
}
PROFILES = ("established", "new-flows")


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--packets", type=int, default=2_000_000, help="packets per capture (2M)")
    p.add_argument("--flows", type=int, default=0, help="concurrent flows (generator default)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--profiles", default=",".join(PROFILES), help="comma-separated (both)")
    p.add_argument("--repeat", type=int, default=3, help="timed runs of each command (3)")
    p.add_argument("--build", type=Path, default=REPO / "build-release", help="release build dir")
    p.add_argument("--data-dir", type=Path, help="capture cache (BUILD/bench-data)")
    p.add_argument("--policy", type=Path, default=REPO / "bench/data/replay_policy.yaml")
    p.add_argument(
        "--fwp-template",
        default=DEFAULT_FWP,
        help="replay command; {capture} {build} {policy} {repo} are filled in "
        "(default: %(default)s)",
    )
    p.add_argument(
        "--tshark-mode",
        choices=["summary", "conv", "both", "none"],
        default="summary",
        help="summary: tshark -r FILE; conv: tshark -r FILE -q -z conv,tcp (default summary)",
    )
    p.add_argument("--regenerate", action="store_true", help="ignore cached captures")
    p.add_argument("--json", type=Path, help="write every figure to this file")
    return p.parse_args()


def generator_key(args: argparse.Namespace, profile: str) -> str:
    digest = hashlib.sha256()
    for name in GENERATOR_SOURCES:
        digest.update((REPO / name).read_bytes())
    digest.update(f"{profile} {args.packets} {args.flows} {args.seed}".encode())
    return digest.hexdigest()


def ensure_capture(args: argparse.Namespace, data_dir: Path, profile: str) -> dict:
    """The capture of `profile` with its generator stats, generated when not cached."""
    stem = f"replay-{profile}-{args.packets}-s{args.seed}" + (
        f"-f{args.flows}" if args.flows else ""
    )
    capture = data_dir / f"{stem}.pcap"
    stats_file = data_dir / f"{stem}.json"
    key = generator_key(args, profile)
    if not args.regenerate and capture.exists() and stats_file.exists():
        stats = json.loads(stats_file.read_text())
        if stats.get("key") == key and capture.stat().st_size > 0:
            print(f"capture {capture.name}: cached")
            stats["file"] = str(capture)
            return stats
    generator = args.build / "bench/gen_capture"
    if not generator.exists():
        sys.exit(
            f"replay_vs_tshark: {generator} not found; build it: "
            "cmake --preset release && cmake --build --preset release --target gen_capture"
        )
    data_dir.mkdir(parents=True, exist_ok=True)
    command = [str(generator), "-o", str(capture), "--packets", str(args.packets),
               "--profile", profile, "--seed", str(args.seed), "--stats", str(stats_file)]
    if args.flows:
        command += ["--flows", str(args.flows)]
    print(f"generating {capture.name} ...", flush=True)
    subprocess.run(command, check=True)
    stats = json.loads(stats_file.read_text())
    stats["key"] = key
    stats_file.write_text(json.dumps(stats) + "\n")
    stats["file"] = str(capture)
    return stats


def warm_page_cache(path: Path) -> None:
    """Reads the file once so every timed run starts with it in memory, not on disk."""
    with path.open("rb") as f:
        while f.read(1 << 24):
            pass


def run_timed(command: list[str]) -> tuple[float, int, int, str]:
    """Wall seconds, peak RSS (KiB), exit status and the tail of stderr of one run."""
    with open(os.devnull, "wb") as devnull:
        start = time.perf_counter()
        try:
            process = subprocess.Popen(command, stdout=devnull, stderr=subprocess.PIPE)
        except OSError as error:  # no such program: a failed run, not a crash of the script
            return 0.0, 0, 127, str(error)
        # Read stderr to its end, then reap the child with wait4 for its resource usage
        # (Popen.wait would not return the peak RSS).
        stderr = process.stderr.read()
        process.stderr.close()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
    tail = stderr.decode(errors="replace").strip().splitlines()[-3:]
    return seconds, usage.ru_maxrss, process.returncode, "\n".join(tail)


def fill(template: list[str], **values: str) -> list[str]:
    return [part.format(**values) for part in template]


def tool_version(command: list[str]) -> str:
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=30).stdout
        return out.strip().splitlines()[0] if out.strip() else "?"
    except (OSError, subprocess.SubprocessError):
        return "?"


def rate(count: float, seconds: float | None) -> float | None:
    return count / seconds if seconds else None


def fmt_rate(value: float | None, scale: float = 1.0, digits: int = 0) -> str:
    return "-" if value is None else f"{value / scale:,.{digits}f}"


def main() -> int:
    args = parse_args()
    data_dir = args.data_dir or args.build / "bench-data"
    profiles = [p for p in args.profiles.split(",") if p]
    for profile in profiles:
        if profile not in PROFILES:
            sys.exit(f"replay_vs_tshark: unknown profile {profile!r} (known: {', '.join(PROFILES)})")

    tshark = shutil.which("tshark")
    modes = [] if args.tshark_mode == "none" else (
        ["summary", "conv"] if args.tshark_mode == "both" else [args.tshark_mode])
    if modes and tshark is None:
        print("replay_vs_tshark: tshark not found on PATH; no comparison, fwp figures only "
              "(install: apt-get install tshark)", file=sys.stderr)
        modes = []

    captures = [ensure_capture(args, data_dir, profile) for profile in profiles]
    fwp_template = shlex.split(args.fwp_template)
    values = {"build": str(args.build), "policy": str(args.policy), "repo": str(REPO)}
    print(f"fwp command:    {' '.join(fill(fwp_template, capture='FILE', **values))}")
    for mode in modes:
        print(f"tshark command: tshark {' '.join(fill(TSHARK_MODES[mode], capture='FILE'))}")
    load_before = os.getloadavg()

    results = []
    fwp_failed = False
    for stats in captures:
        capture = stats["file"]
        warm_page_cache(Path(capture))
        commands = {"fwp": fill(fwp_template, capture=capture, **values)}
        for mode in modes:
            commands[f"tshark {mode}"] = [tshark] + fill(TSHARK_MODES[mode], capture=capture)
        runs = {name: {"seconds": [], "peak_rss_kib": 0, "error": None} for name in commands}
        for _ in range(args.repeat):
            for name, command in commands.items():
                record = runs[name]
                if record["error"]:
                    continue
                seconds, rss, status, tail = run_timed(command)
                if status != 0:
                    record["error"] = f"exit status {status}: {tail}"
                    print(f"{stats['profile']}: {name} failed ({record['error']})", file=sys.stderr)
                    fwp_failed |= name == "fwp"
                    continue
                record["seconds"].append(seconds)
                record["peak_rss_kib"] = max(record["peak_rss_kib"], rss)
        for record in runs.values():
            record["median_s"] = statistics.median(record["seconds"]) if record["seconds"] and \
                not record["error"] else None
        results.append({"capture": stats, "runs": runs, "commands": commands})

    # The table: one row per capture and tshark mode (fwp's figures repeat on each).
    header = (f"{'capture':<12} {'packets':>10} {'MB':>7} {'fwp s':>7} {'fwp pkt/s':>11} "
              f"{'fwp Mbit/s':>10} | {'tshark':<8} {'s':>7} {'pkt/s':>9} {'ratio':>7}")
    print()
    print(header)
    print("-" * len(header))
    for result in results:
        stats, runs = result["capture"], result["runs"]
        packets, megabytes = stats["packets"], stats["bytes"] / 1e6
        fwp_s = runs["fwp"]["median_s"]
        fwp_rate = rate(packets, fwp_s)
        fwp_mbit = rate(stats["bytes"] * 8 / 1e6, fwp_s)
        stats["fwp_packets_per_s"], stats["fwp_mbit_per_s"] = fwp_rate, fwp_mbit
        left = (f"{stats['profile']:<12} {packets:>10,} {megabytes:>7.0f} "
                f"{fmt_rate(fwp_s, 1, 2) if fwp_s else 'failed':>7} {fmt_rate(fwp_rate):>11} "
                f"{fmt_rate(fwp_mbit):>10}")
        if not modes:
            print(left + " | (no tshark)")
        for mode in modes:
            t_s = runs[f"tshark {mode}"]["median_s"]
            t_rate = rate(packets, t_s)
            ratio = fwp_rate / t_rate if fwp_rate and t_rate else None
            runs[f"tshark {mode}"]["packets_per_s"] = t_rate
            runs[f"tshark {mode}"]["ratio_fwp_over_tshark"] = ratio
            t_text = fmt_rate(t_s, 1, 2) if t_s else "failed"
            ratio_text = f"{ratio:.2f}x" if ratio else "-"
            print(f"{left} | {mode:<8} {t_text:>7} {fmt_rate(t_rate):>9} {ratio_text:>7}")
    load_after = os.getloadavg()
    print(f"\nmedian of {args.repeat} runs each, alternating; ratio = fwp packets/s / tshark "
          f"packets/s; load average {load_before[0]:.1f} before, {load_after[0]:.1f} after; "
          f"{os.cpu_count()} CPUs")

    if args.json:
        machine = {
            "host": platform.node(),
            "cpus": os.cpu_count(),
            "load_before": load_before,
            "load_after": load_after,
            "python": platform.python_version(),
            "tshark": tool_version([tshark, "--version"]) if tshark else None,
            "commit": tool_version(["git", "-C", str(REPO), "rev-parse", "HEAD"]),
            "repeat": args.repeat,
        }
        args.json.write_text(json.dumps({"machine": machine, "results": results}, indent=2) + "\n")
        print(f"figures written to {args.json}")
    return 1 if fwp_failed else 0


if __name__ == "__main__":
    sys.exit(main())
