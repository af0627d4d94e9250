"""Every bad-input test runs on the session's assistant and fails if a server logged an error meanwhile."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from bad_input.checks import errors_logged
from running import Assistant


@pytest.fixture(autouse=True)
def no_errors_logged(assistant: Assistant) -> Iterator[None]:
    """Bad input is answered or refused, never a crash the servers log (and may have hidden behind an apology)."""
    offset = assistant.log.stat().st_size
    yield
    errors = errors_logged(assistant, offset)
    assert not errors, "\n".join(errors)
