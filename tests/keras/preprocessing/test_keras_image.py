"""tf.keras.preprocessing.image: expected values computed with tf_keras (TF 2.21, SciPy
1.17, Pillow 13) on the same inputs; seeded augmentation follows Keras's np.random stream."""

from __future__ import annotations

import os

import numpy as np
import pytest

import scopeflow as tf

pytest.importorskip("PIL")
pytest.importorskip("scipy")
IMG = tf.keras.preprocessing.image
X = np.arange(40.0).reshape(2, 4, 5)
XL = np.arange(30.0).reshape(5, 6, 1)


@pytest.fixture
def np_seed():
    state = np.random.get_state()
    yield
    np.random.set_state(state)


def test_apply_affine_transform_matches_keras():
    out = IMG.apply_affine_transform(X, theta=30, tx=1, ty=-0.5, shear=10, zx=0.8, zy=1.2,
                                   fill_mode="constant", cval=-1.0)
    np.testing.assert_allclose(out[1, 2], [28.9117314098, 31.6045517328, 34.2973720558,
                                           36.9901923789, -1.0], atol=1e-9)
    np.testing.assert_allclose(out[0, 0], [-1.0, 3.9547086786, -1.0, -1.0, -1.0], atol=1e-9)
    out = IMG.apply_affine_transform(XL, theta=-20, zx=1.3, row_axis=0, col_axis=1,
                                   channel_axis=2, fill_mode="reflect", order=3)
    np.testing.assert_allclose(out[4, :, 0], [24.6563751192, 26.1734309021, 26.1405143572,
                                              24.8490732257, 23.1059389863, 20.2010066717],
                               atol=1e-9)
    assert IMG.apply_affine_transform(X) is X
    with pytest.raises(ValueError, match="must be distinct"):
        IMG.apply_affine_transform(X, row_axis=0)
    with pytest.raises(ValueError, match="multi-channel 2D images"):
        IMG.apply_affine_transform(X[0], theta=3)


def test_random_transforms_follow_keras_stream(np_seed):
    np.random.seed(1)
    assert round(float(IMG.random_rotation(X, 40).sum()), 6) == 769.741853
    assert np.random.uniform() == 0.7203244934421581
    np.random.seed(4)
    np.testing.assert_allclose(IMG.random_zoom(X, (0.7, 1.2))[1, 2],
                               [30.0, 30.9082425402, 32.0917574598, 33.2752723793, 34.0])
    np.random.seed(5)
    assert IMG.random_channel_shift(X, 40.0)[0, 0].tolist() == [0.0] * 5
    with pytest.raises(ValueError, match="zoom_range"):
        IMG.random_zoom(X, (0.5,))


def test_array_image_round_trips_and_brightness():
    x = np.arange(45.0).reshape(3, 3, 5)
    back = IMG.img_to_array(IMG.array_to_img(x, data_format="channels_first"),
                          data_format="channels_first")
    assert back[:, 0, :].tolist() == [[0, 5, 11, 17, 23], [86, 92, 98, 104, 110],
                                      [173, 179, 185, 191, 197]]
    assert IMG.array_to_img(XL * 20, scale=False).mode == "I" and IMG.array_to_img(XL).mode == "L"
    assert IMG.apply_brightness_shift(XL.repeat(3, 2), 1.4)[1, :, 0].tolist() == [
        72, 85, 98, 110, 121, 134]
    np.testing.assert_allclose(
        IMG.apply_brightness_shift(XL.repeat(3, 2) * 20 - 100, 0.7, scale=False)[0, :3, 0],
        [-100.0, -88.627451, -74.980391], atol=1e-6)
    with pytest.raises(ValueError, match="Unsupported channel number: 2"):
        IMG.array_to_img(X, data_format="channels_first")


def test_image_data_generator_flow_matches_keras(np_seed):
    imgs = np.arange(6 * 4 * 5 * 3, dtype=np.float64).reshape(6, 4, 5, 3) % 17
    gen = IMG.ImageDataGenerator(
        rotation_range=20, width_shift_range=0.1, height_shift_range=[1, 2], shear_range=5,
        zoom_range=0.2, channel_shift_range=3, horizontal_flip=True, vertical_flip=True,
        rescale=0.5, fill_mode="nearest")
    it = gen.flow(imgs, np.arange(6), batch_size=4, seed=7)
    bx, by = next(it)
    assert by.tolist() == [3, 5, 0, 2] and bx.dtype == np.float32
    assert round(float(bx.sum(dtype=np.float64)), 3) == 873.114
    np.testing.assert_allclose(bx[0, 1, :, 0], [3.6566638946533203, 5.089231491088867,
                                                3.251128673553467, 0.12374196201562881,
                                                0.12374196201562881], rtol=1e-6)
    bx, by = next(it)
    assert by.tolist() == [1, 4] and round(float(bx.sum(dtype=np.float64)), 3) == 642.657
    np.random.seed(9)
    params = gen.get_random_transform((4, 5, 3))
    assert params["tx"] == 1 and params["flip_horizontal"] == 1 and params["brightness"] is None
    assert params["theta"] == pytest.approx(-19.585033844572003, rel=1e-15)
    assert params["zx"] == pytest.approx(0.8568444341818154, rel=1e-15)


