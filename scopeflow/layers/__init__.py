"""``tf.layers``: TF1's layers, as classes (``tf.layers.Dense``) and functions
(``tf.layers.dense``), with TF1's variable and op names."""

from __future__ import annotations

from scopeflow.layers import experimental  # noqa: F401 - tf.layers.experimental
from scopeflow.layers.base import InputSpec, Layer
from scopeflow.layers.convolutional import (
    Conv1D,
    Conv2D,
    Conv2DTranspose,
    Conv3D,
    SeparableConv2D,
)
from scopeflow.layers.convolutional import conv1d_layer as conv1d
from scopeflow.layers.convolutional import conv2d_layer as conv2d
from scopeflow.layers.convolutional import conv2d_transpose_layer as conv2d_transpose
from scopeflow.layers.convolutional import conv3d_layer as conv3d
from scopeflow.layers.convolutional import separable_conv2d_layer as separable_conv2d
from scopeflow.layers.convolutional_variants import Conv3DTranspose, SeparableConv1D
from scopeflow.layers.convolutional_variants import conv3d_transpose_layer as conv3d_transpose
from scopeflow.layers.convolutional_variants import separable_conv1d_layer as separable_conv1d
from scopeflow.layers.core import Dense, Dropout, Flatten, dense, dropout, flatten
from scopeflow.layers.normalization import BatchNormalization, batch_normalization
from scopeflow.layers.pooling import (
    AveragePooling1D,
    AveragePooling2D,
    AveragePooling3D,
    MaxPooling1D,
    MaxPooling2D,
    MaxPooling3D,
    average_pooling1d,
    average_pooling2d,
    average_pooling3d,
    max_pooling1d,
    max_pooling2d,
    max_pooling3d,
)

# TF1's short aliases
Convolution1D, Convolution2D, Convolution3D = Conv1D, Conv2D, Conv3D
Convolution2DTranspose, SeparableConvolution2D = Conv2DTranspose, SeparableConv2D
MaxPool1D, MaxPool2D, MaxPool3D = MaxPooling1D, MaxPooling2D, MaxPooling3D
AvgPool1D, AvgPool2D, AvgPool3D = AveragePooling1D, AveragePooling2D, AveragePooling3D

__all__ = [
    "AveragePooling1D",
    "AveragePooling2D",
    "AveragePooling3D",
    "BatchNormalization",
    "Conv1D",
    "Conv2D",
    "Conv2DTranspose",
    "Conv3D",
    "Conv3DTranspose",
    "Dense",
    "Dropout",
    "Flatten",
    "InputSpec",
    "Layer",
    "MaxPooling1D",
    "MaxPooling2D",
    "MaxPooling3D",
    "SeparableConv1D",
    "SeparableConv2D",
    "average_pooling1d",
    "average_pooling2d",
    "average_pooling3d",
    "batch_normalization",
    "conv1d",
    "conv2d",
    "conv2d_transpose",
    "conv3d",
    "conv3d_transpose",
    "dense",
    "dropout",
    "flatten",
    "max_pooling1d",
    "max_pooling2d",
    "max_pooling3d",
    "separable_conv1d",
    "separable_conv2d",
]
