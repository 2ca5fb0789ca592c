"""verl reward functions that call `harness serve` (the Python standard library only).

Point verl at this file. The service scores each response with the experiment's rewards (the math accuracy, read in
the experiment's answer format or the service's --answer-format: \\boxed{}, "#### N", <answer> tags, ...) and detectors.
Every result is a dict with the same keys for every response, as verl's reward loop requires (it takes the keys of the
first response and reads them from every other, verl/experimental/reward_loop/reward_loop.py):

  score      the weighted reward
  acc        1.0 when the accuracy term is positive, else 0.0: verl reports validation as val-core/<source>/acc/...
             only when a reward dict has "acc" (verl/trainer/ppo/ray_trainer.py, core_var), and DAPO's
             filter_groups.metric=acc reads it
  pred       the final answer the service found ("" when none): verl's maj@N votes on it
  <term>     each reward term (accuracy, format, ...), and (compute_score*) the detectors' aggregates over the response

verl v0.9 and newer, main (verl-project/verl, e.g. 1dda039; verl/trainer/ppo/reward.py get_custom_reward_fn):

    reward.custom_reward_function.path=integrations/verl/harness_reward.py
    reward.custom_reward_function.name=compute_score_async   # awaited by the naive, dapo, gdpo and rate_limited managers
  or
    reward.custom_reward_function.name=compute_score         # synchronous: the `remote` manager accepts only these

verl up to v0.7.0 (volcengine/verl b178a3c) reads the keys without "reward." (custom_reward_function.path/name), and
its legacy batch manager takes compute_score_batch (reward_model.reward_manager=batch reward_model.use_reward_loop=False).

The service: HARNESS_URL (default http://127.0.0.1:8000), HARNESS_TOKEN for its bearer token, HARNESS_TIMEOUT
seconds (default 180) and HARNESS_RETRIES (default 5), as OpenRLHF's own client waits and retries. HARNESS_ACC_TERM
(or acc_term=... through reward_kwargs) names the term behind "acc" (default accuracy). verl passes no training step to
a reward function, so the service counts steps by windows of completions (harness serve --window); set HARNESS_STEP (or
pass step=... through +reward.custom_reward_function.reward_kwargs) to name one. The prompt, when extra_info carries it
("prompt" or "question"), is sent along; the rewards need only the response and the gold.
"""

import asyncio
import json
import os
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request

__all__ = ["compute_score", "compute_score_async", "compute_score_batch"]


def _prompt(extra_info):
    if isinstance(extra_info, dict):
        for key in ("prompt", "question"):
            if isinstance(extra_info.get(key), str):
                return extra_info[key]
    return ""


def _gold(ground_truth):
    # Parquet list columns arrive as numpy arrays; anything with tolist() is read as its list.
    if hasattr(ground_truth, "tolist") and not isinstance(ground_truth, (str, bytes)):
        ground_truth = ground_truth.tolist()
    if isinstance(ground_truth, (str, int, float)) and not isinstance(ground_truth, bool):
        return ground_truth
    if isinstance(ground_truth, (list, tuple)) and ground_truth:
        return _gold(ground_truth[0])
    if isinstance(ground_truth, dict) and "target" in ground_truth:
        return _gold(ground_truth["target"])
    return str(ground_truth)


def _request(samples, step):
    body = {"samples": samples}
    step = step if step is not None else os.environ.get("HARNESS_STEP")
    if step is not None:
        body["step"] = int(step)
    url = os.environ.get("HARNESS_URL", "http://127.0.0.1:8000").rstrip("/") + "/v1/score"
    headers = {"Content-Type": "application/json"}
    if os.environ.get("HARNESS_TOKEN"):
        headers["Authorization"] = "Bearer " + os.environ["HARNESS_TOKEN"]
    return url, headers, json.dumps(body).encode("utf-8")


def _settings():
    return int(os.environ.get("HARNESS_RETRIES", "5")), float(os.environ.get("HARNESS_TIMEOUT", "180"))


def _refused(url, code, detail):
    return RuntimeError(f"harness serve at {url} answered {code}: {detail}")


