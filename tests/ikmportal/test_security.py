import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, env_extra):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY", "SECURE_SSL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(env_extra)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_production_settings_pass_check_deploy_without_warnings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_extra={
        "DEBUG": "false", "SECRET_KEY": "x7#Lq9@vR2!mZ8^kP4&nW6*tY1$bC3%hJ5(dF0)gS-uE+oA_iK=lM", "ALLOWED_HOSTS":
        "ikmportal.example.go.id", "CSRF_TRUSTED_ORIGINS": "https://ikmportal.example.go.id"})

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_settings_refuse_to_start_without_secret_key_when_not_debug():
    result = _manage("check", env_extra={"DEBUG": "false"})

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_pages_carry_a_csp_without_inline_scripts(client):
    response = client.get("/")

    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert b"<script>" not in response.content


@pytest.mark.django_db
def test_indonesian_is_the_default_language_and_english_is_available(client):
    default = client.get("/")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/")

    assert default.headers["Content-Language"] == "id"
    assert english.headers["Content-Language"] == "en"
    assert "Masuk" in default.content.decode()
    assert "Sign in" in english.content.decode()


@pytest.mark.django_db
def test_browser_asking_for_english_still_gets_indonesian_until_the_person_switches(client):
    asked_english = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    switched = client.get("/", HTTP_ACCEPT_LANGUAGE="id")

    assert asked_english.headers["Content-Language"] == "id"
    assert switched.headers["Content-Language"] == "en"
