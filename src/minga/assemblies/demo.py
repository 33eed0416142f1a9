def load_assemblies_demo(seed: int) -> str:
    return ""
