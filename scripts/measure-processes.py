"""Runs whole processes interleaved and reports each one's wall time, CPU time and peak RSS.

Called by scripts/bench-floor.ts with a JSON spec on stdin:
  {"runs": N, "warmup": W, "items": [{"label": L, "argvs": [[...], ...], "env": {...}}, ...]}
Each round runs every item once, starting at a rotating offset, so all items share the machine's
noise; item i in round r runs argvs[r % len(argvs)]. stdout and stderr go to /dev/null (as for a
command whose output is redirected). Prints {label: {"wall_ms": [...], "cpu_ms": [...],
"rss_mb": [...]}} as JSON, warm-up rounds left out.

Why Python: the peak RSS of one child needs wait4(2)'s rusage for that child. Bun's
Subprocess.resourceUsage() reported values that crept upward across identical runs here, so the
figures come from os.wait4 instead; the wall clock is taken around posix_spawn and wait4.
"""

import json
import os
import sys
import time


def main() -> int:
    spec = json.load(sys.stdin)
    runs, warmup, items = spec["runs"], spec["warmup"], spec["items"]
    results = {item["label"]: {"wall_ms": [], "cpu_ms": [], "rss_mb": []} for item in items}
    devnull = os.open(os.devnull, os.O_WRONLY)
    actions = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
    for round_index in range(warmup + runs):
        for offset in range(len(items)):
            item = items[(round_index + offset) % len(items)]
            argv = item["argvs"][round_index % len(item["argvs"])]
            start = time.perf_counter()
            pid = os.posix_spawnp(argv[0], argv, item["env"], file_actions=actions)
            _, status, usage = os.wait4(pid, 0)
            wall = (time.perf_counter() - start) * 1000
            code = os.waitstatus_to_exitcode(status)
            if code != 0:
                print(f"{item['label']}: {' '.join(argv)} exited with {code}", file=sys.stderr)
                return 1
            if round_index >= warmup:
                sample = results[item["label"]]
                sample["wall_ms"].append(wall)
                sample["cpu_ms"].append((usage.ru_utime + usage.ru_stime) * 1000)
                # ru_maxrss is in KiB on Linux, in bytes on macOS.
                scale = 1 / (1024 * 1024) if sys.platform == "darwin" else 1 / 1024
                sample["rss_mb"].append(usage.ru_maxrss * scale)
    json.dump(results, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
