import random

import pytest

from vocab._farmhash import fingerprint64, hash_bucket


def _random_strings(n: int, seed: int = 0) -> list[bytes]:
    rng = random.Random(seed)
    out = [b""]
    for i in range(n):
        size = i % 200 if i < 400 else rng.randrange(200, 700)  # every length branch of FarmHash
        out.append(bytes(rng.randrange(256) for _ in range(size)))
    out += ["naïve café ☃ 東京".encode() * k for k in range(1, 12)]
    return out


@pytest.fixture(scope="module")
def tf():
    import tensorflow as tf

    return tf


def test_farmhash_fingerprint64_equals_tensorflow(tf):
    strings = _random_strings(600)
    raw = tf.fingerprint(tf.constant(strings), method="farmhash64").numpy()
    expected = [int.from_bytes(row.tobytes(), "little") for row in raw]
    assert [fingerprint64(s) for s in strings] == expected


@pytest.mark.parametrize("num_buckets", [2, 3, 7, 1000])
def test_farmhash_hash_bucket_equals_to_hash_bucket_fast(tf, num_buckets):
    rng = random.Random(num_buckets)
    tokens = ["".join(chr(rng.choice([rng.randrange(32, 127), rng.randrange(160, 0x3000)]))
                      for _ in range(rng.randrange(1, 80))) for _ in range(300)]
    expected = tf.strings.to_hash_bucket_fast(tf.constant(tokens), num_buckets).numpy().tolist()
    assert [hash_bucket(t, num_buckets) for t in tokens] == expected
