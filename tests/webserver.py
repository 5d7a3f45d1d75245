"""`perfeval serve` started as a user starts it, for the tests that need the real server process."""
import re
import socket
import subprocess
import sys
import time


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(*options):
    """``perfeval serve --no-browser`` on a free port; returns (process, url) once it answers."""
    import httpx
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "perfeval", "serve", "--no-browser", "--port", str(port), *options],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(url, timeout=1)
            return proc, url
        except httpx.HTTPError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                proc.wait()
                raise RuntimeError(f"perfeval serve did not answer at {url} (exit code {proc.returncode})") from None
            time.sleep(0.2)


def token_of(url: str) -> str:
    """The token the page holds (as the page's own script reads it)."""
    import httpx
    return re.search(r'name="perfeval-token" content="([^"]+)"', httpx.get(url).text).group(1)
