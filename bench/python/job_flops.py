"""The arithmetic of a finished tiny-gpt GRPO run and the share of this CPU's FP32 peak it reached.

Usage: python3 bench/python/job_flops.py RUN_DIR [--threads N]

FLOPs are counted from the run's own metrics.jsonl and config.json: a token's forward pass costs 2 FLOPs per weight
of the blocks' matrices and the vocabulary head, plus attention's two products over the positions before it (4 x
width FLOPs per position per layer); training is 3 x the forward over every prompt and completion position; sampling
reads each group's prompt once and decodes each completion token by token; an evaluation step adds 128 greedy
completions (64 easy, 64 hard) of the step's mean length. The peak is bench/Shared/CpuPeak.cs's: cores x clock x FP32
lanes per FMA unit x 2 x 2, from /proc/cpuinfo (8 lanes for AVX2 and for AMD family 25's AVX-512 on 256-bit units).
"""
import json
import os
import sys


def peak(cores):
    fields = {}
    with open("/proc/cpuinfo") as f:
        for line in f:
            if ":" in line:
                key, value = line.split(":", 1)
                fields.setdefault(key.strip(), value.strip())
    flags = fields.get("flags", "").split()
    half = fields.get("vendor_id") == "AuthenticAMD" and fields.get("cpu family") == "25"
    lanes = (8 if half else 16) if "avx512f" in flags else 8 if "avx2" in flags else 4
    max_khz = "/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq"
    ghz = int(open(max_khz).read()) / 1e6 if os.path.exists(max_khz) else float(fields.get("cpu MHz", "0")) / 1000
    return cores * ghz * lanes * 2 * 2 * 1e9, fields.get("model name", "?")


def main():
    run = sys.argv[1]
    threads = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else os.cpu_count()
    config = json.load(open(os.path.join(run, "config.json")))
    settings = config["policy"]["settings"]
    layers, width = int(settings.get("layers", 3)), int(settings.get("width", 96))
    vocabulary = 97
    rows = [json.loads(line) for line in open(os.path.join(run, "metrics.jsonl"))]
    prompt = 1 + max(len(json.loads(line)["prompt"]) for line in open(os.path.join(run, "completions.jsonl")))
    group, prompts = config["grpo"]["groupSize"], config["grpo"]["promptsPerStep"]
    eval_rows = 2 * config["tasks"].get("evalSize", 64)
    per_token = 2 * (layers * 12 * width * width + width * vocabulary)
    attention = 4 * width * layers

    def forward(length):
        return per_token * length + attention * length * (length + 1) / 2

    def decode(tokens):
        return sum(per_token + attention * (prompt + t + 1) for t in range(tokens))

    training = sampling = evaluation = 0.0
    for r in rows:
        mean = r["completion_length_mean"]
        training += 3 * prompts * group * forward(prompt + mean)
        sampling += prompts * forward(prompt) + prompts * group * decode(round(mean))
        if "pass1_hard" in r:
            evaluation += eval_rows * (forward(prompt) + decode(round(mean)))
    total = training + sampling + evaluation
    seconds = sum(r["step_time_s"] for r in rows)
    flops, model = peak(threads)
    print(f"{run}: {len(rows)} steps, {total / 1e12:.2f} TFLOP (training {training / 1e12:.2f}, sampling {sampling / 1e12:.2f}, "
          f"evaluation {evaluation / 1e12:.2f})")
    print(f"steps took {seconds:.1f} s: {total / seconds / 1e9:.1f} GFLOP/s, {100 * total / seconds / flops:.1f} % of a "
          f"{flops / 1e9:.1f} GFLOP/s peak ({model}, {threads} cores); {total / flops:.1f} s at peak")
    print(f"training {training / sum(r.get('backward_time_s', 0) for r in rows) / 1e9:.1f} GFLOP/s, "
          f"sampling {sampling / sum(r['sampling_time_s'] for r in rows) / 1e9:.1f} GFLOP/s")


if __name__ == "__main__":
    main()
