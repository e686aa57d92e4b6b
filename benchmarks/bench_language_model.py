"""NNLM test perplexity vs the best interpolated Kneser-Ney n-gram model, same tokens, vocabulary and split.

    python -m benchmarks.bench_language_model [--config examples/fortunes_nnlm.toml] [--run runs/bench_nnlm]

Kneser-Ney (NLTK's ``KneserNeyInterpolated`` formulas, see ``benchmarks/_kneser_ney.py``):
orders 2-5 and the discount are tuned on the validation split; a sample of
probabilities is checked against NLTK itself on a small slice. The NNLM is
trained with ``training.train`` on the same config (or read from ``--run`` if
that run directory has a ``metrics.json`` made from the same config).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from pathlib import Path

import numpy as np

from benchmarks._kneser_ney import KneserNeyCounts, nltk_model

ROOT = Path(__file__).resolve().parent.parent
DISCOUNTS = [round(0.1 * i, 1) for i in range(1, 10)] + [0.95]


def check_against_nltk(docs, pad_id: int, end_id: int, samples: int = 60, seed: int = 0) -> float:
    """Largest |ours - NLTK| over sampled (order, discount, word, context) on a 150-document slice."""
    rng = random.Random(seed)
    train = docs[:150]
    worst = 0.0
    for order in (2, 3, 4):
        discount = rng.choice([0.1, 0.5, 0.75, 0.9])
        ours = KneserNeyCounts(train, order, pad_id, end_id)
        theirs = nltk_model(train, order, pad_id, end_id, discount)
        words = sorted({w for d in train for w in d} | {end_id})
        for _ in range(samples // 3):
            doc = rng.choice(train)
            seq = [pad_id] * (order - 1) + list(doc) + [end_id]
            t = rng.randrange(order - 1, len(seq))
            context = seq[t - order + 1:t]
            word = seq[t] if rng.random() < 0.7 else rng.choice(words)  # seen and unseen continuations
            a = ours.score(word, context, discount)
            b = theirs.score(str(word), [str(c) for c in context])
            worst = max(worst, abs(a - b))
    return worst


def kneser_ney(sequences, pad_id: int, end_id: int):
    """Tune order and discount on validation; return (best, table of validation perplexities)."""
    table = {}
    best = None
    for order in (2, 3, 4, 5):
        start = time.time()
        counts = KneserNeyCounts(sequences["train"], order, pad_id, end_id)
        val = counts.components(sequences["validation"])
        test = counts.components(sequences["test"])
        for d in DISCOUNTS:
            val_p = counts.probabilities(val, d)
            ppl = float(np.exp(-np.mean(np.log(val_p))))
            table[(order, d)] = ppl
            if best is None or ppl < best["validation_perplexity"]:
                test_p = counts.probabilities(test, d)
                best = {"order": order, "discount": d, "validation_perplexity": ppl,
                        "test_perplexity": float(np.exp(-np.mean(np.log(test_p)))),
                        "probabilities": {"validation": val_p, "test": test_p}}
        print(f"  Kneser-Ney order {order}: best validation perplexity "
              f"{min(table[(order, d)] for d in DISCOUNTS):.1f} ({time.time() - start:.0f} s)", flush=True)
    return best, table


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=str(ROOT / "examples" / "fortunes_nnlm.toml"))
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    parser.add_argument("--run", default=str(ROOT / "runs" / "bench_nnlm"), help="NNLM run directory")
    args = parser.parse_args(argv)

    from training.config import dump_config, load_config
    from training.tasks.language_model import END, PAD_ID, lm_sequences

    config = load_config(args.config, args.overrides)
    start = time.time()
    vocabulary, sequences, _ = lm_sequences(config)
    end_id = vocabulary.token_id(END)
    n_test = sum(len(d) + 1 for d in sequences["test"])
    print(f"data: {len(vocabulary)} ids; tokens (with </s>) train {sum(len(d) + 1 for d in sequences['train'])}, "
          f"validation {sum(len(d) + 1 for d in sequences['validation'])}, test {n_test} ({time.time() - start:.0f} s)")

    worst = check_against_nltk(sequences["train"], PAD_ID, end_id)
    print(f"check against nltk.lm.KneserNeyInterpolated: max |difference| {worst:.2e} over 60 sampled probabilities")

    start = time.time()
    best, _ = kneser_ney(sequences, PAD_ID, end_id)
    kn_seconds = time.time() - start
    print(f"Kneser-Ney best: order {best['order']}, discount {best['discount']}: validation perplexity "
          f"{best['validation_perplexity']:.1f}, test perplexity {best['test_perplexity']:.1f} ({kn_seconds:.0f} s)")

    run = Path(args.run)
    metrics_path = run / "metrics.json"
    if metrics_path.is_file() and (run / "config.toml").is_file() and \
            load_config(run / "config.toml") == config:
        metrics = json.loads(metrics_path.read_text())
        print(f"NNLM: read {metrics_path}")
    else:
        from training.train import train

        metrics = train(config, run, verbose=2, resume=False)
    (run / "config.toml").write_text(dump_config(config))
    print(f"NNLM ({config['model']}, context {config['language_model']['context_size']}): test perplexity "
          f"{metrics['test_perplexity']:.1f} over {metrics['num_test_tokens']} tokens "
          f"(fit {metrics['fit_seconds']:.0f} s)")
    if metrics["num_test_tokens"] != n_test:
        print(f"WARNING: the NNLM scored {metrics['num_test_tokens']} test tokens, Kneser-Ney {n_test}")
    ratio = metrics["test_perplexity"] / best["test_perplexity"]
    print(f"RESULT nnlm/kneser_ney test perplexity ratio {ratio:.3f} "
          f"({'NNLM better' if ratio < 1 else 'Kneser-Ney better'}); "
          f"log-prob difference {math.log(ratio):+.3f} nats/token")
    mixture(run, config, sequences, end_id, best)
    return 0


def nnlm_probabilities(model, sequences, context_size: int, end_id: int) -> np.ndarray:
    """p(target | context) of every token (``</s>`` included), in the order Kneser-Ney scores them."""
    from training.tasks.language_model import PAD_ID, context_windows, next_word_probabilities

    contexts, targets = context_windows(sequences, context_size, PAD_ID, end_id)
    batches = ((contexts[i:i + 4096], targets[i:i + 4096]) for i in range(0, len(targets), 4096))
    return next_word_probabilities(model, batches)[0]


def mixture(run: Path, config: dict, sequences: dict, end_id: int, best: dict) -> None:
    """Bengio et al.'s "mix" rows: p = a p_NNLM + (1 - a) p_KN, the weight ``a`` chosen on validation."""
    from training.models import load_model

    model = load_model(run / "model.keras")
    n1 = config["language_model"]["context_size"]
    nn = {k: nnlm_probabilities(model, sequences[k], n1, end_id) for k in ("validation", "test")}
    kn = best["probabilities"]

    def perplexity(split: str, a: float) -> float:
        return float(np.exp(-np.mean(np.log(a * nn[split] + (1 - a) * kn[split]))))

    print(f"NNLM alone recomputed per token: validation {perplexity('validation', 1.0):.1f}, "
          f"test {perplexity('test', 1.0):.1f}")
    weights = [round(0.05 * i, 2) for i in range(21)]
    a = min(weights, key=lambda w: perplexity("validation", w))
    print(f"RESULT mixture a*NNLM + (1-a)*Kneser-Ney (a = {a} on validation: {perplexity('validation', a):.1f}): "
          f"test perplexity {perplexity('test', a):.1f} vs Kneser-Ney {best['test_perplexity']:.1f} "
          f"and NNLM {perplexity('test', 1.0):.1f}")


if __name__ == "__main__":
    raise SystemExit(main())
