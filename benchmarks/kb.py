"""`python -m benchmarks.kb ARGS`: the kb command without its quick exit (generator.cli.app.main
leaves through os._exit), so cProfile can write its profile when the command ends."""

from generator.cli.app import cli

if __name__ == "__main__":
    cli(prog_name="kb")
