"""jobs: submissions wait in a bounded queue and are run one at a time by the worker; a failing
reader fails its job, not the worker."""

from __future__ import annotations

import time

import pytest

from khabar.errors import InputError
from khabar.web.jobs import Jobs, QueueFull


def _wait(jobs: Jobs, job_id: str, *, seconds: float = 300):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = jobs.get(job_id)
        if job.state in ("done", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError("job did not finish")


def test_web_jobs_queue_is_bounded(db):
    jobs = Jobs(db, max_pending=2)
    first = jobs.submit("one", list)
    jobs.submit("two", list)
    with pytest.raises(QueueFull):
        jobs.submit("three", list)
    assert jobs.get(first.id).state == "queued"
    assert [job.source for job in (jobs.get(first.id),)] == ["one"]


def test_web_jobs_forget_the_oldest(db):
    jobs = Jobs(db, keep=2)
    ids = [jobs.submit(str(n), list).id for n in range(3)]
    assert jobs.get(ids[0]) is None and jobs.get(ids[2]) is not None


def test_web_jobs_copies_cannot_change_the_job(db):
    jobs = Jobs(db)
    job = jobs.submit("one", list)
    job.state = "done"
    assert jobs.get(job.id).state == "queued"


def test_web_jobs_a_crashing_reader_fails_only_its_job(db):
    def broken():
        raise ValueError("reader bug")

    jobs = Jobs(db)
    jobs.start()
    try:
        failed = _wait(jobs, jobs.submit("bad", broken).id)
        assert failed.state == "failed" and "reader bug" in failed.error and failed.finished
        bad_input = _wait(jobs, jobs.submit("refused", lambda: [InputError("binary data", source="x")]).id)
        assert bad_input.state == "done" and bad_input.failed == ["x: binary data"]
    finally:
        jobs.stop()
