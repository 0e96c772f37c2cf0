"""Convolution layers and max pooling in NumPy.

conv2d is what deep-learning libraries call a convolution: a cross-correlation
(the kernel slides over the input unflipped). convolve2d is the mathematical
convolution, which flips the kernel. Run: python cnn_numpy.py
"""

import numpy as np

SEED = 0


def conv2d(x, w, b=None, stride=1, padding=0):
    """x: (N, C_in, H, W), w: (C_out, C_in, kh, kw), b: (C_out,) -> (N, C_out, H_out, W_out).
    out[n, k, i, j] = sum_{c, u, v} x[n, c, i*s + u, j*s + v] w[k, c, u, v] + b[k]."""
    if padding:
        x = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    n, c, h, wd = x.shape
    k, c2, kh, kw = w.shape
    assert c == c2, "input channels of x and w differ"
    h_out = (h - kh) // stride + 1
    w_out = (wd - kw) // stride + 1
    out = np.zeros((n, k, h_out, w_out))
    for i in range(h_out):
        for j in range(w_out):
            patch = x[:, :, i * stride : i * stride + kh, j * stride : j * stride + kw]
            out[:, :, i, j] = np.einsum("ncuv,kcuv->nk", patch, w)
    if b is not None:
        out += b[None, :, None, None]
    return out


def convolve2d(image, kernel):
    """The mathematical 'valid' convolution of one 2-D image with one 2-D kernel:
    (I * K)[i, j] = sum_{u, v} I[i + u, j + v] K[kh-1-u, kw-1-v], i.e. a cross-correlation
    with the kernel flipped in both directions."""
    flipped = kernel[::-1, ::-1]
    return conv2d(image[None, None], flipped[None, None])[0, 0]


def max_pool2d(x, size=2, stride=None):
    """x: (N, C, H, W). The maximum over each size x size window."""
    stride = stride or size
    n, c, h, w = x.shape
    h_out = (h - size) // stride + 1
    w_out = (w - size) // stride + 1
    out = np.empty((n, c, h_out, w_out))
    for i in range(h_out):
        for j in range(w_out):
            window = x[:, :, i * stride : i * stride + size, j * stride : j * stride + size]
            out[:, :, i, j] = window.max(axis=(2, 3))
    return out


def output_size(n, kernel, stride=1, padding=0):
    return (n + 2 * padding - kernel) // stride + 1


if __name__ == "__main__":
    rng = np.random.default_rng(SEED)
    image = rng.normal(size=(7, 6))
    kernel = rng.normal(size=(3, 2))

    # 1. The mathematical convolution, computed independently through the Fourier
    #    transform (convolution theorem), matches convolve2d on the 'valid' part.
    H, W = image.shape[0] + kernel.shape[0] - 1, image.shape[1] + kernel.shape[1] - 1
    full = np.real(np.fft.ifft2(np.fft.fft2(image, (H, W)) * np.fft.fft2(kernel, (H, W))))
    valid = full[kernel.shape[0] - 1 : image.shape[0], kernel.shape[1] - 1 : image.shape[1]]
    fft_gap = np.max(np.abs(valid - convolve2d(image, kernel)))

    # 2. A "convolution layer" with a non-symmetric kernel is NOT that convolution...
    layer = conv2d(image[None, None], kernel[None, None])[0, 0]
    print(
        f"layer vs mathematical convolution, same kernel: max difference "
        f"{np.max(np.abs(layer - convolve2d(image, kernel))):.2f}"
    )
    # ...but it is with the kernel flipped. A learned kernel absorbs the flip.
    flip_gap = np.max(np.abs(layer - convolve2d(image, kernel[::-1, ::-1])))

    # 3. 2x2 max pooling of a batch of shape (2, 3, 4, 6) into (2, 3, 2, 3): each 4x6 map
    #    becomes 2x3. Checked against a computation by reshaping.
    x = rng.normal(size=(2, 3, 4, 6))
    pooled = max_pool2d(x, 2)
    reshaped = x.reshape(2, 3, 2, 2, 3, 2).max(axis=(3, 5))
    pool_gap = np.max(np.abs(pooled - reshaped))

    y = conv2d(rng.normal(size=(1, 3, 28, 28)), rng.normal(size=(8, 3, 3, 3)), padding=1)
    print(f"3x3 convolution, padding 1: (1, 3, 28, 28) -> {y.shape}; 2x2 pooling -> {max_pool2d(y).shape}")
    print(f"fft_gap={fft_gap:.1e} flip_gap={flip_gap:.1e} pool_gap={pool_gap:.1e}")
