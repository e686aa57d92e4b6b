"""Images: decoding and scanning, IDX files, datasets, augmentation, local contrast normalisation.

``pipeline.image_dataset``, ``pipeline.augmentation`` and ``pipeline.LocalContrastNormalization``
are the public names; the modules here import TensorFlow only where they build tensors.
"""
