"""ImageNet-style preprocessing as slim's preprocessing modules wrote it: uint8 images through
convert_image_dtype; VGG's aspect-preserving resize of the smallest side (shapes computed in the
graph), central crop by crop_to_bounding_box and per-channel mean subtraction by split/concat;
Inception's evaluation path (central_crop, bilinear resize, scaling to [-1, 1]) and training path
(sample_distorted_bounding_box with seeds, slice, each resize method, flip); draw_bounding_boxes
for the summary image, crop_and_resize of boxes, rot90/transpose/pad/crop-or-pad, gamma,
grayscale and HSV round trips, PSNR, and a PNG encode/decode round trip.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    rng = np.random.RandomState(4)
    raw = rng.randint(0, 256, size=(9, 12, 3)).astype(np.uint8)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(6)
        image_u8 = tf.placeholder(tf.uint8, [None, None, 3], name="image")
        image = tf.image.convert_image_dtype(image_u8, dtype=tf.float32)
        out = {}
        # VGG preprocessing
        shape = tf.shape(image_u8)
        height, width = tf.to_float(shape[0]), tf.to_float(shape[1])
        smallest = tf.constant(6.0)
        scale = tf.cond(
            tf.greater(height, width), lambda: smallest / width, lambda: smallest / height
        )
        new_h = tf.to_int32(tf.rint(height * scale))
        new_w = tf.to_int32(tf.rint(width * scale))
        resized = tf.image.resize_images(tf.to_float(image_u8), [new_h, new_w])
        off_h = (new_h - 5) // 2
        off_w = (new_w - 5) // 2
        vgg = tf.image.crop_to_bounding_box(resized, off_h, off_w, 5, 5)
        channels = tf.split(axis=2, num_or_size_splits=3, value=vgg)
        means = [123.68, 116.78, 103.94]
        vgg = tf.concat(axis=2, values=[c - m for c, m in zip(channels, means, strict=True)])
        out["vgg"] = vgg
        # Inception evaluation preprocessing
        ev = tf.image.central_crop(image, central_fraction=0.75)
        ev = tf.image.resize_bilinear(tf.expand_dims(ev, 0), [4, 4], align_corners=False)
        ev = tf.multiply(tf.subtract(tf.squeeze(ev, [0]), 0.5), 2.0)
        out["inception_eval"] = ev
        # Inception training preprocessing
        bbox = tf.constant([0.1, 0.1, 0.9, 0.8], tf.float32, [1, 1, 4])
        begin, size, distort_bbox = tf.image.sample_distorted_bounding_box(
            tf.shape(image),
            bounding_boxes=bbox,
            seed=3,
            seed2=7,
            min_object_covered=0.1,
            aspect_ratio_range=(0.75, 1.33),
            area_range=(0.05, 1.0),
            max_attempts=100,
            use_image_if_no_bounding_boxes=True,
        )
        cropped = tf.slice(image, begin, size)
        out["begin"], out["size"] = begin, size
        for name, method in [
            ("bilinear", tf.image.ResizeMethod.BILINEAR),
            ("nearest", tf.image.ResizeMethod.NEAREST_NEIGHBOR),
            ("bicubic", tf.image.ResizeMethod.BICUBIC),
            ("area", tf.image.ResizeMethod.AREA),
        ]:
            out["train_" + name] = tf.image.resize_images(cropped, [4, 4], method=method)
        out["flipped"] = tf.image.flip_left_right(out["train_area"])
        drawn = tf.image.draw_bounding_boxes(tf.expand_dims(image, 0), distort_bbox)
        out["drawn_row"] = drawn[0, ::2, 2, :]
        boxes = tf.constant([[0.0, 0.0, 0.5, 0.5], [0.2, 0.3, 1.0, 0.9]])
        out["crops"] = tf.image.crop_and_resize(
            tf.stack([image, image[::-1]]), boxes, tf.constant([0, 1]), [3, 3]
        )
        out["rot"] = tf.image.rot90(image[:3, :4], k=3)
        out["transposed"] = tf.image.transpose_image(image[:2, :3])
        out["padded"] = tf.image.pad_to_bounding_box(image[:2, :2], 1, 2, 4, 5)
        crop_or_pad = tf.image.resize_image_with_crop_or_pad(image, 5, 14)
        out["crop_or_pad"] = crop_or_pad[2]
        out["gamma"] = tf.image.adjust_gamma(image[:2, :2], gamma=2.2, gain=1.1)
        gray = tf.image.rgb_to_grayscale(image)
        out["gray"] = gray[:3, :3]
        out["gray_rgb_shape"] = tf.shape(tf.image.grayscale_to_rgb(gray))
        hsv = tf.image.rgb_to_hsv(image)
        out["hsv"] = hsv[0, :3]
        out["hsv_roundtrip_err"] = tf.reduce_max(tf.abs(tf.image.hsv_to_rgb(hsv) - image))
        noisy = tf.clip_by_value(image + 0.05 * tf.sin(image * 40.0), 0.0, 1.0)
        out["psnr"] = tf.image.psnr(image, noisy, max_val=1.0)
        back = tf.image.convert_image_dtype(noisy, tf.uint8, saturate=True)
        out["back_u8"] = back[0, :4]
        png = tf.image.encode_png(back)
        out["png_equal"] = tf.reduce_all(tf.equal(tf.image.decode_png(png, channels=3), back))
        # rot90 with a Python k: TF builds all four turns in a tf.case (rot90/cond/Merge),
        # scopeflow the one asked for, on purpose (tests/ops/image/test_image_ops.py)
        names = {k: v.name for k, v in sorted(out.items()) if k != "rot"}
        with tf.Session() as sess:
            vals = sess.run(out, {image_u8: raw})
        result = {}
        for key, val in sorted(vals.items()):
            val = np.asarray(val)
            if val.dtype.kind == "f":
                result[key] = np.round(val.astype(np.float64), 6).tolist()
            elif val.dtype.kind == "b":
                result[key] = bool(val)
            else:
                result[key] = val.tolist()
        result["names"] = names
        result["static"] = [
            out["vgg"].shape.as_list(),
            out["crops"].shape.as_list(),
            crop_or_pad.shape.as_list(),
            out["train_area"].shape.as_list(),
        ]
        return result


EXPECTED = {
    "back_u8": [[125, 184, 178], [191, 141, 96], [98, 199, 62], [143, 62, 255]],
    "begin": [0, 0, 0],
    "crop_or_pad": [
        [0.0, 0.0, 0.0],
        [0.066667, 0.105882, 0.380392],
        [0.235294, 0.670588, 0.337255],
        [0.498039, 0.058824, 0.552941],
        [0.0, 0.541176, 0.407843],
        [0.466667, 0.960784, 0.494118],
        [0.529412, 0.74902, 0.901961],
        [0.309804, 0.909804, 0.231373],
        [0.203922, 0.203922, 0.752941],
        [0.843137, 0.94902, 0.380392],
        [0.682353, 0.666667, 0.470588],
        [0.972549, 0.192157, 0.623529],
        [0.988235, 0.137255, 0.619608],
        [0.0, 0.0, 0.0],
    ],
    "crops": [
        [
            [
                [0.478431, 0.682353, 0.717647],
                [0.488235, 0.366667, 0.790196],
                [0.311765, 0.680392, 0.460784],
            ],
            [
                [0.592157, 0.447059, 0.870588],
                [0.35098, 0.408824, 0.604902],
                [0.74902, 0.74902, 0.888235],
            ],
            [
                [0.066667, 0.105882, 0.380392],
                [0.12451, 0.420588, 0.444118],
                [0.419608, 0.829412, 0.566667],
            ],
        ],
        [
            [
                [0.851294, 0.326588, 0.394039],
                [0.402824, 0.556392, 0.251451],
                [0.670274, 0.361255, 0.216471],
            ],
            [
                [0.665177, 0.274902, 0.183059],
                [0.534275, 0.247843, 0.657882],
                [0.931294, 0.629255, 0.566196],
            ],
            [
                [0.497255, 0.287451, 0.802353],
                [0.266667, 0.346667, 0.575686],
                [0.525882, 0.781177, 0.594117],
            ],
        ],
    ],
    "drawn_row": [
        [1.0, 1.0, 0.0],
        [0.745098, 0.294118, 0.090196],
        [0.498039, 0.058824, 0.552941],
        [0.007843, 0.576471, 0.815686],
        [0.207843, 0.921569, 0.580392],
    ],
    "flipped": [
        [
            [0.481917, 0.456427, 0.595207],
            [0.364706, 0.501307, 0.55817],
            [0.477778, 0.572113, 0.632026],
            [0.506536, 0.618301, 0.424619],
        ],
        [
            [0.520479, 0.345752, 0.658388],
            [0.689978, 0.551416, 0.740741],
            [0.570806, 0.361656, 0.333551],
            [0.396514, 0.48671, 0.682135],
        ],
        [
            [0.41329, 0.608061, 0.432462],
            [0.414161, 0.633333, 0.487364],
            [0.372767, 0.549891, 0.452723],
            [0.300436, 0.355991, 0.433115],
        ],
        [
            [0.432462, 0.414161, 0.236166],
            [0.687364, 0.805011, 0.377778],
            [0.681482, 0.467974, 0.506536],
            [0.703268, 0.537691, 0.679956],
        ],
    ],
    "gamma": [
        [[0.217268, 0.474474, 0.530147], [0.623491, 0.245641, 0.152925]],
        [[0.602793, 0.474474, 0.198159], [0.009924, 0.275924, 0.029204]],
    ],
    "gray": [
        [[0.625356], [0.574362], [0.584723]],
        [[0.680246], [0.370137], [0.544421]],
        [[0.538666], [0.559611], [0.405639]],
    ],
    "gray_rgb_shape": [9, 12, 3],
    "hsv": [
        [0.52459, 0.333333, 0.717647],
        [0.044803, 0.472081, 0.772549],
        [0.292222, 0.75, 0.784314],
    ],
    "hsv_roundtrip_err": 0.0,
    "inception_eval": [
        [
            [-0.764706, 0.066667, -0.615686],
            [0.294118, 0.337255, 0.584314],
            [0.223529, -0.976471, -0.105882],
            [-0.431373, 0.294118, 0.941177],
        ],
        [
            [-0.392157, 0.311765, 0.14902],
            [0.378431, -0.335294, -0.432353],
            [0.476471, 0.02549, 0.576471],
            [0.035294, 0.381373, -0.420588],
        ],
        [
            [-0.298039, -0.039216, -0.082353],
            [-0.327451, 0.686275, -0.188235],
            [-0.305882, 0.501961, -0.368627],
            [0.445098, 0.529412, -0.286274],
        ],
        [
            [0.778432, -0.737255, 0.578431],
            [0.714706, -0.104902, -0.194118],
            [0.229412, 0.672549, -0.709804],
            [0.167647, -0.163725, -0.059804],
        ],
    ],
    "padded": [
        [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]],
        [
            [0.0, 0.0, 0.0],
            [0.0, 0.0, 0.0],
            [0.478431, 0.682353, 0.717647],
            [0.772549, 0.505882, 0.407843],
            [0.0, 0.0, 0.0],
        ],
        [
            [0.0, 0.0, 0.0],
            [0.0, 0.0, 0.0],
            [0.760784, 0.682353, 0.458824],
            [0.117647, 0.533333, 0.192157],
            [0.0, 0.0, 0.0],
        ],
        [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]],
    ],
    "png_equal": True,
    "psnr": 29.33824,
    "rot": [
        [
            [0.592157, 0.447059, 0.870588],
            [0.760784, 0.682353, 0.458824],
            [0.478431, 0.682353, 0.717647],
        ],
        [
            [0.086275, 0.764706, 0.745098],
            [0.117647, 0.533333, 0.192157],
            [0.772549, 0.505882, 0.407843],
        ],
        [
            [0.745098, 0.294118, 0.090196],
            [0.258824, 0.729412, 0.341176],
            [0.341176, 0.784314, 0.196078],
        ],
        [
            [0.219608, 0.447059, 0.776471],
            [0.627451, 0.658824, 0.952941],
            [0.537255, 0.227451, 0.988235],
        ],
    ],
    "size": [8, 9, -1],
    "train_area": [
        [
            [0.506536, 0.618301, 0.424619],
            [0.477778, 0.572113, 0.632026],
            [0.364706, 0.501307, 0.55817],
            [0.481917, 0.456427, 0.595207],
        ],
        [
            [0.396514, 0.48671, 0.682135],
            [0.570806, 0.361656, 0.333551],
            [0.689978, 0.551416, 0.740741],
            [0.520479, 0.345752, 0.658388],
        ],
        [
            [0.300436, 0.355991, 0.433115],
            [0.372767, 0.549891, 0.452723],
            [0.414161, 0.633333, 0.487364],
            [0.41329, 0.608061, 0.432462],
        ],
        [
            [0.703268, 0.537691, 0.679956],
            [0.681482, 0.467974, 0.506536],
            [0.687364, 0.805011, 0.377778],
            [0.432462, 0.414161, 0.236166],
        ],
    ],
    "train_bicubic": [
        [
            [0.478431, 0.682353, 0.717647],
            [0.344792, 0.680484, 0.375],
            [0.279289, 0.598284, 0.193505],
            [0.154029, 0.252558, 0.554933],
        ],
        [
            [0.592157, 0.447059, 0.870588],
            [0.6714, 0.262178, 0.171645],
            [0.913358, 0.911397, 0.871691],
            [0.954917, 0.436137, 0.895037],
        ],
        [
            [0.066667, 0.105882, 0.380392],
            [0.396507, 0.088833, 0.539783],
            [0.562378, 0.879167, 0.768995],
            [0.152773, 0.290916, 0.65049],
        ],
        [
            [0.596078, 0.94902, 0.113725],
            [0.114139, 0.486229, 0.647626],
            [0.856127, 0.852206, 0.785294],
            [0.175214, 0.585999, 0.259574],
        ],
    ],
    "train_bilinear": [
        [
            [0.478431, 0.682353, 0.717647],
            [0.390196, 0.645098, 0.394118],
            [0.309804, 0.572549, 0.296078],
            [0.231373, 0.272549, 0.545098],
        ],
        [
            [0.592157, 0.447059, 0.870588],
            [0.613726, 0.332353, 0.261765],
            [0.843137, 0.858824, 0.870588],
            [0.885294, 0.427451, 0.891177],
        ],
        [
            [0.066667, 0.105882, 0.380392],
            [0.373529, 0.179412, 0.516667],
            [0.498039, 0.854902, 0.698039],
            [0.230392, 0.380392, 0.622549],
        ],
        [
            [0.596078, 0.94902, 0.113725],
            [0.228431, 0.453922, 0.639216],
            [0.839216, 0.8, 0.682353],
            [0.263725, 0.612745, 0.271569],
        ],
    ],
    "train_nearest": [
        [
            [0.478431, 0.682353, 0.717647],
            [0.341176, 0.784314, 0.196078],
            [0.403922, 0.427451, 0.368627],
            [0.407843, 0.643137, 0.698039],
        ],
        [
            [0.592157, 0.447059, 0.870588],
            [0.745098, 0.294118, 0.090196],
            [0.905882, 0.929412, 0.917647],
            [0.717647, 0.709804, 0.952941],
        ],
        [
            [0.066667, 0.105882, 0.380392],
            [0.498039, 0.058824, 0.552941],
            [0.466667, 0.960784, 0.494118],
            [0.309804, 0.909804, 0.231373],
        ],
        [
            [0.596078, 0.94902, 0.113725],
            [0.007843, 0.576471, 0.815686],
            [0.976471, 0.8, 0.564706],
            [0.607843, 0.956863, 0.156863],
        ],
    ],
    "transposed": [
        [[0.478431, 0.682353, 0.717647], [0.760784, 0.682353, 0.458824]],
        [[0.772549, 0.505882, 0.407843], [0.117647, 0.533333, 0.192157]],
        [[0.341176, 0.784314, 0.196078], [0.258824, 0.729412, 0.341176]],
    ],
    "vgg": [
        [
            [18.32, 47.720001, -26.940002],
            [13.32, -58.779999, 148.059998],
            [-44.68, 29.220001, -28.440002],
            [-19.68, 47.220001, 74.059998],
            [15.32, -71.779999, 24.559998],
        ],
        [
            [-46.68, 31.220001, -16.690002],
            [-15.68, 24.220001, 116.559998],
            [34.32, 67.470001, 106.559998],
            [45.82, -24.779999, 74.559998],
            [8.57, 11.470001, 94.559998],
        ],
        [
            [-48.68, -0.279999, -33.940002],
            [104.32, -85.779999, -63.940002],
            [11.32, -51.279999, -1.440002],
            [66.32, -2.779999, 83.059998],
            [-31.18, -15.779999, -0.440002],
        ],
        [
            [4.82, -50.029999, 34.559998],
            [-118.68, 67.720001, -31.440002],
            [3.57, 54.470001, 39.309998],
            [-35.18, 74.720001, -23.440002],
            [-16.18, 33.720001, 10.059998],
        ],
        [
            [-12.18, -25.279999, 94.559998],
            [103.32, -94.779999, -75.940002],
            [90.32, 87.220001, 70.059998],
            [31.32, 127.220001, -63.940002],
            [4.32, 36.220001, -33.440002],
        ],
    ],
    "names": {
        "back_u8": "strided_slice_11:0",
        "begin": "sample_distorted_bounding_box/SampleDistortedBoundingBoxV2:0",
        "crop_or_pad": "strided_slice_7:0",
        "crops": "CropAndResize:0",
        "drawn_row": "strided_slice_2:0",
        "flipped": "flip_left_right/ReverseV2:0",
        "gamma": "adjust_gamma/Identity:0",
        "gray": "strided_slice_9:0",
        "gray_rgb_shape": "Shape_2:0",
        "hsv": "strided_slice_10:0",
        "hsv_roundtrip_err": "Max:0",
        "inception_eval": "Mul_2:0",
        "padded": "pad_to_bounding_box/Squeeze:0",
        "png_equal": "All:0",
        "psnr": "PSNR/Identity_3:0",
        "size": "sample_distorted_bounding_box/SampleDistortedBoundingBoxV2:1",
        "train_area": "resize_4/Squeeze:0",
        "train_bicubic": "resize_3/Squeeze:0",
        "train_bilinear": "resize_1/Squeeze:0",
        "train_nearest": "resize_2/Squeeze:0",
        "transposed": "transpose/transpose:0",
        "vgg": "concat:0",
    },
    "static": [[5, 5, 3], [2, 3, 3, 3], [5, 14, 3], [4, 4, None]],
}


def test_imagenet_preprocessing_matches_tensorflow():
    close(program(tf), EXPECTED)
