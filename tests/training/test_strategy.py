from __future__ import annotations

import pytest

from training.errors import UserError
from training.strategy import is_chief, precision_policy, read_tf_config, select_strategy


def test_strategy_tf_config_errors():
    with pytest.raises(UserError, match=r"TF_CONFIG must be a JSON object with 'cluster' and 'task'"):
        read_tf_config(required=True, environ={"TF_CONFIG": "[1, 2]"})
    assert read_tf_config(required=False, environ={"TF_CONFIG": "  "}) is None


def test_strategy_chief_roles():
    cluster = {"chief": ["a:1"], "worker": ["b:1"]}
    assert is_chief({"cluster": cluster, "task": {"type": "chief", "index": 0}})
    assert not is_chief({"cluster": cluster, "task": {"type": "worker", "index": 0}})
    assert is_chief({"cluster": {"worker": ["b:1", "c:1"]}, "task": {"type": "worker", "index": 0}})


def test_strategy_selection_on_cpu(monkeypatch):
    import tensorflow as tf

    monkeypatch.delenv("TF_CONFIG", raising=False)
    assert select_strategy("default") is tf.distribute.get_strategy()
    assert select_strategy("auto") is tf.distribute.get_strategy()
    mirrored = select_strategy("mirrored")
    assert isinstance(mirrored, tf.distribute.MirroredStrategy) and mirrored.num_replicas_in_sync == 1


def test_strategy_precision_policy_is_restored():
    import keras

    with precision_policy(True):
        assert keras.mixed_precision.global_policy().name == "mixed_float16"
        assert keras.layers.Dense(2).compute_dtype == "float16"
    assert keras.mixed_precision.global_policy().name == "float32"


MULTI_WORKER_SCRIPT = """
import json, os, socket, sys
sock = socket.socket(); sock.bind(("localhost", 0)); port = sock.getsockname()[1]; sock.close()
os.environ["TF_CONFIG"] = json.dumps({"cluster": {"worker": [f"localhost:{port}"]}, "task": {"type": "worker", "index": 0}})
import keras, numpy as np, tensorflow as tf
from training.strategy import is_chief, read_tf_config, select_strategy
strategy = select_strategy("auto" if len(sys.argv) < 2 else sys.argv[1])
with strategy.scope():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy")
x = np.random.default_rng(0).normal(size=(64, 3)).astype("float32")
history = model.fit(x, (x[:, 0] > 0).astype("int64"), batch_size=16, epochs=2, verbose=0)
print(isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy), strategy.num_replicas_in_sync, is_chief(read_tf_config(False)), len(history.history["loss"]))
"""


@pytest.mark.slow
def test_strategy_multi_worker_from_tf_config_trains():
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", MULTI_WORKER_SCRIPT, "multi_worker"], capture_output=True, text=True,
                            cwd=root, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin", "TF_CPP_MIN_LOG_LEVEL": "2"},
                            timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split()[-4:] == ["True", "1", "True", "2"]


@pytest.mark.slow
def test_strategy_multi_worker_run_through_train(tmp_path, fortunes_dir):
    """``training.train`` with strategy = multi_worker and a one-worker TF_CONFIG, in a fresh process."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    script = (
        "import json, os, socket, sys\n"
        "s = socket.socket(); s.bind(('localhost', 0)); port = s.getsockname()[1]; s.close()\n"
        "os.environ['TF_CONFIG'] = json.dumps({'cluster': {'worker': [f'localhost:{port}']}, 'task': {'type': 'worker', 'index': 0}})\n"
        "from training.config import load_config\n"
        "from training.train import train\n"
        f"config = load_config(None, ['data.path=\"{fortunes_dir}\"', 'data.max_per_class=4', 'text.max_length=8',\n"
        "    'model.embedding_dim=2', 'training.epochs=1', 'training.strategy=\"multi_worker\"',\n"
        "    'training.tensorboard=false', 'training.reports=false'])\n"
        "train(config, sys.argv[1], verbose=0)\n"
    )
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, cwd=root,
                            env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin", "TF_CPP_MIN_LOG_LEVEL": "2"}, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "with CollectiveAllReduceStrategy" in result.stdout  # MultiWorkerMirroredStrategy's class
    assert json.loads((tmp_path / "metrics.json").read_text())["num_test"] > 0
