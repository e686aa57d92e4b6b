"""Text preprocessing: one ``TextConfig``, executed in Python and in the TF graph."""
