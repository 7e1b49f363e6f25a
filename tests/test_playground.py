"""The playground's server without a browser: who may talk to it, what it reads, what it
accepts, and that what it shows and saves is the library's own computation."""

from __future__ import annotations

import base64
import json
import time

import numpy as np
import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
httpx = pytest.importorskip("httpx")

import glassnet  # noqa: E402
from glassnet.cli import main  # noqa: E402
from glassnet.playground import start  # noqa: E402
from glassnet.playground.session import targets  # noqa: E402


@pytest.fixture
def app(tmp_path):
    table = tmp_path / "named.csv"
    table.write_text("a,b,label\n" + "".join(f"{i % 9},{i % 3},{'xy'[i % 2]}\n" for i in range(40)))
    (tmp_path / "secret.txt").write_text("do not serve me")
    running = start(table, "label", max_upload=2000)
    yield running
    running.stop()


def get(app, path, token=True, **headers):
    sep = "&" if "?" in path else "?"
    url = f"http://127.0.0.1:{app.port}{path}" + (f"{sep}token={app.token}" if token else "")
    return httpx.get(url, headers=headers, timeout=10)


def post(app, path, body=None, content=None, **headers):
    url = f"http://127.0.0.1:{app.port}{path}"
    headers = {"X-Glassnet-Token": app.token, **headers}
    if content is not None:
        return httpx.post(url, content=content, headers=headers, timeout=30)
    return httpx.post(url, json=body or {}, headers=headers, timeout=30)


def test_the_page_needs_the_printed_token(app):
    assert get(app, "/").status_code == 200
    assert get(app, "/", token=False).status_code == 403
    wrong = app.token[:-1] + ("y" if app.token.endswith("x") else "x")  # one character off
    assert get(app, "/?token=" + wrong, token=False).status_code == 403
    assert (
        post(app, "/api/control", {"action": "step"}, **{"X-Glassnet-Token": "no"}).status_code
        == 403
    )
    assert get(app, "/static/app.js", token=False).status_code == 200  # public code only


@pytest.mark.parametrize(
    "headers",
    [
        {"Host": "evil.example"},  # DNS rebinding: another name pointing at 127.0.0.1
        {"Host": "127.0.0.1:1"},
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
    ],
)
def test_cross_site_requests_are_refused(app, headers):
    before = app.playground.session.steps
    assert get(app, "/", **headers).status_code == 403
    assert post(app, "/api/control", {"action": "step"}, **headers).status_code == 403
    assert app.playground.session.steps == before


def test_same_origin_requests_pass(app):
    for host in (f"127.0.0.1:{app.port}", f"localhost:{app.port}"):
        r = post(app, "/api/control", {"action": "step"}, Host=host, Origin=f"http://{host}")
        assert r.status_code == 200
    assert app.playground.session.steps == 2


@pytest.mark.parametrize(
    "path",
    ["/static/../../secret.txt", "/static/%2e%2e/%2e%2e/secret.txt", "/static/..%2fsecret.txt",
     "/secret.txt", "/named.csv", "/download/..%2f..%2fsecret.txt", "/static/",
     "/static/nothing.js", "/etc/passwd"],
)  # fmt: skip
def test_no_path_outside_its_files(app, path):
    r = get(app, path)
    assert r.status_code == 404
    assert "do not serve me" not in r.text and "label" not in r.text


def test_bad_uploads_leave_the_session_running(app):
    session = app.playground.session
    before = session.data.source
    cases = {
        "picture.png": (b"\x89PNG....", "not a table"),
        "big.csv": (b"a,b\n" + b"1,2\n" * 1000, "too large"),
        "binary.csv": (bytes(range(256)), "binary.csv"),
        "one.csv": (b"label\nx\ny\n", "one.csv"),
        "ids.csv": (
            b"id,label\n" + b"".join(b"%d,%s\n" % (i, b"xy"[i % 2 : i % 2 + 1]) for i in range(30)),
            "looks like an ID",
        ),
        "oneclass.csv": (b"a,label\n1,x\n2,x\n", "one class"),
    }
    for name, (body, said) in cases.items():
        r = post(app, f"/api/upload?name={name}", content=body)
        assert r.status_code in (400, 413), name
        assert said in r.json()["error"], (name, r.json())
        assert app.playground.folder.name not in r.json()["error"]  # no server paths
        assert app.playground.session is session and session.data.source == before
    assert get(app, "/").status_code == 200


def test_malformed_settings_get_one_message(app):
    for raw in ({"learning_rate": -1}, {"hidden": [0]}, {"data": "../x"}, {"nope": 1}):
        r = post(app, "/api/settings", raw)
        assert r.status_code == 400 and r.json()["error"]


def test_upload_trains_and_the_model_file_is_the_session(app, tmp_path):
    body = "u,v,kind\n" + "".join(f"{i / 10},{(i * 7) % 5},{'ab'[i % 2]}\n" for i in range(30))
    r = post(app, "/api/upload?name=mine.csv", content=body.encode())
    assert r.json()["columns"] == ["u", "v", "kind"] and r.json()["target"] == "kind"
    for _ in range(5):
        assert post(app, "/api/control", {"action": "step"}).status_code == 200
    s = app.playground.session
    snap = s.snapshot()
    assert snap.steps == 5
    path = tmp_path / "model.npz"
    path.write_bytes(get(app, "/download/model.npz").content)
    model = glassnet.load(path)
    X = np.array([[0.5, 1.0], [2.5, 4.0]])
    codes = s.net.predict(snap.params, s.scaler.transform(X, np.float64))
    assert list(model.predict(X)) == list(np.array(["a", "b"])[codes])
    settings = json.loads(get(app, "/download/settings.json").text)
    assert settings["settings"]["target"] == "kind" and settings["file"] == "mine.csv"


