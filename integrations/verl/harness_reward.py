"""verl reward functions that call `harness serve` (the Python standard library only).

Point verl at this file; the service scores each response with the experiment's rewards and detectors, and each
result's extra keys land in verl's rollout dumps and validation metrics (verl/workers/reward_manager/naive.py and
batch.py keep a returned dict's keys as reward_extra_info, where every response has them):

    custom_reward_function.path=integrations/verl/harness_reward.py
    custom_reward_function.name=compute_score            # one response per call (verl's naive reward manager)
  or
    custom_reward_function.name=compute_score_batch      # a batch per call (reward_model.reward_manager=batch)

The service: HARNESS_URL (default http://127.0.0.1:8000), HARNESS_TOKEN for its bearer token, HARNESS_TIMEOUT
seconds (default 180) and HARNESS_RETRIES (default 5), as OpenRLHF's own client waits and retries. verl passes no
training step to a reward function, so the service counts steps by windows of completions (harness serve --window);
set HARNESS_STEP (or pass step=... through custom_reward_function.reward_kwargs) to name one. The prompt, when
extra_info carries it ("prompt" or "question"), is sent along; the rewards need only the response and the gold.
"""

import json
import os
import time
import urllib.error
import urllib.request

__all__ = ["compute_score", "compute_score_batch"]


def _prompt(extra_info):
    if isinstance(extra_info, dict):
        for key in ("prompt", "question"):
            if isinstance(extra_info.get(key), str):
                return extra_info[key]
    return ""


def _gold(ground_truth):
    if isinstance(ground_truth, (str, int, float)) and not isinstance(ground_truth, bool):
        return ground_truth
    if isinstance(ground_truth, (list, tuple)) and ground_truth:
        return _gold(ground_truth[0])
    if isinstance(ground_truth, dict) and "target" in ground_truth:
        return _gold(ground_truth["target"])
    return str(ground_truth)


def _score(samples, step=None):
    body = {"samples": samples}
    step = step if step is not None else os.environ.get("HARNESS_STEP")
    if step is not None:
        body["step"] = int(step)
    url = os.environ.get("HARNESS_URL", "http://127.0.0.1:8000").rstrip("/") + "/v1/score"
    headers = {"Content-Type": "application/json"}
    if os.environ.get("HARNESS_TOKEN"):
        headers["Authorization"] = "Bearer " + os.environ["HARNESS_TOKEN"]
    data = json.dumps(body).encode("utf-8")
    retries = int(os.environ.get("HARNESS_RETRIES", "5"))
    for attempt in range(1, retries + 1):
        try:
            request = urllib.request.Request(url, data=data, headers=headers, method="POST")
            with urllib.request.urlopen(request, timeout=float(os.environ.get("HARNESS_TIMEOUT", "180"))) as response:
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as e:
            detail = e.read().decode("utf-8", "replace")
            # A request the service refuses (400, 401, 413) will be refused again.
            if e.code < 500 or attempt == retries:
                raise RuntimeError(f"harness serve at {url} answered {e.code}: {detail}") from e
        except (urllib.error.URLError, OSError) as e:
            if attempt == retries:
                raise RuntimeError(f"harness serve at {url} did not answer after {retries} tries: {e}") from e
        time.sleep(1)


def _result(result):
    out = {"score": result["reward"]}
    out.update(result["terms"])
    return out


def compute_score(data_source, solution_str, ground_truth, extra_info=None, step=None, **kwargs):
    """One response: the weighted reward ("score"), each reward term, and the detectors' aggregates over this one
    response (self_verify_rate, ritual_rate, ...: 1.0 or 0.0, whether it has that finding; the same keys every call)."""
    answer = _score([{"prompt": _prompt(extra_info), "completion": solution_str, "gold": _gold(ground_truth)}], step)
    out = _result(answer["results"][0])
    out.update(answer["aggregates"])
    return out


def compute_score_batch(data_sources, solution_strs, ground_truths, extra_infos=None, step=None, **kwargs):
    """A batch in one request, for verl's batch reward manager: per response the weighted reward ("score"), each
    reward term, and flag/<name> 1.0 or 0.0 for every detector flag raised in the batch (every dict has the same keys)."""
    extra_infos = list(extra_infos) if extra_infos is not None else [None] * len(solution_strs)
    samples = [{"prompt": _prompt(info), "completion": text, "gold": _gold(gold)}
               for text, gold, info in zip(solution_strs, ground_truths, extra_infos)]
    if not samples:
        return []
    results = _score(samples, step)["results"]
    flags = sorted({flag for r in results for flag in r["flags"]})
    return [dict(_result(r), **{"flag/" + flag: float(flag in r["flags"]) for flag in flags}) for r in results]
