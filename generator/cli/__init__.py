"""cli"""
from generator.cli.app import cli, main

__all__ = ["cli", "main"]
