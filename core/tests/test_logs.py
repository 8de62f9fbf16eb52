"""What production's log says of a request for a host the site does not serve."""

import logging

import pytest

from core.logs import one_line, without_credentials


@pytest.mark.django_db
def test_a_request_for_another_host_is_one_warning_line_not_an_error_with_a_traceback(
    client, caplog
):
    """Scanners probe every address with other Host headers: each was logged as an ERROR with a
    20-line traceback, burying the errors an operator must see."""
    caplog.set_level(logging.INFO)
    response = client.get("/", HTTP_HOST="scanner.example.com")
    assert response.status_code == 400
    records = [r for r in caplog.records if r.name == "django.security.DisallowedHost"]
    assert len(records) == 1
    record = records[0]
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    assert "scanner.example.com" in record.getMessage()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("redis://:pw@cache:6379/1 refused", "redis://***@cache:6379/1 refused"),
        (
            "postgres://app:s3cr3t@db/x and amqp://u:p@mq//",
            "postgres://***@db/x and amqp://***@mq//",
        ),
        ("postgres://db/x, no user", "postgres://db/x, no user"),
        ("mail to someone@example.edu", "mail to someone@example.edu"),
    ],
)
def test_a_log_line_quotes_a_url_without_its_credentials(text, expected):
    assert without_credentials(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/a\r\nforged", "/a\\r\\nforged"),
        ("/a\u2028b\x1b[31m", "/a\\u2028b\\x1b[31m"),
        ("/a\\r", "/a\\\\r"),
        ("/课程/软件工程", "/课程/软件工程"),
    ],
)
def test_a_clients_text_is_quoted_in_one_line(text, expected):
    assert one_line(text) == expected
