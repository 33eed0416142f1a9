"""Demo data of the library (filled in below)."""


def load_library_demo(seed: int) -> str:
    return "Library: nothing loaded yet."
