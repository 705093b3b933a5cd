#!/usr/bin/env python3
"""Benchmark only: reads a dotnet-trace thread-time profile converted to speedscope JSON
(`dotnet-trace convert --format Speedscope x.nettrace`) and keeps only the samples of threads that were running
managed code (marked CPU_TIME by the sampler, leaf frame not a wait), so the shares are of managed CPU work.
Prints the frames with the largest inclusive share of those samples.
  python3 bench/profile-cpu.py x.speedscope.json [top, default 40] [substring filter for frames]"""
import json, sys, collections

WAITS = ("WaitForSignal", "LowLevelLifoSemaphore.Wait", "WaitHandle.Wait", "Monitor.Wait", "ManualResetEventSlim.Wait",
         "Interop+Sys.Read", "Interop+Sys.WaitForSocketEvents", "SemaphoreSlim.Wait", "Thread.Sleep", "Interop+Sys.Poll",
         "SocketAsyncEngine.EventLoop", "Missing Symbol", "Interop+Sys.ReadEvents", "WaitOneNoCheck")

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

def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    only = sys.argv[3] if len(sys.argv) > 3 else None
    doc = json.load(open(path))
    names = [f["name"] for f in doc["shared"]["frames"]]
    inclusive = collections.Counter()
    running = 0
    for profile in doc["profiles"]:
        for stack, weight in stacks(profile):
            if not stack:
                continue
            # The sampler marks each sample CPU_TIME (running managed code) or UNMANAGED_CODE_TIME (in native code,
            # nearly always a wait here): keep the first, and drop managed waits too.
            if not any(names[i] == "CPU_TIME" for i in stack) or any(w in names[stack[-1]] for w in WAITS):
                continue
            running += weight
            for frame in set(names[i] for i in stack):
                inclusive[frame] += weight
    print(f"managed CPU time sampled: {running:.0f} ms (all threads, waits left out)")
    for frame, n in inclusive.most_common():
        if only and only not in frame:
            continue
        print(f"{100.0 * n / max(running, 1):6.1f}%  {frame[:150]}")
        top -= 1
        if top == 0:
            break

main()