def test_fit_featurewise_and_zca():
    imgs = np.arange(6 * 4 * 5 * 3, dtype=np.float64).reshape(6, 4, 5, 3) % 17
    gen = IMG.ImageDataGenerator(featurewise_center=True, featurewise_std_normalization=True)
    gen.fit(imgs)
    np.testing.assert_allclose(gen.mean.ravel(), [7.933333396911621, 7.941666603088379,
                                                  7.950000286102295], rtol=1e-7)
    np.testing.assert_allclose(gen.std.ravel(), [4.932432174682617, 4.919850826263428,
                                                 4.908919811248779], rtol=1e-6)
    x = next(gen.flow(imgs, batch_size=2, shuffle=False))
    np.testing.assert_allclose(x[1, 0, 0], [0.21625566482543945, 0.4183730483055115,
                                            0.6213178634643555], rtol=1e-5)
    with pytest.warns(UserWarning, match="overrides setting of `featurewise_center`"):
        gen = IMG.ImageDataGenerator(zca_whitening=True)
    gen.fit(imgs[:, :2, :2, :1])
    np.testing.assert_allclose(gen.zca_whitening_matrix[2], [0.03993406, -0.0170647,
                                                             0.19071416, 0.02093447], atol=1e-6)
    with pytest.raises(ValueError, match="rank 4"):
        gen.fit(imgs[0])


@pytest.fixture
def folders(tmp_path):
    from PIL import Image

    for cls, n in (("cat", 3), ("dog", 4), ("zeb", 2)):
        os.makedirs(tmp_path / cls / "sub")
        for i in range(n):
            arr = (np.arange(9 * 11 * 3).reshape(9, 11, 3) * (i + 2) + len(cls) * 7) % 256
            name = ("sub/" if i == 0 else "") + f"im{i}.png"
            Image.fromarray(arr.astype(np.uint8)).save(tmp_path / cls / name)
        (tmp_path / cls / "notes.txt").write_text("x")
    return tmp_path


def test_flow_from_directory_matches_keras(folders, capsys, np_seed):
    gen = IMG.ImageDataGenerator(horizontal_flip=True, validation_split=0.5)
    it = gen.flow_from_directory(folders, target_size=(5, 6), batch_size=4, seed=3,
                                 interpolation="bilinear")
    assert "Found 9 images belonging to 3 classes." in capsys.readouterr().out
    assert it.filenames[:3] == ["cat/im1.png", "cat/im2.png", "cat/sub/im0.png"]
    assert it.classes.tolist() == [0, 0, 0, 1, 1, 1, 1, 2, 2]
    bx, by = next(it)
    assert by.argmax(1).tolist() == [1, 0, 2, 1] and bx.sum() == 43974.0
    assert bx[0, 0, :, 1].tolist() == [117, 108, 97, 85, 74, 65]
    it = gen.flow_from_directory(folders, target_size=(4, 4), color_mode="grayscale",
                                 class_mode="sparse", subset="validation", shuffle=False,
                                 keep_aspect_ratio=True)
    bx, by = it[0]
    assert it.filenames == ["cat/im1.png", "dog/im1.png", "dog/im2.png", "zeb/im1.png"]
    assert by.tolist() == [0, 1, 1, 2] and by.dtype == np.float32 and bx.shape == (4, 4, 4, 1)
    assert bx[1, 3, :, 0].tolist() == [20, 2, 240, 222]
    it = gen.flow_from_directory(folders, target_size=(4, 4), class_mode="binary",
                                 subset="training", classes=["zeb", "cat"], shuffle=False)
    assert it.filenames == ["zeb/sub/im0.png", "cat/im2.png", "cat/sub/im0.png"]
    assert it[0][1].tolist() == [0, 1, 1]


def test_load_img(folders):
    path = folders / "cat" / "im1.png"
    x = IMG.img_to_array(IMG.load_img(path, target_size=(4, 7), interpolation="bicubic"))
    assert x[1, :, 0].tolist() == [140, 153, 170, 118, 116, 133, 146]
    x = IMG.img_to_array(IMG.load_img(str(path), target_size=(8, 3), keep_aspect_ratio=True))
    assert x[:, 1, 2].tolist() == [72, 171, 14, 113, 55, 154, 253, 96]
    x = tf.keras.utils.img_to_array(tf.keras.utils.load_img(path, color_mode="grayscale"))
    assert x.shape == (9, 11, 1) and x[0, :4, 0].tolist() == [23, 32, 41, 50]
    with pytest.raises(ValueError, match="Invalid interpolation method"):
        IMG.load_img(path, target_size=(2, 2), interpolation="cubic")
    IMG.save_img(folders / "out.png", XL.repeat(3, 2))
    assert IMG.img_to_array(IMG.load_img(folders / "out.png"))[0, :3, 0].tolist() == [0, 8, 17]


def test_flow_save_to_dir_names_as_keras(tmp_path, np_seed):
    gen = IMG.ImageDataGenerator()
    it = gen.flow(np.zeros((3, 4, 5, 3)), batch_size=2, save_to_dir=tmp_path,
                  save_prefix="aug", seed=1)
    next(it)
    assert sorted(os.listdir(tmp_path)) == ["aug_0_144.png", "aug_2_4225.png"]