def test_unit_equation_has_the_networks_numbers(app):
    s = app.playground.session
    post(app, "/api/control", {"action": "step"})
    text = post(app, "/api/select", {"kind": "unit", "layer": 0, "j": 1}).json()["text"]
    snap = s.snapshot()
    X = s.Xs[s.rows[0]]
    z = X[0] @ snap.params[0]["W"][:, 1] + snap.params[0]["b"][0, 1]  # by hand
    assert f"= {z:.4g}" in text and "Z_h[1]" in text
    a = 1 / (1 + np.exp(-z))
    assert f"= {a:.4g}" in text
    weight = post(app, "/api/select", {"kind": "weight", "layer": 1, "i": 2, "j": 0}).json()
    assert f"{snap.params[1]['W'][2, 0]:.5g}" in weight["text"] and "M ← λ·M" in weight["text"]
    assert (
        "no such" in post(app, "/api/select", {"kind": "unit", "layer": 0, "j": 99}).json()["text"]
    )


def test_gradient_check_on_the_current_parameters(app):
    text = post(app, "/api/gradcheck").json()["text"]
    assert "gradient check passed" in text


def test_frames_follow_training(app):
    s = app.playground.session
    post(app, "/api/settings", {"data": "circles", "n_samples": 100, "hidden": [3]})
    from glassnet.playground import pictures

    d = pictures.data_message(s)
    f = pictures.frame_message(s, d["extent"])
    assert len(f["units"]) == 3 and f["space"]["layer"] == 0
    post(app, "/api/control", {"action": "play"})
    time.sleep(0.5)
    post(app, "/api/control", {"action": "pause"})
    assert s.snapshot().epoch > 0
    frame = pictures.frame_message(s, d["extent"])
    history = frame["history"]
    # the boundary map is the network's own prediction at each grid point
    G = pictures.GRID
    x0, x1, y0, y1 = d["extent"]
    U, V = np.meshgrid(np.linspace(x0, x1, G), np.linspace(y1, y0, G))
    grid = s.plane.inputs(np.column_stack([U.ravel(), V.ravel()]))
    shown = np.frombuffer(base64.b64decode(frame["boundary"]["cls"]), np.uint8)
    np.testing.assert_array_equal(shown, s.net.predict(s.snapshot().params, grid))
    unit = np.frombuffer(base64.b64decode(frame["units"][2]["map"]), np.uint8) / 255
    H = s.net.hidden_activations(s.snapshot().params, grid)[0][:, 2]  # logistic: [0, 1]
    np.testing.assert_allclose(unit, H, atol=0.5 / 255 + 1e-9)
    X, T = s.Xs[s.rows[0]], targets(s.net, s.data.y[s.rows[0]])
    assert history["accuracy"][-1] == pytest.approx(
        np.mean(s.net.predict(s.snapshot().params, X) == T.argmax(axis=1))
    )


def test_cli_refuses_a_missing_table(tmp_path, capsys):
    assert main(["playground", "--data", str(tmp_path / "no.csv")]) == 1
    assert "no such file" in capsys.readouterr().err


def test_a_settings_file_reproduces_the_session(app):
    chosen = {"data": "moons", "n_samples": 120, "noise": 0.2, "seed": 7, "hidden": [4, 2],
              "activation": "tanh", "optimizer": "adam", "learning_rate": 0.01}  # fmt: skip
    assert post(app, "/api/settings", chosen).status_code == 200
    for _ in range(3):
        post(app, "/api/control", {"action": "step"})
    first = app.playground.session.snapshot().params
    saved = get(app, "/download/settings.json").content
    post(app, "/api/settings", {"data": "xor", "seed": 1})  # elsewhere
    r = post(app, "/api/upload?name=glassnet-settings.json", content=saved)
    assert r.status_code == 200, r.text
    for _ in range(3):
        post(app, "/api/control", {"action": "step"})
    s = app.playground.session
    assert s.settings.data == "moons" and s.settings.hidden == (4, 2)
    again = s.snapshot().params
    for p, q in zip(first, again, strict=True):
        np.testing.assert_array_equal(p["W"], q["W"])
    bad = post(app, "/api/upload?name=x.json", content=b"{not json")
    assert "not a playground settings file" in bad.json()["error"]


@pytest.mark.parametrize("layer", [0, 1])
def test_unit_text_numbers_are_worked_by_hand(layer):
    """Every number of a unit's text, against NumPy written out here and central differences."""
    from glassnet.core.network import Network
    from glassnet.playground.formulas import unit_text

    rng = np.random.default_rng(3)
    net = Network.mlp([2, 3, 2], "logistic", "softmax", "mean")
    params, X = net.init(rng), rng.normal(size=(5, 2))
    T = np.eye(2)[[0, 1, 1, 0, 1]]
    text = unit_text(net, params, X, T, layer, 1)
    H = 1 / (1 + np.exp(-(X @ params[0]["W"] + params[0]["b"])))
    Z = (X if layer == 0 else H) @ params[layer]["W"] + params[layer]["b"]
    assert f"= {Z[0, 1]:.4g}\n" in text
    shown = H[0, 1] if layer == 0 else np.exp(Z[0, 1]) / np.exp(Z[0]).sum()
    assert f"= {shown:.4g}   (" in text
    numerical = []
    for i in range(params[layer]["W"].shape[0]):
        up = [{k: v.copy() for k, v in p.items()} for p in params]
        down = [{k: v.copy() for k, v in p.items()} for p in params]
        up[layer]["W"][i, 1] += 1e-6
        down[layer]["W"][i, 1] -= 1e-6
        numerical.append((net.loss(up, X, T) - net.loss(down, X, T)) / 2e-6)
    assert np.array2string(np.array(numerical), precision=3) in text
