#!/usr/bin/env python3
"""Benchmark only: reads a dotnet-trace thread-time profile converted to speedscope JSON
(`dotnet-trace convert --format Speedscope x.nettrace`) and keeps only the samples of threads that were running
managed code (marked CPU_TIME by the sampler, innermost frame not a wait), so the shares are of managed work.
  python3 bench/profile-cpu.py x.speedscope.json [top] [substring]   frames by inclusive share (default)
      --leaf            by exclusive share (the innermost frame of each sample)
      --modules         by the innermost frame's assembly (CoreLib frames count for the first other one above them)
      --callers TEXT    the most common call chains (innermost first) of samples whose innermost frame contains TEXT
      --ms-per-request MS   also print each share as CPU ms per request, MS being the worker's CPU per request in the
                        traced window (scripts/bench.sh prints it as "traced: ...")
The sampler sees threads in managed code, including runnable threads waiting for a core: on a loaded machine the
shares are of wall time spent in managed code, so read them as ratios, scaled by the measured CPU per request."""
import argparse, collections, json

WAITS = ("WaitForSignal", "LowLevelLifoSemaphore.Wait", "WaitHandle.Wait", "Monitor.Wait", "ManualResetEventSlim.Wait",
         "Interop+Sys.Read", "Interop+Sys.WaitForSocketEvents", "SemaphoreSlim.Wait", "Thread.Sleep", "Interop+Sys.Poll",
         "SocketAsyncEngine.EventLoop", "Missing Symbol", "Interop+Sys.ReadEvents", "WaitOneNoCheck")
MARKERS = ("CPU_TIME", "UNMANAGED_CODE_TIME")


def stacks(profile):
    """(stack, weight) pairs: sampled profiles as they are; evented ones (what dotnet-trace writes) replayed, each
    stretch of time between two events weighted by its length in ms."""
    if profile["type"] == "sampled":
        samples = profile.get("samples", [])
        yield from zip(samples, profile.get("weights", [1] * len(samples)))
        return
    stack, last = [], None
    for event in profile["events"]:
        if last is not None and stack and event["at"] > last:
            yield list(stack), event["at"] - last
        last = event["at"]
        if event["type"] == "O":
            stack.append(event["frame"])
        elif stack:
            stack.pop()


def running(doc):
    """Stacks (outermost first, without the sampler's markers) of samples in managed code that is not a wait."""
    names = [f["name"] for f in doc["shared"]["frames"]]
    for profile in doc["profiles"]:
        for stack, weight in stacks(profile):
            if not any(names[i] == "CPU_TIME" for i in stack):
                continue
            frames = [names[i] for i in stack if names[i] not in MARKERS]
            # An unnamed innermost frame is native code: a wait when what called it waits (epoll in EventLoop).
            innermost = frames[-2] if len(frames) > 1 and frames[-1] == "?!?" else frames[-1] if frames else ""
            if frames and not any(w in innermost for w in WAITS):
                yield frames, weight


def short(frame):
    return frame.split("!")[-1].split("(")[0][-100:]


def module_of(frames):
    for frame in reversed(frames):
        module = frame.split("!")[0] if "!" in frame else ""
        if module and module != "System.Private.CoreLib":
            return module
    return "System.Private.CoreLib (alone)"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("top", nargs="?", type=int, default=40)
    parser.add_argument("only", nargs="?")
    parser.add_argument("--leaf", action="store_true")
    parser.add_argument("--modules", action="store_true")
    parser.add_argument("--callers")
    parser.add_argument("--depth", type=int, default=8)
    parser.add_argument("--ms-per-request", type=float)
    args = parser.parse_args()
    counts, total = collections.Counter(), 0.0
    for frames, weight in running(json.load(open(args.path))):
        total += weight
        if args.callers:
            if args.callers in frames[-1]:
                counts[" <- ".join(short(f) for f in reversed(frames[-args.depth:]))] += weight
        elif args.leaf:
            counts[frames[-1]] += weight
        elif args.modules:
            counts[module_of(frames)] += weight
        else:
            for frame in set(frames):
                counts[frame] += weight
    print(f"managed time sampled: {total:.0f} ms (all threads, waits left out)")
    top = args.top
    for frame, n in counts.most_common():
        if args.only and args.only not in frame:
            continue
        share = n / max(total, 1)
        per_request = f"  {1000 * share * args.ms_per_request:7.1f} us/req" if args.ms_per_request else ""
        print(f"{100.0 * share:6.2f}%{per_request}  {frame[:150] if not args.callers else frame}")
        top -= 1
        if top == 0:
            break


main()
