#!/usr/bin/env python3
"""The Python reference for bench/serve.sh: an OpenRLHF remote reward server (POST /get_reward, as
openrlhf/cli/serve_rm.py answers) that computes R1-Zero's accuracy + format reward, the standard library only.

accuracy: 1.0 when the last <answer>...</answer> equals the gold answer as a number (thousands separators and
surrounding space ignored), else 0.0; format: 0.1 when a <think>...</think> block is present. The response is what
follows the prompt in the query, without trailing special tokens, as harness serve cuts it.
Prints "listening: http://127.0.0.1:PORT" once it listens. Usage: reward_server.py [--port N] (0: any free port)
"""
import argparse
import json
import re
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

THINK = re.compile(r"<think>.*?</think>", re.DOTALL)
ANSWER = re.compile(r"<answer>(.*?)</answer>", re.DOTALL)
TRAILING = re.compile(r"(?:\s*(?:<\|[^|<>\s]{1,40}\|>|</s>|<pad>|<eos>|\[PAD\]))+\s*$")


def number(text):
    try:
        return float(text.strip().replace(",", ""))
    except ValueError:
        return None


def reward(query, prompt, gold):
    at = 0 if query.startswith(prompt) else query.find(prompt) if prompt else -1
    response = TRAILING.sub("", query[at + len(prompt):] if at >= 0 else query)
    answers = ANSWER.findall(response)
    value = number(answers[-1]) if answers else None
    accuracy = 1.0 if value is not None and value == number(str(gold)) else 0.0
    return accuracy + (0.1 if THINK.search(response) else 0.0)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the harness's clients use
    # The headers and body go out as two writes: without TCP_NODELAY, Nagle's algorithm and the client's delayed ACK
    # add 40 ms to every answer, which would measure the kernel, not Python.
    disable_nagle_algorithm = True

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        rewards = [reward(q, p, g) for q, p, g in zip(body["query"], body["prompts"], body["labels"])]
        data = json.dumps({"rewards": rewards, "scores": rewards, "extra_logs": {}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024  # the default backlog of 5 drops connections at 64 clients


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args()
    server = Server(("127.0.0.1", args.port), Handler)
    print(f"listening: http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
