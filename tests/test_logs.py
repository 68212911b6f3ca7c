import logging

from common.logs import RedactingFormatter


def _format(record_msg, secrets, exc=None):
    fmt = RedactingFormatter("%(message)s", secrets)
    rec = logging.LogRecord("x", logging.ERROR, __file__, 1, record_msg, None, exc)
    return fmt.format(rec)


def test_configured_secret_and_token_shapes_are_blanked():
    out = _format("POST https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage",
                  ["my-webhook-secret"])
    assert "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw" not in out and "***" in out
    assert "my-webhook-secret" not in _format("header my-webhook-secret rejected", ["my-webhook-secret"])


def test_tracebacks_are_redacted_too():
    try:
        raise RuntimeError("failed calling /bot999999:zzzzzzzzzzzzzzzz/getUpdates with s3cr3t-value")
    except RuntimeError:
        import sys
        out = _format("send failed", ["s3cr3t-value"], sys.exc_info())
    assert "zzzzzzzzzzzzzzzz" not in out and "s3cr3t-value" not in out
    assert "RuntimeError" in out
