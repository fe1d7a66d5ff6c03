from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "trajectoires.bench"
    label = "bench"
    verbose_name = "Benchmarks"
