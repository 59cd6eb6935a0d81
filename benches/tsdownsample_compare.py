"""Runs tsdownsample (the reference downsampling library, from PyPI) on the
data sabaplot's `downsample_compare` bench wrote, single-threaded, and
prints for m4, minmax, lttb and minmax_lttb: both median times, the ratio,
and whether the selected indices are identical. `make bench-tsdownsample`."""

import json
import sys
import time
from pathlib import Path

import numpy as np
import tsdownsample
from tsdownsample import (
    LTTBDownsampler,
    M4Downsampler,
    MinMaxDownsampler,
    MinMaxLTTBDownsampler,
)

RUNS = 25


def main(out: Path) -> int:
    x = np.fromfile(out / "x.f64", dtype="<f8")
    y = np.fromfile(out / "y.f64", dtype="<f8")
    ours = json.loads((out / "sabaplot.json").read_text())
    downsamplers = {
        "m4": (M4Downsampler(), {}),
        "minmax": (MinMaxDownsampler(), {}),
        "lttb": (LTTBDownsampler(), {}),
        "minmax_lttb": (MinMaxLTTBDownsampler(), {"minmax_ratio": 4}),
    }
    print(f"tsdownsample {tsdownsample.__version__}, {len(x)} points, "
          f"median of {RUNS} runs, single-threaded")
    print(f"{'algorithm':<12} {'n_out':>6} {'sabaplot':>10} {'tsdownsample':>13} "
          f"{'ratio':>7}  outputs")
    failed = 0
    for name, (ds, kwargs) in downsamplers.items():
        n_out = ours[name]["n_out"]
        reference = ds.downsample(x, y, n_out=n_out, parallel=False, **kwargs)
        times = []
        for _ in range(RUNS):
            t0 = time.perf_counter()
            ds.downsample(x, y, n_out=n_out, parallel=False, **kwargs)
            times.append((time.perf_counter() - t0) * 1e3)
        theirs_ms = sorted(times)[RUNS // 2]
        our_ms = ours[name]["ms"]
        our_indices = np.fromfile(out / f"{name}.u64", dtype="<u8")
        same = np.array_equal(our_indices, reference.astype(np.uint64))
        if not same:
            failed += 1
            differ = (len(our_indices), len(reference))
            agreement = f"DIFFER (lengths {differ[0]} vs {differ[1]})"
        else:
            agreement = f"identical ({len(reference)} indices)"
        ratio = theirs_ms / our_ms
        print(f"{name:<12} {n_out:>6} {our_ms:>8.3f}ms {theirs_ms:>11.3f}ms "
              f"{ratio:>6.2f}×  {agreement}")
    print("ratio = tsdownsample time / sabaplot time (above 1: sabaplot is faster)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
