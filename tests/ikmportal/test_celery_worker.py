from tests.worker import running_worker


def test_real_worker_process_runs_a_task_sent_through_redis():
    with running_worker() as (client, queue):
        result = client.send_task("ikmportal.ping", queue=queue)

        assert result.get(timeout=90) == "pong"
