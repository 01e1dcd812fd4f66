#!/usr/bin/env python3
"""Helpers of Benchmarks/run.sh (standard library only).

  bench.py proxy --upstream URL --port-file F --log F.jsonl
      A recording HTTP/1.1 reverse proxy on 127.0.0.1 (a free port, written to F): forwards every
      request to URL unchanged and appends {method, path, headers, body} to the log, in arrival
      order. Used once per data set to learn the exact HTTP requests of a `chargeback report` run.
  bench.py curl-config --log F.jsonl --url URL > curl.cfg
      A curl config (-K) replaying those requests against URL: same method, path, body and
      headers, bodies discarded (output /dev/null), one `next` section per request.
  bench.py time-v FILE
      Parses `/usr/bin/time -v` output: prints `wall cpu rss_mb`.
  bench.py fetched FILE
      The `fetched` line of a `chargeback report --verbose` log, as JSON.
  bench.py table RESULTS.jsonl
      The side-by-side Markdown table.
"""
import http.client
import json
import re
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}


def proxy(upstream, port_file, log_path):
    target = urllib.parse.urlsplit(upstream)
    lock = threading.Lock()
    log = open(log_path, "a", encoding="utf-8")
    local = threading.local()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def _forward(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP and k.lower() != "host"}
            with lock:
                log.write(json.dumps({"method": self.command, "path": self.path, "headers": headers,
                                      "body": body.decode("utf-8", "surrogateescape")}) + "\n")
                log.flush()
            if getattr(local, "conn", None) is None:
                local.conn = http.client.HTTPConnection(target.hostname, target.port, timeout=600)
            try:
                local.conn.request(self.command, self.path, body=body or None, headers=headers)
                response = local.conn.getresponse()
                data = response.read()
            except (http.client.HTTPException, OSError):
                local.conn.close()
                local.conn = http.client.HTTPConnection(target.hostname, target.port, timeout=600)
                local.conn.request(self.command, self.path, body=body or None, headers=headers)
                response = local.conn.getresponse()
                data = response.read()
            self.send_response(response.status, response.reason)
            for name, value in response.getheaders():
                if name.lower() not in HOP and name.lower() != "content-length":
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _forward

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    with open(port_file, "w") as f:
        f.write(str(server.server_address[1]))
    server.serve_forever()


def quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def curl_config(log_path, url):
    base = url.rstrip("/")
    sections = []
    with open(log_path, encoding="utf-8") as f:
        for line in f:
            entry = json.loads(line)
            lines = [f"url = {quote(base + entry['path'])}", f"request = {quote(entry['method'])}",
                     'output = "/dev/null"', 'write-out = "%{http_code} %{size_download}\\n"']
            for name, value in entry["headers"].items():
                if name.lower() in ("content-length",):
                    continue
                lines.append(f"header = {quote(name + ': ' + value)}")
            if entry["body"]:
                lines.append(f"data-binary = {quote(entry['body'])}")
            sections.append("\n".join(lines))
    print("\nnext\n".join(sections))


def time_v(path):
    text = open(path, encoding="utf-8", errors="replace").read()

    def field(name):
        match = re.search(re.escape(name) + r":\s*(.+)", text)
        return match.group(1).strip() if match else None

    wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)")
    seconds = 0.0
    for part in wall.split(":"):
        seconds = seconds * 60 + float(part)
    cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
    rss = int(field("Maximum resident set size (kbytes)")) / 1024
    print(f"{seconds:.2f} {cpu:.2f} {rss:.1f}")


def fetched(path):
    """The last `fetched … queries=… points=…` info line of a verbose chargeback log."""
    found = {}
    for line in open(path, encoding="utf-8", errors="replace"):
        if "fetched" in line and "server_wait_s" in line:
            found = dict(re.findall(r"(\w+)=([^\s,]+)", line))
    print(json.dumps(found))


def table(path):
    rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    print("| data set | run | wall s | CPU s | peak RSS MB | ÷ curl wall | ÷ chargeback wall | notes |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |")
    by = {(r["dataset"], r["run"]): r for r in rows}
    for r in rows:
        def ratio(run):
            base = by.get((r["dataset"], run))
            return f"{r['wall'] / base['wall']:.2f}×" if base and base["wall"] > 0 else ""
        print(f"| {r['dataset']} | {r['run']} | {r['wall']:.2f} | {r['cpu']:.2f} | {r['rss']:.0f} | {ratio('curl')} | "
              f"{ratio('chargeback')} | {r.get('notes', '')} |")


if __name__ == "__main__":
    command, rest = sys.argv[1], sys.argv[2:]
    if command == "proxy":
        options = dict(zip(rest[::2], rest[1::2]))
        proxy(options["--upstream"], options["--port-file"], options["--log"])
    elif command == "curl-config":
        options = dict(zip(rest[::2], rest[1::2]))
        curl_config(options["--log"], options["--url"])
    elif command == "time-v":
        time_v(rest[0])
    elif command == "fetched":
        fetched(rest[0])
    elif command == "table":
        table(rest[0])
    else:
        sys.exit(__doc__)
