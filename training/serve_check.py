"""Call an exported model the way TF Serving does: a fresh process, only tensorflow and tensorflow_text.

Run as ``python -I serve_check.py EXPORT_DIR TEXT...``; prints one JSON line per text.
It deliberately imports nothing from lexivision.
"""

import json
import sys


def main(argv):
    import tensorflow as tf
    import tensorflow_text  # noqa: F401  (registers the tf-text ops the graph uses)

    export_dir, texts = argv[0], argv[1:]
    serve = tf.saved_model.load(export_dir).signatures["serving_default"]
    out = serve(text=tf.constant(texts))
    for i, text in enumerate(texts):
        probabilities = out["probabilities"][i].numpy()
        print(json.dumps({
            "text": text,
            "label": out["label"][i].numpy().decode("utf-8"),
            "probability": round(float(probabilities.max()), 4),
        }))


if __name__ == "__main__":
    main(sys.argv[1:])
