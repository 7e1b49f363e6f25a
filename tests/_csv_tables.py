"""Small labelled CSV tables for the command-line tests, written as a user would."""


def write_labelled_csv(path, X, labels, header="a,b,c,label"):
    """Write ``path``: the line ``header``, then each row of ``X (N, D)`` and its label
    from ``labels (N,)``, every cell as an f-string writes it (a float's shortest repr).
    Returns ``path``."""
    lines = [header] + [",".join(f"{v}" for v in (*x, t)) for x, t in zip(X, labels, strict=True)]
    path.write_text("\n".join(lines) + "\n")
    return path
