"""Reading corpora and batch preprocessing (pure Python; TF only where shards are written)."""
