import keras
import numpy as np
import pytest

from training.models import resnet


def _trainable_params(model):
    return sum(int(np.prod(w.shape)) for w in model.trainable_weights)


def _weighted_layers(model):
    """Convolutions and dense layers on the main path (1x1 shortcut projections are not counted in a depth)."""
    return sum(
        1 for layer in model.layers
        if isinstance(layer, (keras.layers.Conv2D, keras.layers.Dense)) and not layer.name.endswith("_proj")
    )


@pytest.mark.parametrize("depth,block", [(20, "basic"), (56, "basic"), (29, "bottleneck")])
def test_resnet_cifar_depth_counts_weighted_layers(depth, block):
    model = resnet((32, 32, 3), 10, depth=depth, block=block)
    assert model.name == f"resnet{depth}"
    assert _weighted_layers(model) == depth
    assert model.get_layer("avg_pool").input.shape[1:3] == (8, 8)  # three stages: 32 -> 16 -> 8
    batch_norms = [layer for layer in model.layers if isinstance(layer, keras.layers.BatchNormalization)]
    convs = [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]
    assert len(batch_norms) == len(convs) and not any(c.use_bias for c in convs)


def test_resnet_imagenet_18_matches_the_reference_parameter_count():
    model = resnet((64, 64, 3), 1000, style="imagenet", depth=18)
    assert _trainable_params(model) == 11_689_512  # torchvision resnet18
    assert _weighted_layers(model) == 18


@pytest.mark.slow
def test_resnet_imagenet_50_matches_the_reference_parameter_count():
    model = resnet((64, 64, 3), 1000, style="imagenet", depth=50)
    assert _trainable_params(model) == 25_557_032  # torchvision resnet50
    assert _weighted_layers(model) == 50


def test_resnet_rejects_bad_depths():
    with pytest.raises(ValueError, match=r"style='cifar' with basic blocks needs depth = 6n\+2 .*Received: depth=21"):
        resnet((32, 32, 3), 10, depth=21)
    with pytest.raises(ValueError, match=r"bottleneck blocks needs depth = 9n\+2"):
        resnet((32, 32, 3), 10, depth=32, block="bottleneck")
    with pytest.raises(ValueError, match=r"style='imagenet' takes depth in \[18, 34, 50, 101, 152\]"):
        resnet((64, 64, 3), 10, style="imagenet", depth=20)
    with pytest.raises(ValueError, match=r"`style` must be one of"):
        resnet((32, 32, 3), 10, style="mobile")
    with pytest.raises(ValueError, match=r"`stages` must list at least one block count"):
        resnet((32, 32, 3), 10, stages=(1, 0))


def test_resnet_shortcut_is_identity_until_the_shape_changes():
    model = resnet((16, 16, 1), 3, stages=(2, 1), width=2)
    names = {layer.name for layer in model.layers}
    assert "stage1_block1_proj" not in names and "stage1_block2_proj" not in names
    assert model.get_layer("stage2_block1_proj").strides == (2, 2)
    bottleneck = resnet((16, 16, 1), 3, stages=(1,), width=2, block="bottleneck")
    assert bottleneck.get_layer("stage1_block1_proj").filters == 8  # 4x expansion needs a projection


@pytest.mark.slow
def test_resnet_trains_on_fashion_mnist_and_round_trips(fashion_slice, loss_drops, round_trip):
    images, labels = fashion_slice
    model = resnet((28, 28, 1), 10, stages=(1, 1), width=4, preprocessing=keras.layers.Rescaling(1 / 255))
    # Measured in inference mode, so the batch-norm moving statistics must have followed.
    loss_drops(model, images, labels, epochs=10, factor=0.85, optimizer=keras.optimizers.Adam(0.01))
    round_trip(model, images[:8])  # includes the batch-norm moving statistics learned above
