"""Images for the upload tests and the benchmark: decompression bombs made on the spot."""

from __future__ import annotations

import struct
import zlib


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int, height: int, *, mode: str = "gray") -> bytes:
    """A valid PNG of ``width`` × ``height`` pixels, all black: a few hundred kilobytes that
    decode to width × height bytes (``gray``, 8 bits) or four times that (``rgba``)."""
    colour_type, channels = {"gray": (0, 1), "rgba": (6, 4)}[mode]
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    row = b"\x00" * (1 + width * channels)  # filter byte 0, then the pixels
    rows_per_block = max(1, 4_000_000 // len(row))
    block = row * rows_per_block
    # Raw deflate with a full flush after each block: the stream of a block of zeros is then
    # the same every time, so it is compressed once and repeated (seconds become milliseconds).
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block_stream = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    blocks, rest = divmod(height, rows_per_block)
    checksum = 1
    for _ in range(blocks):
        checksum = zlib.adler32(block, checksum)
    tail = row * rest
    checksum = zlib.adler32(tail, checksum)
    finisher = zlib.compressobj(9, zlib.DEFLATED, -15)
    stream = block_stream * blocks + finisher.compress(tail) + finisher.flush()
    body = b"\x78\xda" + stream + struct.pack(">I", checksum)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", body)
        + _chunk(b"IEND", b"")
    )


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that only declares its size (no pixel data): what a forged upload looks like."""
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IEND", b"")
