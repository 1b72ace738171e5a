"""`motcua population_sim`: run the population registry simulator (started by `make demo`)."""

from django.core.management.base import BaseCommand

from motcua.citizens.simulator import make_server


class Command(BaseCommand):
    help = "Run the population registry simulator (synthetic citizens, JSON over HTTP, X-Road style headers)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8790)
        parser.add_argument(
            "--size", type=int, default=10_000, help="number of citizens (1,000 to 1,000,000)"
        )
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--latency-ms", type=int, default=0, help="added delay per request")
        parser.add_argument("--fail-rate", type=float, default=0.0, help="share of requests answered 503")
        parser.add_argument("--verbose-log", action="store_true")

    def handle(self, *args, **opts):
        server = make_server(
            opts["host"],
            opts["port"],
            size=opts["size"],
            seed=opts["seed"],
            latency_ms=opts["latency_ms"],
            fail_rate=opts["fail_rate"],
            quiet=not opts["verbose_log"],
        )
        self.stdout.write(
            f"population registry simulator: http://{opts['host']}:{server.server_address[1]}/ "
            f"({opts['size']:,} citizens, seed {opts['seed']})"
        )
        try:
            server.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
