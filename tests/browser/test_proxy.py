"""The production recipe, run for real: Debian's nginx with TLS in front of a real app
server, configured by ``config/nginx/trophees.conf`` (the file ``docs/exploitation.md``
installs). Headers, blocked metrics, the WebSocket, and a signed-in Chromium page whose
map draws under the Content-Security-Policy without a single violation."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dashboard.local_server import CHROMIUM, CHROMIUM_ARGS, free_port, streamlit_server
from tests.helpers import browser_login, server_env

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "config" / "nginx" / "trophees.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

MAIN = """
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    include {dir}/site.conf;
}}
"""

VIOLATIONS = """() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation',
        e => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
}"""


def site_config(app_url: str, https_port: int, http_port: int, certs: Path) -> str:
    """The documented site file with this test's ports and certificate, nothing else."""
    text = SITE.read_text(encoding="utf-8")
    replacements = {
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "/etc/ssl/trophees/fullchain.pem": str(certs / "cert.pem"),
        "/etc/ssl/trophees/privkey.pem": str(certs / "key.pem"),
        "http://127.0.0.1:8501": app_url,
        "trophees.example.org": "localhost",
    }
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def proxied(
    demo_data_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """(https URL of nginx, http URL of nginx) in front of a real app server."""
    work = tmp_path_factory.mktemp("proxy")
    config = work / "config"
    shutil.copytree(ROOT / "config", config)
    app_toml = config / "app.toml"
    app_toml.write_text(
        app_toml.read_text(encoding="utf-8").replace(
            'entete_adresse = ""', 'entete_adresse = "X-Real-IP"'
        ),
        encoding="utf-8",
    )
    env = server_env(demo_data_dir, work / "donnees")
    env["TROPHEES_CONFIG_DIR"] = str(config)
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=localhost", "-keyout", str(work / "key.pem"),
            "-out", str(work / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    https_port, http_port = free_port(), free_port()
    with streamlit_server(env) as app_url:
        (work / "site.conf").write_text(
            site_config(app_url, https_port, http_port, work), encoding="utf-8"
        )
        (work / "nginx.conf").write_text(MAIN.format(dir=work), encoding="utf-8")
        nginx = subprocess.Popen(
            [NGINX, "-p", str(work), "-c", str(work / "nginx.conf"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            url = f"https://localhost:{https_port}"
            deadline = time.monotonic() + 20
            while True:
                try:
                    fetch(f"{url}/_stcore/health")
                    break
                except OSError:
                    if nginx.poll() is not None or time.monotonic() > deadline:
                        err = nginx.stderr.read().decode() if nginx.stderr else ""
                        log = (
                            (work / "error.log").read_text()
                            if (work / "error.log").exists()
                            else ""
                        )
                        raise RuntimeError(f"nginx ne répond pas : {err}\n{log}") from None
                    time.sleep(0.2)
            yield url, f"http://localhost:{http_port}"
        finally:
            nginx.terminate()
            nginx.wait(timeout=10)


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the certificate is made by this test
    request = urllib.request.Request(url)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context), NoRedirect())
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def test_headers_metrics_and_redirect(proxied: tuple[str, str]) -> None:
    url, plain_http = proxied
    status, headers, body = fetch(url + "/")
    assert status == 200 and b"<html" in body.lower()
    assert headers["X-Frame-Options"] == "DENY"
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    assert "nginx/" not in headers.get("Server", "")
    assert fetch(url + "/_stcore/metrics")[0] == 404
    assert fetch(url + "/_stcore/metrics/")[0] == 404
    assert fetch(url + "/_stcore/health")[0] == 200
    status, headers, _ = fetch(plain_http + "/carte?edition=2023")
    assert status == 301 and headers["Location"].startswith("https://")


def test_a_signed_in_page_and_its_map_work_under_the_policy(proxied: tuple[str, str]) -> None:
    from playwright.sync_api import sync_playwright

    url, _ = proxied
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            ignore_https_errors=True, viewport={"width": 1440, "height": 1000}
        )
        page = context.new_page()
        console: list[str] = []
        page.on(
            "console",
            lambda m: console.append(m.text) if "Content Security Policy" in m.text else None,
        )
        page.add_init_script(f"({VIOLATIONS})()")
        browser_login(page, f"{url}/carte?edition=2023")  # over the proxied WebSocket
        # a locator, not wait_for_function: Playwright's string predicates use eval, which
        # the policy rightly forbids
        shapes = page.locator(".js-plotly-plot .choroplethlayer path")
        shapes.nth(50).wait_for(state="attached", timeout=60_000)
        page.get_by_text("Se déconnecter").wait_for()
        violations = page.evaluate("window.__csp")
        browser.close()
    assert violations == [] and console == [], (violations, console)
