"""benchmarks/gpu_keras.py (run on a lent GPU with Keras' torch backend) also runs here, on the CPU backend."""

from __future__ import annotations

import re


def test_gpu_keras_script_trains_nnlm_under_every_policy(capsys):
    from benchmarks import gpu_keras

    assert gpu_keras.main(["--quick", "--only", "lm"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("RESULT nnlm")]
    policies = [line.split()[2] for line in lines]
    assert policies == list(gpu_keras.POLICIES)
    losses = [float(re.search(r"loss (\S+)", line).group(1)) for line in lines]
    rates = [float(re.search(r"([\d,]+) tokens/s", line).group(1).replace(",", "")) for line in lines]
    # the same seed and data: mixed precision trains to the same loss as float32
    assert all(abs(loss - losses[0]) < 0.01 for loss in losses), losses
    assert all(rate > 0 for rate in rates)
    # the global policy is restored after each model
    import keras

    assert keras.mixed_precision.global_policy().name == "float32"