def _score(samples, step=None):
    url, headers, data = _request(samples, step)
    retries, timeout = _settings()
    for attempt in range(1, retries + 1):
        try:
            request = urllib.request.Request(url, data=data, headers=headers, method="POST")
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as e:
            # A request the service refuses (400, 401, 413) will be refused again.
            if e.code < 500 or attempt == retries:
                raise _refused(url, e.code, e.read().decode("utf-8", "replace")) from e
        except (urllib.error.URLError, OSError) as e:
            if attempt == retries:
                raise RuntimeError(f"harness serve at {url} did not answer after {retries} tries: {e}") from e
        time.sleep(1)


async def _post(url, headers, data, timeout):
    """One HTTP/1.1 POST on asyncio streams: status and body."""
    parts = urllib.parse.urlsplit(url)
    secure = parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection(parts.hostname, port, ssl=ssl.create_default_context() if secure else None), timeout)
    try:
        head = [f"POST {parts.path or '/'} HTTP/1.1", f"Host: {parts.netloc}", f"Content-Length: {len(data)}", "Connection: close"]
        head += [f"{k}: {v}" for k, v in headers.items()]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + data)
        await writer.drain()
        response = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    status_line, _, rest = response.partition(b"\r\n")
    headers_blob, _, body = rest.partition(b"\r\n\r\n")
    if b"transfer-encoding: chunked" in headers_blob.lower():
        body = _unchunk(body)
    return int(status_line.split()[1]), body.decode("utf-8", "replace")


def _unchunk(body):
    out, at = bytearray(), 0
    while True:
        line_end = body.index(b"\r\n", at)
        size = int(body[at:line_end].split(b";")[0], 16)
        if size == 0:
            return bytes(out)
        out += body[line_end + 2:line_end + 2 + size]
        at = line_end + 2 + size + 2


async def _score_async(samples, step=None):
    url, headers, data = _request(samples, step)
    retries, timeout = _settings()
    for attempt in range(1, retries + 1):
        try:
            status, text = await _post(url, headers, data, timeout)
            if status == 200:
                return json.loads(text)
            if status < 500 or attempt == retries:
                raise _refused(url, status, text)
        except (OSError, asyncio.TimeoutError, ValueError, IndexError) as e:
            if attempt == retries:
                raise RuntimeError(f"harness serve at {url} did not answer after {retries} tries: {e}") from e
        await asyncio.sleep(1)


def _result(result, acc_term):
    out = {"score": result["reward"], "acc": float(result["terms"].get(acc_term, 0.0) > 0), "pred": result.get("answer") or ""}
    out.update(result["terms"])
    return out


def _acc_term(kwargs):
    return kwargs.get("acc_term") or os.environ.get("HARNESS_ACC_TERM", "accuracy")


def _one(solution_str, ground_truth, extra_info):
    return [{"prompt": _prompt(extra_info), "completion": solution_str, "gold": _gold(ground_truth)}]


def _single(answer, kwargs):
    out = _result(answer["results"][0], _acc_term(kwargs))
    out.update(answer["aggregates"])
    return out


def compute_score(data_source, solution_str, ground_truth, extra_info=None, step=None, **kwargs):
    """One response: score, acc, pred, each reward term, and the detectors' aggregates over this one response
    (self_verify_rate, ritual_rate, ...: 1.0 or 0.0, whether it has that finding; the same keys every call)."""
    return _single(_score(_one(solution_str, ground_truth, extra_info), step), kwargs)


async def compute_score_async(data_source, solution_str, ground_truth, extra_info=None, step=None, **kwargs):
    """compute_score without blocking verl's event loop (its reward-loop managers await coroutine functions)."""
    return _single(await _score_async(_one(solution_str, ground_truth, extra_info), step), kwargs)


def compute_score_batch(data_sources, solution_strs, ground_truths, extra_infos=None, step=None, **kwargs):
    """A batch in one request, for verl's legacy batch reward manager (up to v0.7.0): per response score, acc, pred,
    each reward term, and flag/<name> 1.0 or 0.0 for every detector flag raised in the batch (every dict has the same keys)."""
    extra_infos = list(extra_infos) if extra_infos is not None else [None] * len(solution_strs)
    samples = [_one(text, gold, info)[0] for text, gold, info in zip(solution_strs, ground_truths, extra_infos)]
    if not samples:
        return []
    results = _score(samples, step)["results"]
    flags = sorted({flag for r in results for flag in r["flags"]})
    acc_term = _acc_term(kwargs)
    return [dict(_result(r, acc_term), **{"flag/" + flag: float(flag in r["flags"]) for flag in flags}) for r in results]
